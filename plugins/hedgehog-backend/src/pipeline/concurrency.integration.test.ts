import { TestDatabases } from '@backstage/backend-test-utils';
import { commitCount, createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const samples = path.resolve(__dirname, '../../../../test/fixtures/samples');

describe('one run per fabric across replicas', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-concurrency-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    'coalesces a burst of requests on two replicas into serial runs and one commit (%p)',
    async databaseId => {
      const repo = await createBareRepo(path.join(root, `${databaseId}.git`));
      const url = `file://${repo}`;
      await pushFiles(url, {
        'fabrics/lab/raw/wiring.yaml': await fs.readFile(path.join(samples, '07-nvidia-air-demo-include.yaml')),
      });
      const knex = await databases.init(databaseId);
      // Two backend replicas: separate coordinators (lock owners) on one database.
      const a = await createTestService({ knex, fabrics: [testFabric(url)] });
      const b = await createTestService({ knex, fabrics: [testFabric(url)] });
      try {
        const requests = await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).service.requestSync('lab', 'api')),
        );
        // Drain both until nothing is queued or running.
        for (let i = 0; i < 600; i++) {
          await Promise.all([a.service.coordinator.drain('lab'), b.service.coordinator.drain('lab')]);
          const active = await knex('hedgehog_runs').whereIn('status', ['queued', 'running']).count({ n: '*' });
          if (Number(active[0].n) === 0) break;
          await new Promise(r => setTimeout(r, 50));
        }
        const runs = await knex('hedgehog_runs').select('id', 'status', 'started_at', 'finished_at').orderBy('started_at');
        const ids = new Set(requests.map(r => r.runId));
        // every request got a run id of a run that exists; extra requests were coalesced
        expect([...ids].every(id => runs.some(r => r.id === id))).toBe(true);
        expect(runs.length).toBeLessThan(10);
        expect(runs.length).toBeGreaterThanOrEqual(1);
        expect(runs.every(r => r.status === 'succeeded')).toBe(true);
        // never two runs at the same time
        for (let i = 1; i < runs.length; i++) {
          expect(Number(runs[i].started_at)).toBeGreaterThanOrEqual(Number(runs[i - 1].finished_at));
        }
        // one ingest commit on top of the user's, no duplicates
        expect(await commitCount(repo)).toBe(2);
      } finally {
        await a.cleanup();
        await b.cleanup();
      }
    },
  );

  it('closes runs left running by a replica that died, and the next run completes', async () => {
    const repo = await createBareRepo(path.join(root, 'stale.git'));
    const url = `file://${repo}`;
    await pushFiles(url, {
      'fabrics/lab/raw/pre-demo.yaml': await fs.readFile(path.join(samples, '01-demo-gitops-env1-pre-demo.yaml')),
    });
    const knex = await databases.init('SQLITE_3');
    const env = await createTestService({ knex, fabrics: [testFabric(url)] });
    try {
      // A replica claimed a run, took the lock, and died (no heartbeat since).
      const { id } = await env.store.enqueueRun({ fabric: 'lab', type: 'sync', trigger: 'schedule' });
      await env.store.claimNextRun('lab');
      await knex('hedgehog_runs').where({ id }).update({ heartbeat_at: Date.now() - 10 * 60_000 });
      await knex('hedgehog_fabrics').where({ name: 'lab' }).update({ lock_owner: 'dead-replica', lock_expires_at: Date.now() - 1000 });

      const next = await env.sync();
      expect(next.status).toBe('succeeded');
      const stale = await env.store.getRun(id);
      expect(stale?.status).toBe('failed');
      expect(stale?.error).toMatch(/interrupted/);
      expect(await commitCount(repo)).toBe(2);
    } finally {
      await env.cleanup();
    }
  });
});
