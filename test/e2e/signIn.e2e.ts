/*
 * End-to-end tests of guest sign-in across reloads: a guest who signed in once is
 * signed in again without being asked when they reload a page or open a deep link,
 * also while the backend is restarting (the development backend restarts on every
 * source change; here its guest refresh fails for a few tries, injected in the
 * browser, as it does while the backend is down).
 */
import type { Page } from 'playwright-core';
import { signInIfAsked } from './fabric.e2e.ts';
import { APP_URL, assert, test } from './harness.ts';

const PROVIDER_KEY = '@backstage/core:SignInPage:provider';

/** Waits until the page is either the sign-in page or the app; says which. */
async function landed(page: Page): Promise<'sign-in page' | 'app'> {
  const enter = page.getByRole('button', { name: /^enter$/i });
  const app = page.getByRole('link', { name: 'Fabrics', exact: true });
  await enter.or(app).first().waitFor({ timeout: 60_000 });
  return (await enter.isVisible()) ? 'sign-in page' : 'app';
}

test('a reload and a deep link keep the guest session (no sign-in page)', async t => {
  const { page } = t;
  await page.goto(`${APP_URL}/catalog`);
  await signInIfAsked(page);
  assert(
    (await page.evaluate(k => localStorage.getItem(k), PROVIDER_KEY)) === 'guest',
    'the sign-in page remembers the guest provider',
  );
  for (const deepLink of ['/hedgehog/demo?tab=runs', '/catalog/default/resource/demo/fabric', '/hedgehog']) {
    await page.goto(`${APP_URL}${deepLink}`);
    assert((await landed(page)) === 'app', `opening ${deepLink} lands on the page, not on the sign-in page`);
    await page.reload();
    assert((await landed(page)) === 'app', `reloading ${deepLink} lands on the page, not on the sign-in page`);
  }
  await page.getByRole('link', { name: 'Demo fabric' }).waitFor();
  await t.screenshot('30-reload-deep-link');
});

test('a reload while the backend restarts waits for it and lands on the page', async t => {
  const { page } = t;
  await page.goto(`${APP_URL}/hedgehog/demo`);
  await signInIfAsked(page);
  // the backend does not answer the next 5 guest refreshes: connection refused, then "not ready"
  let failed = 0;
  const refresh = '**/api/auth/guest/refresh**';
  await page.route(refresh, async route => {
    failed++;
    if (failed <= 3) await route.abort('connectionrefused');
    else if (failed <= 5) await route.fulfill({ status: 503, body: 'Service Unavailable' });
    else await route.continue();
  });
  try {
    await page.goto(`${APP_URL}/hedgehog/demo?tab=runs`);
    await page.getByTestId('guest-sign-in-waiting').getByText('Signing you in as guest again').waitFor();
    await t.screenshot('31-reload-waits-for-backend');
    assert((await landed(page)) === 'app', 'the reload lands on the page once the backend answers');
    assert(failed > 5, `the guest refresh failed 5 times before it answered (${failed} calls)`);
    await page.getByText('Sync status').waitFor();
    await page.getByRole('tab', { name: /^Runs/ }).waitFor();
    await t.screenshot('32-reload-after-backend-restart');
  } finally {
    await page.unroute(refresh);
  }
});
