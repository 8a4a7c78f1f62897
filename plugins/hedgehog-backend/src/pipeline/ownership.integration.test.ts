import { TestDatabases } from '@backstage/backend-test-utils';
import { APPLIED_BY_LABEL, HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { ClusterClient } from '../cluster/ClusterClient';
import { OwnedElsewhereError, applyChecked, deleteChecked } from '../cluster/checkedWrites';
import { createTestService, testFabric } from '../__testUtils__/harness';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

/*
 * No fabric changes or deletes an object another fabric applied
 * (docs/architecture.md#invariants): two fabrics of one backend on the real
 * kube-apiserver of test/cluster, both pruning, both defining an object of the
 * same name.
 */
describe('fabrics sharing a cluster', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const tag = crypto.randomBytes(3).toString('hex');
  const a = `own-a${tag}`;
  const b = `own-b${tag}`;
  const name = (x: string) => `own-${tag}-${x}`;
  const SwitchGroup = HEDGEHOG_KINDS.find(k => k.kind === 'SwitchGroup')!;
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;

  const sgPath = (n = '') => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups${n ? `/${n}` : ''}`;

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-own-it-'));
  });
  afterAll(async () => {
    for (const x of ['shared', 'a-only', 'b-only', 'hand', 'raced']) await kubeRequest(cluster, 'DELETE', sgPath(name(x))).catch(() => {});
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  const sg = (n: string, team: string) => `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${n}\n  labels:\n    team: ${team}\nspec: {}\n`;
  const live = async (n: string) => {
    const res = await kubeRequest(cluster, 'GET', sgPath(n));
    return res.status === 200 ? res.body : undefined;
  };
  const clusterDef = () => ({ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false });

  it('neither fabric overwrites, relabels, prunes or adopts the other one\'s object; drift says owned elsewhere', async () => {
    const repoA = `file://${await createBareRepo(path.join(root, 'a.git'))}`;
    const repoB = `file://${await createBareRepo(path.join(root, 'b.git'))}`;
    await pushFiles(repoA, { 'fabrics/lab/raw/a.yaml': [sg(name('shared'), 'a'), sg(name('a-only'), 'a')].join('---\n') });
    await pushFiles(repoB, { 'fabrics/lab/raw/b.yaml': [sg(name('shared'), 'b'), sg(name('b-only'), 'b')].join('---\n') });
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [
        testFabric(repoA, { name: a, cluster: 'lab', prune: true, pruneLimit: 1 }),
        testFabric(repoB, { name: b, cluster: 'lab', prune: true, pruneLimit: 1 }),
      ],
      clusters: [clusterDef()],
    });
    try {
      expect((await env.sync(a, { apply: true })).status).toBe('succeeded');
      const before = await live(name('shared'));
      expect(before.metadata.labels).toMatchObject({ [APPLIED_BY_LABEL]: a, team: 'a' });

      // b defines the same object: a conflict naming the owner, never sent
      const runB = await env.sync(b, { apply: true });
      expect(runB.status).toBe('partial');
      const applyB = runB.stages.find(s => s.name === 'apply')!;
      expect(applyB.counts).toMatchObject({ applied: 1, ownedElsewhere: 1, failed: 0 });
      expect(applyB.errors).toEqual([
        {
          file: `SwitchGroup/${name('shared')}`,
          message: `SwitchGroup ${name('shared')} in the cluster belongs to fabric ${a} (label ${APPLIED_BY_LABEL}=${a}); fabric ${b} does not change, delete or adopt it`,
        },
      ]);
      expect(runB.error).toMatch(/1 object\(s\) could not be applied/);
      const after = await live(name('shared'));
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(after.metadata.labels).toMatchObject({ [APPLIED_BY_LABEL]: a, team: 'a' });
      expect(await env.store.getResource(b, 'SwitchGroup', name('shared'))).toMatchObject({ applyStatus: 'blocked', drift: { status: 'owned_elsewhere' } });
      // a's object only in the cluster is b's "owned elsewhere", not orphaned (so not adoptable)
      expect(await env.store.getResource(b, 'SwitchGroup', name('a-only'))).toMatchObject({ gitPath: '', drift: { status: 'owned_elsewhere' } });
      const driftB = runB.stages.find(s => s.name === 'drift')!;
      expect(driftB.counts.owned_elsewhere).toBeGreaterThanOrEqual(2);
      await expect(env.service.adopt(b, 'SwitchGroup', name('a-only'))).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(new RegExp(`belongs to fabric ${a}`)),
      });

      // both prune: neither deletes the other's objects, also once b's Git drops the shared one
      await pushFiles(repoB, { [`fabrics/lab/managed/switchgroups/${name('shared')}.yaml`]: null });
      const pruneB = await env.sync(b, { apply: true });
      expect(pruneB.stages.find(s => s.name === 'apply')?.counts).toMatchObject({ pruned: 0, toPrune: 0, ownedElsewhere: 0 });
      expect((await env.clusterRun('apply', {}, a)).stages.find(s => s.name === 'apply')?.counts).toMatchObject({ pruned: 0, toPrune: 0 });
      for (const x of ['shared', 'a-only', 'b-only']) expect(await live(name(x))).toBeDefined();
      // a still sees its objects in sync
      const driftA = await env.clusterRun('drift', {}, a);
      expect(await env.store.getResource(a, 'SwitchGroup', name('shared'))).toMatchObject({ drift: { status: 'in_sync' } });
      expect(await env.store.getResource(a, 'SwitchGroup', name('b-only'))).toMatchObject({ drift: { status: 'owned_elsewhere' } });
      expect(driftA.status).toBe('succeeded');

      // an object made by hand is adoptable; once a applied it, b may no longer adopt it,
      // even from a drift status read before (the cluster is read again)
      await kubeRequest(cluster, 'POST', sgPath(), {
        body: { apiVersion: 'wiring.githedgehog.com/v1beta1', kind: 'SwitchGroup', metadata: { name: name('hand') }, spec: {} },
      });
      await env.clusterRun('drift', {}, b);
      expect(await env.store.getResource(b, 'SwitchGroup', name('hand'))).toMatchObject({ drift: { status: 'orphaned_in_cluster' } });
      await pushFiles(repoA, { 'fabrics/lab/raw/hand.yaml': sg(name('hand'), 'a') });
      await env.sync(a, { apply: true });
      expect((await live(name('hand'))).metadata.labels[APPLIED_BY_LABEL]).toBe(a);
      await expect(env.service.adopt(b, 'SwitchGroup', name('hand'))).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(new RegExp(`belongs to fabric ${a}`)),
      });
    } finally {
      await env.cleanup();
    }
  });

  it('a write planned on an older version of the object is not sent once another fabric took it', async () => {
    const client = new ClusterClient(clusterDef());
    const object = (team: string, fabric: string) => ({
      apiVersion: 'wiring.githedgehog.com/v1beta1',
      kind: 'SwitchGroup',
      metadata: { name: name('raced'), labels: { team, [APPLIED_BY_LABEL]: fabric } },
      spec: {},
    });
    const mine = await client.apply(SwitchGroup, object('a', a));
    const listed = mine.metadata.resourceVersion;
    // between a's LIST and its write, b takes the object
    const theirs = await client.apply(SwitchGroup, object('b', b));
    await expect(applyChecked(client, SwitchGroup, object('a', a), { fabric: a, resourceVersion: listed })).rejects.toBeInstanceOf(
      OwnedElsewhereError,
    );
    await expect(deleteChecked(client, SwitchGroup, name('raced'), { fabric: a, resourceVersion: listed })).resolves.toEqual({
      kept: expect.stringMatching(new RegExp(`belongs to fabric ${b}`)),
    });
    const now = await live(name('raced'));
    expect(now.metadata.resourceVersion).toBe(theirs.metadata.resourceVersion);
    expect(now.metadata.labels).toMatchObject({ team: 'b', [APPLIED_BY_LABEL]: b });

    // a newer version that is still the fabric's own (a status or label change): written, and deleted
    const again = await applyChecked(client, SwitchGroup, object('b2', b), { fabric: b, resourceVersion: listed });
    expect(again.metadata.labels.team).toBe('b2');
    await expect(deleteChecked(client, SwitchGroup, name('raced'), { fabric: b, resourceVersion: listed })).resolves.toEqual({});
    expect(await live(name('raced'))).toBeUndefined();
  });
});
