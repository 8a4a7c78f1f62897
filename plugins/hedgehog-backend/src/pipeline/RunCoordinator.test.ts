import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseHedgehogStore } from '../database/DatabaseHedgehogStore';
import { RunRecord } from '../database/HedgehogStore';
import { RunCoordinator } from './RunCoordinator';

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
