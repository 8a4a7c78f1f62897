import { TestDatabases } from '@backstage/backend-test-utils';
import { APPLIED_BY_LABEL, manifestContent } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { stringify } from 'yaml';
import { createTestService, testFabric } from '../__testUtils__/harness';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

const WIRING = 'wiring.githedgehog.com/v1beta1';
const VPC = 'vpc.githedgehog.com/v1beta1';
const doc = (apiVersion: string, kind: string, name: string, spec: object, labels?: Record<string, string>) => ({
  apiVersion,
  kind,
  metadata: { name, ...(labels ? { labels } : {}) },
  spec,
});
const yamlOf = (...docs: object[]) => docs.map(d => stringify(d)).join('---\n');

/*
 * A fabric that manages only the day-2 kinds (Hedgehog's GitOps pattern: VPCs and
 * their attachments in Git, the wiring from the installer) on the real
 * kube-apiserver of test/cluster, which also holds wiring and another fabric's objects.
 */
describe('a fabric of the day2 kinds on a cluster with wiring and other fabrics', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const tag = crypto.randomBytes(3).toString('hex');
  const fabric = `day2-${tag}`;
  const other = `other-${tag}`;
  const n = (x: string) => `sc-${tag}-${x}`;
  const vpcName = `s${tag}`; // VPC names have at most 11 characters
  const leaf = n('leaf');
  const server = n('srv');
  const liveConnection = `${server}--unbundled--${leaf}`;
  const ghostConnection = `${n('ghost')}--unbundled--${leaf}`;
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;
  const created: string[] = [];

  const at = (group: 'wiring' | 'vpc', plural: string, name = '') =>
    `/apis/${group}.githedgehog.com/v1beta1/namespaces/default/${plural}${name ? `/${name}` : ''}`;
  /** Creates an object as the installer or another fabric would (server-side apply as admin); deleted after the tests. */
  async function create(url: string, object: Record<string, any>) {
    const p = `${url}/${object.metadata.name}`;
    created.push(p);
    const res = await kubeRequest(cluster, 'PATCH', `${p}?fieldManager=it-installer&force=true`, {
      body: { ...object, metadata: { ...object.metadata, namespace: 'default' } },
      contentType: 'application/apply-patch+yaml',
    });
    expect([200, 201]).toContain(res.status);
  }
  const live = async (p: string) => {
    const res = await kubeRequest(cluster, 'GET', p);
    return res.status === 200 ? res.body : undefined;
  };

  beforeAll(async () => {
    // Lists whole kinds (and the default namespaces every VPC refers to): one file at a time.
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-scope-it-'));
    // the wiring, as the installer makes it: no fabric label
    await create(at('wiring', 'vlannamespaces'), doc(WIRING, 'VLANNamespace', 'default', { ranges: [{ from: 1000, to: 2999 }] }));
    await create(at('vpc', 'ipv4namespaces'), doc(VPC, 'IPv4Namespace', 'default', { subnets: ['10.0.0.0/16'] }));
    await create(at('wiring', 'switches'), doc(WIRING, 'Switch', leaf, {
      role: 'server-leaf', profile: 'vs', asn: 65101, ip: '172.30.0.11/21', protocolIP: '172.30.8.2/32', vtepIP: '172.30.12.1/32', vlanNamespaces: ['default'],
    }));
    await create(at('wiring', 'servers'), doc(WIRING, 'Server', server, {}));
    await create(at('wiring', 'connections'), doc(WIRING, 'Connection', liveConnection, {
      unbundled: { link: { server: { port: `${server}/eth0` }, switch: { port: `${leaf}/E1/5` } } },
    }));
    // a wiring object that carries this fabric's label (applied when it still managed every kind)
    await create(at('wiring', 'switchgroups'), doc(WIRING, 'SwitchGroup', n('sg'), {}, { [APPLIED_BY_LABEL]: fabric }));
    // another fabric's VPC
    await create(at('vpc', 'vpcs'), doc(VPC, 'VPC', `o${tag}`, { subnets: { default: { subnet: '10.0.2.0/24', gateway: '10.0.2.1', vlan: 1002 } } }, { [APPLIED_BY_LABEL]: other }));
  });
  afterAll(async () => {
    for (const p of [...created, at('vpc', 'vpcs', vpcName), at('vpc', 'vpcattachments', `${vpcName}--live`), at('vpc', 'vpcattachments', `${vpcName}--ghost`)]) {
      await kubeRequest(cluster, 'DELETE', p).catch(() => {});
    }
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  it('drifts, applies, prunes and adopts only its kinds, keeps wiring documents in unmanaged/, and validates attachments against live connections', async () => {
    const url = `file://${await createBareRepo(path.join(root, 'day2.git'))}`;
    const vpc = doc(VPC, 'VPC', vpcName, { subnets: { default: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vlan: 1001 } } });
    const attach = (name: string, connection: string) => doc(VPC, 'VPCAttachment', name, { subnet: `${vpcName}/default`, connection });
    await pushFiles(url, {
      'fabrics/lab/.gitops/manifest.yaml': manifestContent(fabric, 'day2'),
      // wiring documents beside the VPCs: context, not the fabric's to manage
      'fabrics/lab/raw/demo.yaml': yamlOf(
        vpc,
        doc(WIRING, 'Connection', ghostConnection, { unbundled: { link: { server: { port: `${n('ghost')}/eth0` }, switch: { port: `${leaf}/E1/6` } } } }),
        attach(`${vpcName}--live`, liveConnection),
        attach(`${vpcName}--ghost`, ghostConnection),
        doc(WIRING, 'Switch', n('git-leaf'), { role: 'server-leaf', profile: 'vs' }),
      ),
    });
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [testFabric(url, { name: fabric, cluster: 'lab', prune: true, pruneLimit: 1 })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      const run = await env.sync(fabric, { apply: true });

      // the wiring documents stay in unmanaged/ with the reason
      const unmanaged = (await env.store.listUnmanaged(fabric)).items;
      expect(unmanaged).toEqual([
        expect.objectContaining({
          originalPath: 'raw/demo.yaml',
          reasons: [
            expect.objectContaining({ document: 1, message: 'kind Connection is not managed by this fabric' }),
            expect.objectContaining({ document: 4, message: 'kind Switch is not managed by this fabric' }),
          ],
        }),
      ]);

      // the attachment to a connection the cluster does not hold is an error (the Git's Connection is not the fabric's)
      expect(run.findings.filter(f => f.severity === 'error')).toEqual([
        expect.objectContaining({
          rule: 'reference.missing',
          file: `managed/vpcattachments/${vpcName}--ghost.yaml`,
          path: 'spec.connection',
          message: `VPCAttachment ${vpcName}--ghost refers to Connection ${ghostConnection}, which is neither in the fabric's Git nor in the cluster`,
        }),
      ]);
      const validate = run.stages.find(s => s.name === 'validate')!;
      expect(validate.counts).toMatchObject({ errors: 1 });

      // applied: the VPC and the attachment to the live connection; the other one is blocked
      const apply = run.stages.find(s => s.name === 'apply')!;
      expect(apply.counts).toMatchObject({ applied: 2, blocked: 1, pruned: 0, toPrune: 0 });
      expect((await live(at('vpc', 'vpcs', vpcName))).metadata.labels[APPLIED_BY_LABEL]).toBe(fabric);

      // drift: its own kinds only: no switch, server, connection or namespace, in sync or orphaned
      const resources = (await env.store.listResources(fabric, { offset: 0, limit: 1000 })).items;
      const kinds = new Set(resources.map(r => r.kind));
      for (const k of ['Switch', 'Server', 'Connection', 'SwitchGroup', 'VLANNamespace', 'IPv4Namespace']) expect(kinds.has(k)).toBe(false);
      expect(await env.store.getResource(fabric, 'VPC', vpcName)).toMatchObject({ drift: { status: 'in_sync' } });
      expect(await env.store.getResource(fabric, 'VPCAttachment', `${vpcName}--live`)).toMatchObject({ drift: { status: 'in_sync' } });
      expect(await env.store.getResource(fabric, 'VPC', `o${tag}`)).toMatchObject({ drift: { status: 'owned_elsewhere' } });
      const drift = run.stages.find(s => s.name === 'drift')!;
      expect(drift.counts.listRequests).toBe(7); // one LIST per day2 kind

      // adopt refuses wiring
      await expect(env.service.adopt(fabric, 'Switch', leaf)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('kind Switch is not managed by this fabric'),
      });

      // prune: only its kinds; the SwitchGroup labelled for it stays
      await pushFiles(url, { [`fabrics/lab/managed/vpcattachments/${vpcName}--live.yaml`]: null });
      const pruneRun = await env.sync(fabric, { apply: true });
      const pruneStage = pruneRun.stages.find(s => s.name === 'apply')!;
      expect(pruneStage.counts).toMatchObject({ pruned: 1, toPrune: 1 });
      expect(pruneStage.prune?.objects).toEqual([{ kind: 'VPCAttachment', name: `${vpcName}--live` }]);
      expect(await live(at('vpc', 'vpcattachments', `${vpcName}--live`))).toBeUndefined();
      expect(await live(at('wiring', 'switchgroups', n('sg')))).toBeDefined();
      expect(await live(at('wiring', 'connections', liveConnection))).toBeDefined();
    } finally {
      await env.cleanup();
    }

    // app-config wins over the manifest: the same repository managing every kind sees the wiring as its own again
    const all = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [testFabric(url, { name: fabric, cluster: 'lab', kinds: 'all' })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      await all.sync(fabric, { force: true });
      expect(await all.store.getResource(fabric, 'Switch', leaf)).toMatchObject({ drift: { status: 'orphaned_in_cluster' } });
      expect(await all.store.getResource(fabric, 'SwitchGroup', n('sg'))).toMatchObject({ drift: { status: 'orphaned_in_cluster' } });
    } finally {
      await all.cleanup();
    }
  });
});
