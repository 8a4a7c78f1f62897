import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DatabaseHedgehogStore } from '../database/DatabaseHedgehogStore';
import { RunCoordinator } from './RunCoordinator';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function until(what: string, check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Runs that block until the test releases them, recording which replica ran
 * which fabric and how many ran at once per replica.
 */
function blockingRuns(store: DatabaseHedgehogStore) {
  const gates: Array<() => void> = [];
  const executed: Array<{ replica: string; fabric: string }> = [];
  const running = new Map<string, number>();
  const most = new Map<string, number>();
  const coordinator = (replica: string, maxConcurrentRuns: number) =>
    new RunCoordinator({
      store,
      logger: mockServices.logger.mock(),
      maxConcurrentRuns,
      executor: {
        execute: async run => {
          const now = (running.get(replica) ?? 0) + 1;
          running.set(replica, now);
          most.set(replica, Math.max(most.get(replica) ?? 0, now));
          executed.push({ replica, fabric: run.fabric });
          await new Promise<void>(release => gates.push(release));
          running.set(replica, running.get(replica)! - 1);
          await store.updateRun(run.id, {
            status: 'succeeded',
            finishedAt: Date.now(),
          });
        },
      },
    });
  /** Releases the blocked runs one at a time, as they start, until `total` have been released. */
  const releaseAll = async (total: number) => {
    for (let released = 0; released < total; released++) {
      await until(
        `run ${released + 1} of ${total} to start`,
        () => gates.length > 0,
      );
      gates.shift()!();
    }
  };
  return { gates, executed, most, coordinator, releaseAll };
}

async function statuses(store: DatabaseHedgehogStore, runIds: string[]) {
  return Promise.all(runIds.map(async id => (await store.getRun(id))?.status));
}

describe.each(databases.eachSupportedId())(
  'RunCoordinator slots (%p)',
  (databaseId: TestDatabaseId) => {
    async function setup() {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: DatabaseHedgehogStore.migrationsDir,
      });
      return { knex, store: new DatabaseHedgehogStore(knex) };
    }

    it('executes at most maxConcurrentRuns runs at once; the others stay queued and all end, once each', async () => {
      const { knex, store } = await setup();
      const runs = blockingRuns(store);
      const coordinator = runs.coordinator('a', 2);
      const fabrics = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
      const requested = await Promise.all(
        fabrics.map(fabric =>
          coordinator.request({ fabric, type: 'sync', trigger: 'schedule' }),
        ),
      );

      await until('two runs to start', () => runs.gates.length === 2);
      await sleep(200);
      expect(runs.executed).toHaveLength(2);
      const [{ n: queued }] = await knex('hedgehog_runs')
        .where({ status: 'queued' })
        .count({ n: '*' });
      expect(Number(queued)).toBe(4);

      await runs.releaseAll(6);
      await Promise.all(fabrics.map(f => coordinator.drain(f)));
      expect(runs.executed.map(e => e.fabric).sort()).toEqual(fabrics);
      expect(runs.most.get('a')).toBe(2);
      expect(
        await statuses(
          store,
          requested.map(r => r.runId),
        ),
      ).toEqual(fabrics.map(() => 'succeeded'));
      await coordinator.stop();
    });

    it('starts a run queued while every slot is busy as soon as a slot frees, without the resume tick', async () => {
      const { store } = await setup();
      const runs = blockingRuns(store);
      const coordinator = runs.coordinator('a', 1);
      expect(coordinator.resumeIntervalMs).toBe(15_000);
      const first = await coordinator.request({
        fabric: 'f1',
        type: 'sync',
        trigger: 'schedule',
      });
      await until('the first run to start', () => runs.gates.length === 1);
      const second = await coordinator.request({
        fabric: 'f2',
        type: 'sync',
        trigger: 'schedule',
      });
      // The scheduled task does not wait for a slot: its drain returns at once, the run stays queued.
      await coordinator.drain('f2', { waitForSlot: false });
      expect((await store.getRun(second.runId))?.status).toBe('queued');
      expect(runs.executed.map(e => e.fabric)).toEqual(['f1']);

      const startedAt = Date.now();
      runs.gates.shift()!();
      await until(
        'the second run to start',
        () => runs.gates.length === 1,
        2_000,
      );
      expect(Date.now() - startedAt).toBeLessThan(2_000);
      expect(runs.executed.map(e => e.fabric)).toEqual(['f1', 'f2']);
      runs.gates.shift()!();
      await coordinator.drain('f2');
      expect(await statuses(store, [first.runId, second.runId])).toEqual([
        'succeeded',
        'succeeded',
      ]);
      await coordinator.stop();
    });

    it('spreads the runs over two replicas: an idle replica takes what a busy one left queued, each run once', async () => {
      const { store } = await setup();
      const runs = blockingRuns(store);
      const a = runs.coordinator('a', 2);
      const b = runs.coordinator('b', 2);
      const fabrics = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8'];
      // Replica a claimed every scheduled task: it queues every run and starts two.
      const requested = await Promise.all(
        fabrics.map(fabric =>
          a.request({ fabric, type: 'sync', trigger: 'schedule' }),
        ),
      );
      await until('a to start two runs', () => runs.gates.length === 2);
      // Replica b's resume tick finds the other runs queued and starts as many as it has slots.
      const resumed = await b.resumeQueued(fabrics);
      expect(resumed).toHaveLength(2);
      await until('b to start two runs', () => runs.gates.length === 4);
      expect(runs.executed.filter(e => e.replica === 'b')).toHaveLength(2);

      await runs.releaseAll(8);
      await Promise.all(fabrics.flatMap(f => [a.drain(f), b.drain(f)]));
      await sleep(100);
      expect(runs.gates).toEqual([]);
      expect(runs.executed.map(e => e.fabric).sort()).toEqual(fabrics);
      expect(runs.most.get('a')).toBeLessThanOrEqual(2);
      expect(runs.most.get('b')).toBeLessThanOrEqual(2);
      expect(
        await statuses(
          store,
          requested.map(r => r.runId),
        ),
      ).toEqual(fabrics.map(() => 'succeeded'));
      await Promise.all([a.stop(), b.stop()]);
    });
  },
);
