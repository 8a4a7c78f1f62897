import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { ClusterClient } from '../cluster/ClusterClient';
import { createTestService, testFabric } from '../__testUtils__/harness';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

const TTL = 2000;

/*
 * An apply (and its prune) whose replica loses the fabric's lock midway sends
 * nothing more to the cluster: it stops before its next level, against the real
 * kube-apiserver of test/cluster. Objects have names of their own, so the test
 * needs no wipe of the shared cluster.
 */
describe('an apply that is overtaken', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const tag = crypto.randomBytes(3).toString('hex');
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;
  const created: string[] = [];

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-lostlock-apply-'));
  });
  afterAll(async () => {
    for (const p of created) await kubeRequest(cluster, 'DELETE', p).catch(() => {});
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });
  afterEach(() => jest.restoreAllMocks());

  const objectPath = (plural: string, name: string) =>
    `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/${plural}/${name}`;
  const exists = async (p: string) => (await kubeRequest(cluster, 'GET', p)).status === 200;

  it("stops before the next level once another replica holds the fabric's lock: the later levels are never sent", async () => {
    const group = `lla-${tag}-g`;
    const server = `lla-${tag}-s`;
    created.push(objectPath('switchgroups', group), objectPath('servers', server));
    const repo = await createBareRepo(path.join(root, 'apply.git'));
    const url = `file://${repo}`;
    await pushFiles(url, {
      'fabrics/lab/raw/objects.yaml': [
        `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${group}\nspec: {}\n`,
        `apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: ${server}\nspec:\n  description: a server\n`,
      ].join('---\n'),
    });
    const fabric = `lla${tag}`;
    const knex = await databases.init('SQLITE_3');
    const env = await createTestService({
      knex,
      lockTtlMs: TTL,
      fabrics: [testFabric(url, { name: fabric, cluster: 'lab' })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      const apply = ClusterClient.prototype.apply;
      const sent: string[] = [];
      jest.spyOn(ClusterClient.prototype, 'apply').mockImplementation(async function overtaken(this: ClusterClient, kind, object, options) {
        sent.push(`${kind.kind}/${object.metadata.name}`);
        const live = await apply.call(this, kind, object, options);
        if (kind.kind === 'SwitchGroup' && !options?.dryRun) {
          // while the first level is applied, another replica takes the lock (as after a stall), and a heartbeat finds it taken
          await knex('hedgehog_fabrics').where({ name: fabric }).update({ lock_owner: 'other-replica', lock_expires_at: Date.now() + 60_000 });
          await new Promise(r => setTimeout(r, TTL));
        }
        return live;
      });
      const run = await env.sync(fabric, { apply: true });
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(
        new RegExp(`^the run lost the lock of fabric ${fabric} \\(another backend replica holds it now\\) and stopped before level 2 of 2 of the apply`),
      );
      expect(sent).toEqual([`SwitchGroup/${group}`]);
      expect(await exists(objectPath('switchgroups', group))).toBe(true);
      expect(await exists(objectPath('servers', server))).toBe(false);
    } finally {
      await env.cleanup();
    }
  });
  it("a prune stops before its next level once another replica holds the fabric's lock", async () => {
    const group = `llp-${tag}-g`;
    const server = `llp-${tag}-s`;
    created.push(objectPath('switchgroups', group), objectPath('servers', server));
    const repo = await createBareRepo(path.join(root, 'prune.git'));
    const url = `file://${repo}`;
    const keep = `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: llp-${tag}-keep\nspec: {}\n`;
    created.push(objectPath('switchgroups', `llp-${tag}-keep`));
    await pushFiles(url, {
      'fabrics/lab/raw/objects.yaml': [
        keep,
        `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${group}\nspec: {}\n`,
        `apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: ${server}\nspec:\n  description: a server\n`,
      ].join('---\n'),
    });
    const fabric = `llp${tag}`;
    const knex = await databases.init('SQLITE_3');
    const auditor = mockServices.auditor.mock();
    const env = await createTestService({
      knex,
      auditor,
      lockTtlMs: TTL,
      fabrics: [testFabric(url, { name: fabric, cluster: 'lab', prune: true, pruneLimit: 1 })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      expect((await env.sync(fabric, { apply: true })).stages.find(s => s.name === 'apply')?.counts.applied).toBe(3);
      // Git removes the group and the server: the prune deletes the server (level 1), then the group (level 2)
      await pushFiles(url, {
        [`fabrics/lab/managed/switchgroups/${group}.yaml`]: null,
        [`fabrics/lab/managed/servers/${server}.yaml`]: null,
      });
      const remove = ClusterClient.prototype.delete;
      const deleted: string[] = [];
      jest.spyOn(ClusterClient.prototype, 'delete').mockImplementation(async function overtaken(this: ClusterClient, kind, name, options) {
        deleted.push(`${kind.kind}/${name}`);
        await remove.call(this, kind, name, options);
        await knex('hedgehog_fabrics').where({ name: fabric }).update({ lock_owner: 'other-replica', lock_expires_at: Date.now() + 60_000 });
        await new Promise(r => setTimeout(r, TTL));
      });
      const run = await env.sync(fabric, { apply: true });
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/and stopped before level 2 of 2 of the prune/);
      expect(deleted).toEqual([`Server/${server}`]);
      expect(await exists(objectPath('servers', server))).toBe(false);
      expect(await exists(objectPath('switchgroups', group))).toBe(true);
      // audited: the one object deleted, the one left, and why the prune stopped
      const prunes = auditor.createEvent.mock.calls.map(([o]) => o).filter(o => o.eventId === 'fabric-prune');
      expect(prunes.map(o => o.meta)).toEqual([
        expect.objectContaining({ runId: run.id, count: 1, deleted: [`Server/${server}`], notDeletedCount: 1, notDeleted: [`SwitchGroup/${group}`] }),
      ]);
      const event = await auditor.createEvent.mock.results[auditor.createEvent.mock.calls.findIndex(([o]) => o.eventId === 'fabric-prune')].value;
      expect(event.fail.mock.calls[0][0].error.message).toMatch(/^the prune stopped: .*level 2 of 2 of the prune/);
    } finally {
      await env.cleanup();
    }
  });
});
