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
 * retried until the other replica is done.
 */
export async function migrateLatest(client: Knex) {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      const text = String(e instanceof Error ? e.message : e);
      if (attempt >= 20 || !/already exists|already locked|duplicate key/i.test(text)) throw e;
      await new Promise(r => setTimeout(r, 250 + Math.floor(Math.random() * 500)));
    }
  }
}
