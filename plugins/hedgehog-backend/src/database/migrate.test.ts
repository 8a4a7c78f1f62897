import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { migrateLatest, migrationsDir, SCHEDULER_LOCK_TABLE } from './migrate';

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

  it.each(databases.eachSupportedId())(
    'mends the two lock rows that replicas starting together can leave, which Knex reads as locked for ever (%p)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // what the race leaves: both replicas found the lock table empty and each inserted its row
      await knex.schema.createTable('knex_migrations_lock', t => {
        t.increments('index').primary();
        t.integer('is_locked');
      });
      await knex('knex_migrations_lock').insert([{ is_locked: 0 }, { is_locked: 0 }]);
      await expect(knex.migrate.latest({ directory: migrationsDir })).rejects.toThrow(/already locked/);

      await migrateLatest(knex, { waitMs: 10_000, sleep: () => Promise.resolve() });
      expect(await knex('knex_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
      expect((await knex.migrate.list({ directory: migrationsDir }))[1]).toEqual([]);
    },
  );

  it('replicas that migrate a fresh PostgreSQL database at once all start, and leave one lock row', async () => {
    if (!databases.eachSupportedId().some(([id]) => id === 'POSTGRES_15')) return;
    const first = await databases.init('POSTGRES_15');
    // six clients on the same (empty) database, as six replicas would be
    const replicas = Array.from({ length: 6 }, () =>
      knexFactory({ client: 'pg', connection: first.client.config.connection, pool: { min: 0, max: 3 } }),
    );
    try {
      await Promise.all(replicas.map(r => migrateLatest(r, { waitMs: 30_000 })));
      expect(await first('knex_migrations_lock').select('is_locked')).toEqual([{ is_locked: 0 }]);
      expect((await first.migrate.list({ directory: migrationsDir }))[1]).toEqual([]);
    } finally {
      await Promise.all(replicas.map(r => r.destroy()));
    }
  });

  it.each(databases.eachSupportedId())(
    "mends the scheduler's lock table the same race left with two rows, at the next start (%p)",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable(SCHEDULER_LOCK_TABLE, t => {
        t.increments('index').primary();
        t.integer('is_locked');
      });
      await knex(SCHEDULER_LOCK_TABLE).insert([{ is_locked: 0 }, { is_locked: 0 }, { is_locked: 0 }]);
      await migrateLatest(knex);
      expect(await knex(SCHEDULER_LOCK_TABLE).select('index', 'is_locked')).toEqual([{ index: 1, is_locked: 0 }]);
    },
  );
});

