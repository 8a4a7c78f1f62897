import { TestDatabases } from '@backstage/backend-test-utils';
import { FabricPlan, PlanAction } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

/*
 * A restore's dry run shows what the apply would do once the restored commit is
 * synced, and the restore run (apply: auto) then does exactly that, against the real
 * kube-apiserver of test/cluster.
 */
describe('the plan of a restore, against a real Kubernetes API server', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const tag = crypto.randomBytes(3).toString('hex');
  const fabric = `restore-${tag}`;
  const name = (x: string) => `restore-${tag}-${x}`;
  const all = ['keep', 'change', 'gone', 'new'];
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;

  const sgPath = (n = '') => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups${n ? `/${n}` : ''}`;
  const sg = (n: string, team = 'net') =>
    `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${n}\n  labels:\n    team: ${team}\nspec: {}\n`;
  const live = async (n: string) => {
    const res = await kubeRequest(cluster, 'GET', sgPath(n));
    return res.status === 200 ? res.body : undefined;
  };
  const file = (n: string) => `fabrics/lab/managed/switchgroups/${n}.yaml`;
  const refs = (plan: FabricPlan, action: PlanAction) =>
    plan.items.filter(i => i.action === action).map(i => i.name).sort();

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-restore-plan-it-'));
  });
  afterAll(async () => {
    for (const x of all) await kubeRequest(cluster, 'DELETE', sgPath(name(x))).catch(() => {});
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  it('plans the restored desired state as the apply then applies it', async () => {
    const repo = `file://${await createBareRepo(path.join(root, 'r.git'))}`;
    await pushFiles(repo, { 'fabrics/lab/raw/a.yaml': ['keep', 'change', 'gone'].map(x => sg(name(x))).join('---\n') });
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [testFabric(repo, { name: fabric, cluster: 'lab', prune: true, pruneLimit: 1, apply: 'auto' })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      const first = await env.sync(fabric);
      expect(first.status).toBe('succeeded');
      const synced = first.commitAfter!;
      // the next state: one object changed, one removed, one new; applied
      await pushFiles(repo, {
        [file(name('change'))]: sg(name('change'), 'ops'),
        [file(name('gone'))]: null,
        'fabrics/lab/raw/more.yaml': sg(name('new')),
      });
      expect((await env.sync(fabric)).status).toBe('succeeded');
      expect(await live(name('gone'))).toBeUndefined();
      expect((await live(name('change'))).metadata.labels.team).toBe('ops');

      const dry = await env.service.restore(fabric, synced, { dryRun: true });
      expect(dry.planError).toBeUndefined();
      const plan = dry.plan!;
      expect(plan.commit).toBe(synced); // the commit whose managed/ is planned
      expect(plan.counts).toEqual({ create: 1, update: 1, delete: 1, blocked: 0, conflict: 0 });
      expect(refs(plan, 'create')).toEqual([name('gone')]);
      expect(refs(plan, 'delete')).toEqual([name('new')]);
      expect(plan.items.find(i => i.action === 'update')).toMatchObject({
        name: name('change'),
        changes: [{ path: 'metadata.labels.team', from: 'ops', to: 'net' }],
      });
      expect(plan.unchanged).toBe(1);

      // the restore run, then the normal flow: its sync imports it and apply: auto applies it as planned
      const done = await env.service.restore(fabric, synced, { requestedBy: 'user:default/alice' });
      expect(done.runId).toBeDefined();
      await env.service.coordinator.drain(fabric);
      const run = (await env.store.getRun(done.runId!))!;
      expect(run).toMatchObject({ type: 'restore', status: 'succeeded', requestedBy: 'user:default/alice' });
      expect(run.stages.map(s => s.name)).toEqual(['fetch', 'restore', 'plan', 'ingest', 'validate', 'commit', 'import', 'apply', 'drift']);
      expect(await live(name('gone'))).toBeDefined();
      expect(await live(name('new'))).toBeUndefined();
      expect((await live(name('change'))).metadata.labels.team).toBe('net');
      // once applied, the fabric's own plan has nothing left to do
      expect((await env.service.plan(fabric)).totalItems).toBe(0);
    } finally {
      await env.cleanup();
    }
  });
});
