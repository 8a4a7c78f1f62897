/* Registered last (run.ts): whether the pages of all the tests before threw. */
import { assert, test } from './harness.ts';

test('the browser saw no uncaught errors', async t => {
  // Guest sign-in fails while the dev backend restarts (it restarts whenever a
  // backend source file changes); that is not an error of the pages under test.
  const transient = /cannot sign in as a guest|Failed to fetch|NetworkError/;
  const ignored = t.pageErrors.filter(e => transient.test(e));
  if (ignored.length)
    t.log(`ignored while the backend restarted: ${ignored.join('; ')}`);
  const errors = t.pageErrors.filter(e => !transient.test(e));
  assert(errors.length === 0, `uncaught errors: ${errors.join('; ')}`);
});
