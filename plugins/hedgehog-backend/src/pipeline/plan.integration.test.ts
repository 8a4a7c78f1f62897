import { TestDatabases } from '@backstage/backend-test-utils';
import { APPLIED_BY_LABEL, FabricPlan, PlanAction } from '@fabric-gitops/plugin-hedgehog-common';
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
 * The plan (`POST /fabrics/:fabric/plan`) is what the apply then does, against the
 * real kube-apiserver of test/cluster: the same creates, updates (with their
 * field-level changes), deletes by prune, objects blocked by validation and
 * conflicts with another fabric. Objects have names of their own.
 */
describe('the plan of an apply, against a real Kubernetes API server', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const tag = crypto.randomBytes(3).toString('hex');
  const a = `plan-a${tag}`;
  const b = `plan-b${tag}`;
  const name = (x: string) => `plan-${tag}-${x}`;
  const all = ['keep', 'change', 'gone', 'new', 'bad', 'theirs', 'b-only'];
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;

  const sgPath = (n = '') => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups${n ? `/${n}` : ''}`;
  const sg = (n: string, team = 'net', spec = '{}') =>
    `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${n}\n  labels:\n    team: ${team}\nspec: ${spec}\n`;
  const live = async (n: string) => {
    const res = await kubeRequest(cluster, 'GET', sgPath(n));
    return res.status === 200 ? res.body : undefined;
  };
  const file = (n: string) => `fabrics/lab/managed/switchgroups/${n}.yaml`;

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-plan-it-'));
  });
  afterAll(async () => {
    for (const x of all) await kubeRequest(cluster, 'DELETE', sgPath(name(x))).catch(() => {});
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  const refs = (plan: FabricPlan, action: PlanAction) =>
    plan.items.filter(i => i.action === action).map(i => `${i.kind}/${i.name}`).sort();

  it('lists the creates, updates with their changes, deletes, blocked objects and conflicts the apply then has', async () => {
    const repoA = `file://${await createBareRepo(path.join(root, 'a.git'))}`;
    const repoB = `file://${await createBareRepo(path.join(root, 'b.git'))}`;
    await pushFiles(repoA, { 'fabrics/lab/raw/a.yaml': ['keep', 'change', 'gone'].map(x => sg(name(x))).join('---\n') });
    await pushFiles(repoB, { 'fabrics/lab/raw/b.yaml': sg(name('theirs'), 'b') });
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [
        testFabric(repoA, { name: a, cluster: 'lab', prune: true, pruneLimit: 1 }),
        testFabric(repoB, { name: b, cluster: 'lab' }),
      ],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      expect((await env.sync(a, { apply: true })).status).toBe('succeeded');
      expect((await env.sync(b, { apply: true })).status).toBe('succeeded');
      // fabric a's next commit: one object changed, one removed, one new, one invalid, one that is b's
      await pushFiles(repoA, {
        [file(name('change'))]: sg(name('change'), 'ops'),
        [file(name('gone'))]: null,
        'fabrics/lab/raw/more.yaml': [sg(name('new')), sg(name('bad'), 'net', '{unknownField: 1}'), sg(name('theirs'), 'a')].join('---\n'),
      });
      const synced = await env.sync(a);
      expect(synced.findings.some(f => f.severity === 'error' && f.file.includes(name('bad')))).toBe(true);

      const plan = await env.service.plan(a);
      expect(plan.counts).toEqual({ create: 1, update: 1, delete: 1, blocked: 1, conflict: 1 });
      expect(plan.unchanged).toBe(1);
      expect(plan.totalItems).toBe(5);
      expect(plan.cluster).toBe('lab');
      expect(plan.commit).toBe((await env.store.getFabricState(a))?.lastSyncedCommit);
      expect(refs(plan, 'create')).toEqual([`SwitchGroup/${name('new')}`]);
      expect(plan.items.find(i => i.action === 'update')).toEqual({
        kind: 'SwitchGroup',
        name: name('change'),
        action: 'update',
        changes: [{ path: 'metadata.labels.team', from: 'net', to: 'ops' }],
      });
      expect(refs(plan, 'delete')).toEqual([`SwitchGroup/${name('gone')}`]);
      expect(plan.items.find(i => i.action === 'blocked')).toMatchObject({ name: name('bad'), reason: 'not applied: unknown field spec.unknownField; spec must be empty' });
      expect(plan.items.find(i => i.action === 'conflict')).toMatchObject({ name: name('theirs'), reason: expect.stringContaining(`belongs to fabric ${b}`) });
      // 1 of the fabric's 3 objects, within its pruneLimit (all of them): no confirmation
      expect(plan.prune).toMatchObject({ enabled: true, total: 1, owned: 3, confirmationRequired: false, heldBack: 0 });

      // the apply does exactly that
      const run = await env.clusterRun('apply', {}, a);
      const apply = run.stages.find(s => s.name === 'apply')!;
      expect(apply.counts).toMatchObject({
        applied: plan.counts.create + plan.counts.update,
        unchanged: plan.unchanged,
        blocked: plan.counts.blocked,
        ownedElsewhere: plan.counts.conflict,
        pruned: plan.counts.delete,
        failed: 0,
      });
      expect(apply.prune?.objects.map(o => `${o.kind}/${o.name}`).sort()).toEqual(refs(plan, 'delete'));
      for (const r of [...refs(plan, 'create'), ...refs(plan, 'update')]) {
        const n = r.split('/')[1];
        expect([n, (await env.store.getResource(a, 'SwitchGroup', n))?.applyStatus]).toEqual([n, 'applied']);
      }
      expect((await live(name('new')))?.metadata.labels).toMatchObject({ [APPLIED_BY_LABEL]: a, team: 'net' });
      expect((await live(name('change')))?.metadata.labels.team).toBe('ops');
      expect(await live(name('gone'))).toBeUndefined();
      expect(await live(name('bad'))).toBeUndefined();
      expect((await live(name('theirs')))?.metadata.labels).toMatchObject({ [APPLIED_BY_LABEL]: b, team: 'b' });

      // after the apply, the plan has nothing left to do but what the apply refuses
      const again = await env.service.plan(a);
      expect(again.counts).toEqual({ create: 0, update: 0, delete: 0, blocked: 1, conflict: 1 });
      expect(again.unchanged).toBe(3);
    } finally {
      await env.cleanup();
    }
  });

  it('a prune beyond the limit is planned as deletes that need the confirmation, and a fabric without a cluster has no plan', async () => {
    const repo = `file://${await createBareRepo(path.join(root, 'c.git'))}`;
    await pushFiles(repo, { 'fabrics/lab/raw/c.yaml': sg(name('b-only')) });
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [
        testFabric(repo, { name: `plan-c${tag}`, cluster: 'lab', prune: true, pruneLimit: 0.1 }),
        testFabric(repo, { name: `plan-d${tag}` }),
      ],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      expect((await env.sync(`plan-c${tag}`, { apply: true })).status).toBe('succeeded');
      await pushFiles(repo, { [file(name('b-only'))]: null });
      await env.sync(`plan-c${tag}`);
      const plan = await env.service.plan(`plan-c${tag}`);
      expect(plan.counts.delete).toBe(1);
      expect(plan.prune).toMatchObject({ total: 1, owned: 1, confirmationRequired: true });
      expect(plan.items[0].reason).toMatch(/\{"confirmPrune": 1\}/);
      // unconfirmed, the apply deletes nothing; confirmed with the plan's count, it deletes what the plan said
      const held = await env.clusterRun('apply', {}, `plan-c${tag}`);
      expect(held.stages.find(s => s.name === 'apply')?.counts).toMatchObject({ pruned: 0, toPrune: 1 });
      const confirmed = await env.clusterRun('apply', { confirmPrune: plan.prune.total }, `plan-c${tag}`);
      expect(confirmed.stages.find(s => s.name === 'apply')?.prune?.objects).toEqual([{ kind: 'SwitchGroup', name: name('b-only') }]);
      expect(await live(name('b-only'))).toBeUndefined();

      await expect(env.service.plan(`plan-d${tag}`)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(/has no cluster, so there is no apply to plan/),
      });
    } finally {
      await env.cleanup();
    }
  });
});
