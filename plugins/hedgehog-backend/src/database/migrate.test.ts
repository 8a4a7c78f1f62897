import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateLatest, migrationsDir } from './migrate';

jest.setTimeout(60_000);

describe('migrateLatest', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'waits for a migration lock another replica holds, and gives up only after its time (%p)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateLatest(knex);
      // one migration pending again, and the lock held (as by a replica migrating right now)
      await knex.migrate.down({ directory: migrationsDir });
      const pending = async () => (await knex.migrate.list({ directory: migrationsDir }))[1].length;
      expect(await pending()).toBe(1);
      await knex('knex_migrations_lock').update({ is_locked: 1 });

      // held past the wait: Knex's error, the migration still pending
      const t0 = Date.now();
      await expect(migrateLatest(knex, { waitMs: 1500 })).rejects.toThrow(/already locked/);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
      expect(await pending()).toBe(1);

      // released after 3 s (more than the 20 attempts of ~0.5 s the wait used to be, when bounded by count): it migrates
      const release = new Promise<void>(resolve =>
        setTimeout(() => void knex('knex_migrations_lock').update({ is_locked: 0 }).then(() => resolve()), 3000),
      );
      const attempts: number[] = [];
      await migrateLatest(knex, {
        waitMs: 30_000,
        sleep: ms => {
          attempts.push(ms);
          return new Promise(r => setTimeout(r, 100));
        },
      });
      await release;
      expect(attempts.length).toBeGreaterThan(20);
      expect(await pending()).toBe(0);
    },
  );
});
