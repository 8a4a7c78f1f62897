import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/* The store's migrations (JavaScript files in the package's migrations/ folder). */

export const migrationsDir = resolvePackagePath(
  '@fabric-gitops/plugin-hedgehog-backend',
  'migrations',
);

/**
 * Runs the migrations. Replicas that start at the same moment on one database
 * race in Knex: both create its bookkeeping tables ("relation knex_migrations
 * already exists"), or one finds the other holding the migration lock ("Migration
 * table is already locked"), and the loser would fail to start. Those errors are
 * retried until the other replica is done, for up to `waitMs`: a replica that
 * starts slowly (a busy machine, a large migration) may hold the lock for many
 * seconds, so the wait is bounded by time, not by a number of attempts. After
 * that Knex's error is thrown as it is (a lock left by a killed process must be
 * released by hand, as it says).
 */
export async function migrateLatest(
  client: Knex,
  options: { waitMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
) {
  const { waitMs = 120_000, sleep = ms => new Promise<void>(r => setTimeout(r, ms)), now = Date.now } = options;
  const deadline = now() + waitMs;
  for (;;) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      const text = String(e instanceof Error ? e.message : e);
      if (now() >= deadline || !/already exists|already locked|duplicate key/i.test(text)) throw e;
      await sleep(250 + Math.floor(Math.random() * 500));
    }
  }
}
