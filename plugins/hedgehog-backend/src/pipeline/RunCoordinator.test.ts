import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseHedgehogStore } from '../database/DatabaseHedgehogStore';
import { RunRecord } from '../database/HedgehogStore';
import { RunCoordinator } from './RunCoordinator';
import { LockLostError, RunLease } from './RunLease';

jest.setTimeout(60_000);

/**
 * A replica took the lock of `lab`, claimed a run and died: its run is left
 * `running` with an old heartbeat, its lock expires, and a run queued behind it
 * waits. Real store on SQLite.
 */
describe('RunCoordinator.resumeQueued', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setup(lockExpiresIn: number) {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
    const store = new DatabaseHedgehogStore(knex);
    const dead = await store.enqueueRun({ fabric: 'lab', type: 'sync', trigger: 'schedule' });
    await store.claimNextRun('lab');
    await knex('hedgehog_runs').where({ id: dead.id }).update({ heartbeat_at: Date.now() - 60_000 });
    await knex('hedgehog_fabrics')
      .where({ name: 'lab' })
      .update({ lock_owner: 'dead-replica', lock_expires_at: Date.now() + lockExpiresIn });
    const queued = await store.enqueueRun({ fabric: 'lab', type: 'sync', trigger: 'api' });
    const executed: RunRecord[] = [];
    const coordinator = new RunCoordinator({
      store,
      logger: mockServices.logger.mock(),
      lockTtlMs: 4000,
      executor: {
        execute: async run => {
          executed.push(run);
          await store.updateRun(run.id, { status: 'succeeded', finishedAt: Date.now() });
        },
      },
    });
    return { knex, store, coordinator, dead, queued, executed };
  }

  it('starts the queued run once the dead holder\'s lock expired, closing the interrupted run first', async () => {
    const { store, coordinator, dead, queued, executed } = await setup(-1);
    expect(coordinator.resumeIntervalMs).toBe(1000);
    expect(await coordinator.resumeQueued(['lab', 'other'])).toEqual(['lab']);
    await coordinator.drain('lab');
    expect(executed.map(r => r.id)).toEqual([queued.id]);
    expect((await store.getRun(queued.id))?.status).toBe('succeeded');
    const closed = await store.getRun(dead.id);
    expect(closed?.status).toBe('failed');
    expect(closed?.error).toMatch(/interrupted/);
    // nothing left to resume
    expect(await coordinator.resumeQueued(['lab'])).toEqual([]);
  });

  it('leaves a fabric alone while its lock is held', async () => {
    const { store, coordinator, queued, executed } = await setup(60_000);
    expect(await coordinator.resumeQueued(['lab'])).toEqual(['lab']);
    await coordinator.drain('lab');
    expect(executed).toEqual([]);
    expect((await store.getRun(queued.id))?.status).toBe('queued');
  });

  it('does nothing after stop()', async () => {
    const { coordinator, executed } = await setup(-1);
    coordinator.stop();
    expect(await coordinator.resumeQueued(['lab'])).toEqual([]);
    expect(executed).toEqual([]);
  });
});

describe('RunCoordinator.stop', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('resolves once the run under way has ended, and takes no new runs', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
    const store = new DatabaseHedgehogStore(knex);
    let release!: () => void;
    const released = new Promise<void>(resolve => {
      release = resolve;
    });
    const started: string[] = [];
    const coordinator = new RunCoordinator({
      store,
      logger: mockServices.logger.mock(),
      executor: {
        execute: async run => {
          started.push(run.id);
          await released;
          await store.updateRun(run.id, { status: 'succeeded', finishedAt: Date.now() });
        },
      },
    });
    const { runId } = await coordinator.request({ fabric: 'lab', type: 'sync', trigger: 'api' });
    while (started.length === 0) await new Promise(r => setTimeout(r, 10));
    let stopped = false;
    const stopping = coordinator.stop().then(() => {
      stopped = true;
    });
    await new Promise(r => setTimeout(r, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await store.getRun(runId))?.status).toBe('succeeded');
    await coordinator.request({ fabric: 'lab', type: 'sync', trigger: 'api' });
    await coordinator.drain('lab');
    expect(started).toHaveLength(1);
  });

  it('gives up waiting after its bound', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
    const store = new DatabaseHedgehogStore(knex);
    const coordinator = new RunCoordinator({
      store,
      logger: mockServices.logger.mock(),
      executor: { execute: () => new Promise<void>(() => {}) },
    });
    await coordinator.request({ fabric: 'lab', type: 'sync', trigger: 'api' });
    await new Promise(r => setTimeout(r, 50));
    // a run that never ends does not hold the shutdown: stop resolves after its bound
    await expect(coordinator.stop(200)).resolves.toBeUndefined();
  });
});

describe('RunCoordinator: a run that loses its lock', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('hands the run a lease that the heartbeat finds lost once another replica holds the lock, and claims no further run', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
    const store = new DatabaseHedgehogStore(knex);
    const first = await store.enqueueRun({ fabric: 'lab', type: 'sync', trigger: 'api' });
    const seen: Array<{ id: string; before?: string; after?: string; error?: unknown }> = [];
    const coordinator = new RunCoordinator({
      store,
      logger: mockServices.logger.mock(),
      lockTtlMs: 4000,
      heartbeatMs: 100,
      executor: {
        execute: async (run: RunRecord, lease: RunLease) => {
          const entry: (typeof seen)[number] = { id: run.id, before: lease.lost };
          seen.push(entry);
          // another run is queued, and meanwhile another replica takes the lock over
          await store.enqueueRun({ fabric: 'lab', type: 'apply', trigger: 'api' });
          await knex('hedgehog_fabrics').where({ name: 'lab' }).update({ lock_owner: 'other-replica', lock_expires_at: Date.now() + 60_000 });
          await new Promise(r => setTimeout(r, 400));
          entry.after = lease.lost;
          try {
            lease.throwIfLost('the import stage');
          } catch (e) {
            entry.error = e;
          }
          await store.updateRun(run.id, { status: 'failed', error: String(entry.error), finishedAt: Date.now() });
        },
      },
    });
    await coordinator.drain('lab');
    expect(seen.map(s => s.id)).toEqual([first.id]);
    expect(seen[0].before).toBeUndefined();
    expect(seen[0].after).toBe('another backend replica holds it now');
    expect(seen[0].error).toBeInstanceOf(LockLostError);
    // the queued run is the new lock holder's: not claimed here, and its lock is left to it
    expect(await knex('hedgehog_runs').where({ fabric: 'lab', status: 'queued' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect((await knex('hedgehog_fabrics').where({ name: 'lab' }).first()).lock_owner).toBe('other-replica');
  });
});
