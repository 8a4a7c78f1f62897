import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/* The store's migrations (JavaScript files in the package's migrations/ folder). */

export const migrationsDir = resolvePackagePath(
  '@fabric-gitops/plugin-hedgehog-backend',
  'migrations',
);

const LOCK_TABLE = 'knex_migrations_lock';
/** The lock table of Backstage's scheduler (its migrations table, `backstage_backend_tasks__knex_migrations`, plus `_lock`). */
export const SCHEDULER_LOCK_TABLE = 'backstage_backend_tasks__knex_migrations_lock';

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
 *
 * The race can also leave Knex's lock table with two rows: both replicas find it
 * empty and each inserts its row. Knex then takes the lock by updating the row
 * that is free and expects exactly one updated row, so with two it reports
 * "already locked" for ever and no replica starts again. Such extra rows are
 * removed before the next attempt (both are free: no lock can be taken while
 * there are two). Backstage's scheduler migrates its tables in the same
 * (plugin's) database with the same race and no retry: the replica that loses
 * fails to start, and would fail again at every restart. Its lock table is
 * mended the same way here, at the start of each replica, so a restart heals it.
 */
export async function migrateLatest(
  client: Knex,
  options: { waitMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
) {
  const { waitMs = 120_000, sleep = ms => new Promise<void>(r => setTimeout(r, ms)), now = Date.now } = options;
  const deadline = now() + waitMs;
  await removeExtraLockRows(client, SCHEDULER_LOCK_TABLE);
  for (;;) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      const text = String(e instanceof Error ? e.message : e);
      if (now() >= deadline || !/already exists|already locked|duplicate key/i.test(text)) throw e;
      if (/already locked/i.test(text)) await removeExtraLockRows(client, LOCK_TABLE);
      await sleep(250 + Math.floor(Math.random() * 500));
    }
  }
}


/** Keeps the first of a Knex lock table's rows when a race inserted more than one. */
export async function removeExtraLockRows(client: Knex, lockTable: string) {
  if (!(await client.schema.hasTable(lockTable))) return;
  const rows: Array<{ index: number }> = await client(lockTable).select('index');
  if (rows.length < 2) return;
  const first = Math.min(...rows.map(r => Number(r.index)));
  await client(lockTable).where('index', '>', first).delete();
}
