import { TestDatabases } from '@backstage/backend-test-utils';
import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import { promises as fs } from 'fs';
import { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { ClusterClient, ClusterDefinition } from '../cluster/ClusterClient';
import { APPLIED_BY_LABEL } from '../drift/normalizeObject';
import { createTestService, testFabric } from '../__testUtils__/harness';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

const samples = path.resolve(__dirname, '../../../../test/fixtures/samples');
const sample = (name: string) => fs.readFile(path.join(samples, name), 'utf8');

/** Tests against a real kube-apiserver with the Hedgehog CRDs of the managed kinds (test/cluster). */
describe('apply and drift against a real Kubernetes API server', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let cluster: TestCluster;
  let root: string;
  let counter = 0;

  let release: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // The cluster is shared with other test files: this one lists and counts whole kinds.
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-cluster-it-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });
  beforeEach(() => wipeCluster());

  const kind = (k: string) => HEDGEHOG_KINDS.find(x => x.kind === k)!;
  const objectPath = (k: string, name = '') =>
    `/apis/${kind(k).group}/${kind(k).version}/namespaces/default/${kind(k).plural}${name ? `/${name}` : ''}`;

  async function wipeCluster() {
    for (const k of HEDGEHOG_KINDS) {
      await kubeRequest(cluster, 'DELETE', `/apis/${k.group}/${k.version}/namespaces/default/${k.plural}`);
    }
  }

  /**
   * What a real Hedgehog cluster holds besides a VPC-only repository: the default
   * namespaces (created at install) and the wiring (installed by hhfab). Samples 01
   * and 02 keep only VPCs in Git; validation resolves their references against these.
   */
  async function seedClusterWiring(opts: { connections: boolean }) {
    const create = async (k: string, name: string, spec: object) => {
      const res = await kubeRequest(cluster, 'POST', objectPath(k), {
        body: { apiVersion: `${kind(k).group}/${kind(k).version}`, kind: k, metadata: { name }, spec },
      });
      expect(res.status).toBe(201);
    };
    await create('IPv4Namespace', 'default', { subnets: ['10.0.0.0/8'] });
    await create('VLANNamespace', 'default', { ranges: [{ from: 1000, to: 2999 }] });
    if (!opts.connections) return;
    const link = (server: string, sw: string) => ({ server: { port: `${server}/enp2s1` }, switch: { port: `${sw}/E1/1` } });
    await create('Connection', 'server-1--mclag--s5248-01--s5248-02', {
      mclag: { links: [link('server-1', 's5248-01'), { server: { port: 'server-1/enp2s2' }, switch: { port: 's5248-02/E1/1' } }] },
    });
    await create('Connection', 'server-4--unbundled--s5248-02', { unbundled: { link: { server: { port: 'server-4/enp2s1' }, switch: { port: 's5248-02/E1/4' } } } });
    await create('Connection', 'server-3--bundled--s5248-01', {
      bundled: { links: [{ server: { port: 'server-3/enp2s1' }, switch: { port: 's5248-01/E1/3' } }, { server: { port: 'server-3/enp2s2' }, switch: { port: 's5248-01/E1/5' } }] },
    });
  }

  async function liveObject(k: string, name: string) {
    const res = await kubeRequest(cluster, 'GET', objectPath(k, name));
    return res.status === 200 ? res.body : undefined;
  }

  function clusterDef(overrides: Partial<ClusterDefinition> = {}): ClusterDefinition {
    return { name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false, ...overrides };
  }

  async function fabricWith(files: Record<string, string>, opts: { prune?: boolean; cluster?: ClusterDefinition; knex?: Knex } = {}) {
    const repo = await createBareRepo(path.join(root, `f${++counter}.git`));
    const url = `file://${repo}`;
    await pushFiles(url, Object.fromEntries(Object.entries(files).map(([p, c]) => [`fabrics/lab/${p}`, c])));
    const env = await createTestService({
      knex: opts.knex ?? (await databases.init('SQLITE_3')),
      fabrics: [testFabric(url, { cluster: 'lab', prune: opts.prune ?? false })],
      clusters: [opts.cluster ?? clusterDef()],
    });
    return { env, url, repo };
  }

  it('reports the server version and the installed CRDs', async () => {
    const { env } = await fabricWith({});
    try {
      const status = await env.service.clusterStatus('lab');
      expect(status.reachable).toBe(true);
      expect(status.version).toMatch(/^v\d+\.\d+\.\d+/);
      expect(status.crds).toHaveLength(HEDGEHOG_KINDS.length);
      expect(status.crds.every(c => c.installed)).toBe(true);
    } finally {
      await env.cleanup();
    }
  });

  it.each([
    '01-demo-gitops-env1-pre-demo.yaml',
    '02-demo-gitops-env1-demo.yaml',
    '04-hnp-vlab-prepop.yaml',
    '05-docs-sample-wiring-diagram.yaml',
    '07-nvidia-air-demo-include.yaml',
  ])('applies sample %s, and a re-apply changes nothing', async name => {
    if (/^0[12]-/.test(name)) await seedClusterWiring({ connections: true });
    const { env } = await fabricWith({ 'raw/sample.yaml': await sample(name) });
    try {
      const run = await env.sync('lab', { apply: true });
      const apply = run.stages.find(s => s.name === 'apply')!;
      expect(apply.errors).toEqual([]);
      expect(apply.counts.failed).toBe(0);
      const resources = (await env.store.listDesired('lab'));
      expect(apply.counts.applied + apply.counts.blocked).toBe(resources.length);
      expect(apply.counts.applied).toBeGreaterThan(0);
      // every applied object is in the cluster, labelled as ours
      const detail = await env.store.listResources('lab', { offset: 0, limit: 500 });
      const applied = detail.items.filter(i => i.applyStatus === 'applied');
      expect(applied).toHaveLength(apply.counts.applied);
      for (const r of applied.slice(0, 20)) {
        const live = await liveObject(r.kind, r.name);
        expect(live?.metadata.labels[APPLIED_BY_LABEL]).toBe('lab');
      }
      // drift ran after the apply: everything applied is in sync
      const drift = run.stages.find(s => s.name === 'drift')!;
      expect(drift.status).toBe('succeeded');
      expect(drift.counts.in_sync).toBe(apply.counts.applied);
      expect(drift.counts.drifted).toBe(0);
      expect(drift.counts.listRequests).toBeLessThanOrEqual(12 + 12);

      // re-apply: no apply request, resourceVersions unchanged
      const before = await liveObject(applied[0].kind, applied[0].name);
      const again = await env.clusterRun('apply');
      const stage = again.stages.find(s => s.name === 'apply')!;
      expect(stage.counts.applyRequests).toBe(0);
      expect(stage.counts.unchanged).toBe(apply.counts.applied);
      const after = await liveObject(applied[0].kind, applied[0].name);
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    } finally {
      await env.cleanup();
    }
  });

  it('uses one cluster client for all of a sync: validation, apply and drift', async () => {
    const { env } = await fabricWith({ 'raw/sample.yaml': await sample('05-docs-sample-wiring-diagram.yaml') });
    const list = jest.spyOn(ClusterClient.prototype, 'list');
    const readConfigMap = jest.spyOn(ClusterClient.prototype, 'readConfigMap');
    const apply = jest.spyOn(ClusterClient.prototype, 'apply');
    try {
      const run = await env.sync('lab', { apply: true });
      expect(run.stages.find(s => s.name === 'drift')?.status).toBe('succeeded');
      // validation read the FabricConfig and listed, apply applied, drift listed: all through one client
      expect(readConfigMap).toHaveBeenCalled();
      expect(apply).toHaveBeenCalled();
      expect(list.mock.calls.length).toBeGreaterThanOrEqual(HEDGEHOG_KINDS.length);
      const clients = new Set([...list.mock.contexts, ...readConfigMap.mock.contexts, ...apply.mock.contexts]);
      expect(clients.size).toBe(1);
    } finally {
      list.mockRestore();
      readConfigMap.mockRestore();
      apply.mockRestore();
      await env.cleanup();
    }
  });

  it('finds drift by field, missing and orphaned objects, and ignores webhook and hydration fields', async () => {
    await seedClusterWiring({ connections: false });
    const { env } = await fabricWith({ 'raw/wiring.yaml': await sample('04-hnp-vlab-prepop.yaml'), 'raw/vpcs.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml') });
    try {
      const run = await env.sync('lab', { apply: true });
      const applied = run.stages.find(s => s.name === 'apply')!;
      expect(applied.counts.failed).toBe(0);
      // resources with validation errors (e.g. attachments of sample 01 naming
      // connections that sample 04 does not have) are never applied
      const blocked = applied.counts.blocked;

      // Sample 04 is not hydrated: its switches are blocked from apply. In a real
      // fabric hhfab installs them hydrated; do that, with the webhooks' labels.
      const spine = (await env.store.getResource('lab', 'Switch', 'spine-01'))!;
      expect(spine.applyStatus).toBe('blocked');
      const hydrated = {
        ...(spine.desired as any),
        metadata: { name: 'spine-01', labels: { 'fabric.githedgehog.com/profile': 'vs', 'vlanns.fabric.githedgehog.com/default': 'true' } },
        spec: { ...(spine.desired as any).spec, asn: 65100, ip: '172.30.0.8/21', protocolIP: '172.30.8.0/32', vlanNamespaces: ['default'] },
      };
      expect((await kubeRequest(cluster, 'PATCH', `${objectPath('Switch', 'spine-01')}?fieldManager=hhfab&force=true`, {
        body: hydrated, contentType: 'application/apply-patch+yaml',
      })).status).toBe(201);

      // What the webhooks add to an applied object (absent in Git): not drift.
      const merge = (k: string, n: string, body: object) =>
        kubeRequest(cluster, 'PATCH', `${objectPath(k, n)}?fieldManager=hedgehog-webhook`, { body, contentType: 'application/merge-patch+json' });
      expect((await merge('VPC', 'demo-vpc-1', { spec: { ipv4Namespace: 'default', vlanNamespace: 'default' } })).status).toBe(200);

      // Another field manager changes a field Git sets: drift at that path.
      const vpc = await liveObject('VPC', 'demo-vpc-2');
      const subnet = Object.keys(vpc.spec.subnets)[0];
      const oldVlan = vpc.spec.subnets[subnet].vlan;
      expect((await merge('VPC', 'demo-vpc-2', { spec: { subnets: { [subnet]: { vlan: oldVlan + 1 } } } })).status).toBe(200);
      // A deleted object, and one that only the cluster has.
      expect((await kubeRequest(cluster, 'DELETE', objectPath('Server', 'server-01'))).status).toBe(200);
      expect((await kubeRequest(cluster, 'POST', objectPath('SwitchGroup'), {
        body: { apiVersion: 'wiring.githedgehog.com/v1beta1', kind: 'SwitchGroup', metadata: { name: 'hand-made' }, spec: {} },
      })).status).toBe(201);

      const drift = await env.clusterRun('drift');
      expect(drift.status).toBe('succeeded');
      const status = async (k: string, n: string) => (await env.store.getResource('lab', k, n))!;
      expect((await status('Switch', 'spine-01')).drift.status).toBe('in_sync');
      expect((await status('VPC', 'demo-vpc-1')).drift.status).toBe('in_sync');
      const drifted = await status('VPC', 'demo-vpc-2');
      expect(drifted.drift.status).toBe('drifted');
      expect(drifted.differences).toEqual([{ path: `spec.subnets.${subnet}.vlan`, desired: oldVlan, actual: oldVlan + 1 }]);
      expect(drifted.drift.score).toBeGreaterThan(0);
      expect(drifted.drift.score).toBeLessThan(0.5);
      expect(drifted.live).toMatchObject({ spec: { subnets: { [subnet]: { vlan: oldVlan + 1 } } } });
      expect((await status('Server', 'server-01')).drift.status).toBe('missing_in_cluster');
      const orphan = await status('SwitchGroup', 'hand-made');
      expect(orphan.drift.status).toBe('orphaned_in_cluster');
      expect(orphan.desired).toBeNull();
      const fabric = await env.service.getFabric('lab');
      // missing: the deleted server and every blocked resource but the hydrated spine
      // orphaned: the hand-made group and the two default namespaces seeded as the cluster's own
      expect(fabric.drift).toMatchObject({ drifted: 1, missing_in_cluster: 1 + blocked - 1, orphaned_in_cluster: 3 });
      expect(drift.stages.find(s => s.name === 'drift')?.counts.listRequests).toBe(HEDGEHOG_KINDS.length);
    } finally {
      await env.cleanup();
    }
  });

  it('prunes only objects it applied that are no longer in Git', async () => {
    await seedClusterWiring({ connections: true });
    const vpcs = await sample('01-demo-gitops-env1-pre-demo.yaml');
    const { env, url } = await fabricWith({ 'raw/vpcs.yaml': vpcs }, { prune: true });
    try {
      await env.sync('lab', { apply: true });
      expect(await liveObject('VPC', 'demo-vpc-2')).toBeDefined();
      // someone else's object of the same kind
      await kubeRequest(cluster, 'POST', objectPath('VPC'), {
        body: { apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC', metadata: { name: 'not-ours' }, spec: {} },
      });
      // remove demo-vpc-2 and its attachment from Git
      await pushFiles(url, {
        'fabrics/lab/managed/vpcs/demo-vpc-2.yaml': null,
        'fabrics/lab/managed/vpcattachments/demo-vpc-2--server-4--unbundled--s5248-02.yaml': null,
      });
      // 2 of the fabric's objects: more than the default limit (10%), so confirmed with the count
      const run = await env.sync('lab', { apply: true, confirmPrune: 2 });
      expect(run.stages.find(s => s.name === 'apply')?.counts.pruned).toBe(2);
      expect(await liveObject('VPC', 'demo-vpc-2')).toBeUndefined();
      expect(await liveObject('VPCAttachment', 'demo-vpc-2--server-4--unbundled--s5248-02')).toBeUndefined();
      expect(await liveObject('VPC', 'demo-vpc-1')).toBeDefined();
      expect(await liveObject('VPC', 'not-ours')).toBeDefined();
    } finally {
      await env.cleanup();
    }
  });

  it('fails an object the API server rejects alone, applies the rest, and the next apply finishes', async () => {
    await seedClusterWiring({ connections: true });
    const { env } = await fabricWith({ 'raw/vpcs.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml') });
    try {
      await env.sync('lab');
      // Corrupt one desired object in a way only the API server's schema catches.
      const bad = (await env.store.getResource('lab', 'VPC', 'demo-vpc-1'))!;
      const desired = JSON.parse(JSON.stringify(bad.desired));
      const subnet = Object.keys(desired.spec.subnets)[0];
      desired.spec.subnets[subnet].vlan = 'not-a-number';
      await env.store.importState('lab', {
        commit: undefined,
        counts: {},
        unmanaged: [],
        incomplete: {},
        resources: (await env.store.listDesired('lab')).map(r => ({
          kind: r.kind, name: r.name, namespace: 'default', gitPath: `managed/x/${r.name}.yaml`,
          desired: r.kind === 'VPC' && r.name === 'demo-vpc-1' ? desired : r.object, findings: [],
        })),
      });
      const run = await env.clusterRun('apply');
      expect(run.status).toBe('partial');
      const apply = run.stages.find(s => s.name === 'apply')!;
      expect(apply.counts).toMatchObject({ failed: 1, applied: 3 });
      expect(apply.errors).toHaveLength(1);
      expect(apply.errors[0].file).toBe('VPC/demo-vpc-1');
      expect(apply.errors[0].message).toMatch(/applying VPC demo-vpc-1 on cluster lab .* failed: .*vlan/i);
      const failed = (await env.store.getResource('lab', 'VPC', 'demo-vpc-1'))!;
      expect(failed.applyStatus).toBe('failed');
      expect(await liveObject('VPC', 'demo-vpc-2')).toBeDefined();
      expect(await liveObject('VPC', 'demo-vpc-1')).toBeUndefined();

      // Once the object is fixed, the next apply finishes the job and sends only it.
      await env.store.importState('lab', {
        commit: undefined,
        counts: {},
        unmanaged: [],
        incomplete: {},
        resources: (await env.store.listDesired('lab')).map(r => ({
          kind: r.kind, name: r.name, namespace: 'default', gitPath: `managed/x/${r.name}.yaml`,
          desired: r.kind === 'VPC' && r.name === 'demo-vpc-1' ? bad.desired! : r.object, findings: [],
        })),
      });
      const next = await env.clusterRun('apply');
      expect(next.status).toBe('succeeded');
      expect(next.stages.find(s => s.name === 'apply')?.counts).toMatchObject({ applied: 1, unchanged: 3, failed: 0, applyRequests: 1 });
      expect(await liveObject('VPC', 'demo-vpc-1')).toBeDefined();
    } finally {
      await env.cleanup();
    }
  });

  it('marks drift unknown when the cluster is down, with a clear error, changing nothing else', async () => {
    await seedClusterWiring({ connections: true });
    const { env } = await fabricWith({ 'raw/vpcs.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml') });
    try {
      await env.sync('lab', { apply: true });
      const before = (await env.store.getResource('lab', 'VPC', 'demo-vpc-1'))!;
      expect(before.drift.status).toBe('in_sync');
      // Point the fabric's cluster at a port nobody listens on.
      (env.service as any).deps.options.clusters[0] = clusterDef({ url: 'https://127.0.0.1:1' });
      const run = await env.clusterRun('drift');
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/listing .* on cluster lab \(https:\/\/127\.0\.0\.1:1\) failed: ECONNREFUSED/);
      const after = (await env.store.getResource('lab', 'VPC', 'demo-vpc-1'))!;
      expect(after.drift.status).toBe('unknown');
      expect(after.applyStatus).toBe(before.applyStatus);
      expect(after.desired).toEqual(before.desired);
      const status = await env.service.clusterStatus('lab');
      expect(status.reachable).toBe(false);
    } finally {
      await env.cleanup();
    }
  });

  it('reports a wrong token clearly, without the token', async () => {
    const wrong = 'wrong-token-canary-5d1e0f';
    const knex = await databases.init('SQLITE_3');
    const { env } = await fabricWith({ 'raw/vpcs.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml') }, { cluster: clusterDef({ serviceAccountToken: wrong }), knex });
    try {
      const run = await env.sync('lab', { apply: true });
      // the sync itself is committed and imported; the cluster part failed and says why
      expect(run.status).toBe('partial');
      expect(run.stages.find(s => s.name === 'import')?.status).toBe('succeeded');
      expect(run.stages.find(s => s.name === 'apply')?.status).toBe('failed');
      expect(run.error).toMatch(/rejected the credentials \(401 Unauthorized\)/);
      const status = await env.service.clusterStatus('lab');
      expect(status.reachable).toBe(false);
      expect(status.error).toMatch(/401/);
      const everything = JSON.stringify({ runs: await knex('hedgehog_runs').select(), resources: await knex('hedgehog_resources').select(), logs: env.logs, status });
      expect(everything).not.toContain(wrong);
    } finally {
      await env.cleanup();
    }
  });

  it('refuses to apply with a token that may only read (403), per object', async () => {
    await seedClusterWiring({ connections: true });
    const { env } = await fabricWith({ 'raw/vpcs.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml') }, { cluster: clusterDef({ serviceAccountToken: cluster.readerToken }) });
    try {
      const run = await env.sync('lab', { apply: true });
      const apply = run.stages.find(s => s.name === 'apply')!;
      // the attachment to the MCLAG connection is an error (Hedgehog refuses it), so blocked; the other three are refused
      expect(apply.counts).toMatchObject({ failed: 3, blocked: 1, applied: 0 });
      expect(apply.errors[0].message).toMatch(/forbidden \(403\)/);
    } finally {
      await env.cleanup();
    }
  });
});
