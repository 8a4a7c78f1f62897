import { TestDatabases } from '@backstage/backend-test-utils';
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
 * The gateway kinds (gateway.githedgehog.com/v1alpha1) against the real
 * kube-apiserver of test/cluster with Hedgehog's own CRDs: a GatewayGroup, a
 * Gateway and a GatewayPeering of two VPCs (with their namespaces) are synced,
 * applied and in sync; a change made in the cluster is drift at its path.
 * Objects have names of their own, so the test needs no wipe of the shared cluster.
 */
describe('gateway kinds against a real Kubernetes API server', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const tag = crypto.randomBytes(3).toString('hex');
  const n = {
    group: `gg-${tag}`,
    gateway: `gw-${tag}`,
    peering: `gp-${tag}`,
    vpcA: `a${tag}`,
    vpcB: `b${tag}`,
    ipns: `i${tag}`,
    vlanns: `vlan-${tag}`,
  };
  const objects: Array<[string, string, string]> = [
    ['gateway.githedgehog.com/v1alpha1', 'gatewaypeerings', n.peering],
    ['gateway.githedgehog.com/v1alpha1', 'gateways', n.gateway],
    ['gateway.githedgehog.com/v1alpha1', 'gatewaygroups', n.group],
    ['vpc.githedgehog.com/v1beta1', 'vpcs', n.vpcA],
    ['vpc.githedgehog.com/v1beta1', 'vpcs', n.vpcB],
    ['vpc.githedgehog.com/v1beta1', 'ipv4namespaces', n.ipns],
    ['wiring.githedgehog.com/v1beta1', 'vlannamespaces', n.vlanns],
  ];
  const objectPath = (apiVersion: string, plural: string, name: string) => `/apis/${apiVersion}/namespaces/default/${plural}/${name}`;
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-gateway-it-'));
  });
  afterAll(async () => {
    for (const [v, p, name] of objects) await kubeRequest(cluster, 'DELETE', objectPath(v, p, name)).catch(() => {});
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  const vpc = (name: string, third: number, vlan: number) => `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: ${name}
spec:
  ipv4Namespace: ${n.ipns}
  vlanNamespace: ${n.vlanns}
  subnets:
    default:
      subnet: 10.77.${third}.0/24
      gateway: 10.77.${third}.1
      vlan: ${vlan}
`;
  const FILES = {
    'raw/namespaces.yaml': `apiVersion: vpc.githedgehog.com/v1beta1
kind: IPv4Namespace
metadata:
  name: ${n.ipns}
spec:
  subnets: [10.77.0.0/16]
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: VLANNamespace
metadata:
  name: ${n.vlanns}
spec:
  ranges: [{ from: 3700, to: 3799 }]
`,
    'raw/vpcs.yaml': `${vpc(n.vpcA, 1, 3701)}---\n${vpc(n.vpcB, 2, 3702)}`,
    'raw/gateway.yaml': `apiVersion: gateway.githedgehog.com/v1alpha1
kind: GatewayGroup
metadata:
  name: ${n.group}
spec: {}
---
apiVersion: gateway.githedgehog.com/v1alpha1
kind: Gateway
metadata:
  name: ${n.gateway}
spec:
  protocolIP: 172.30.8.9/32
  vtepIP: 172.30.12.9/32
  vtepMAC: "ca:fe:ba:be:00:09"
  asn: 65534
  workers: 4
  logs: { default: info, tags: { all: info } }
  groups: [{ name: ${n.group}, priority: 0 }]
  interfaces:
    enp2s1: { ips: [172.30.128.1/31] }
  neighbors:
    - { ip: 172.30.128.0, asn: 65100 }
---
apiVersion: gateway.githedgehog.com/v1alpha1
kind: GatewayPeering
metadata:
  name: ${n.peering}
spec:
  gatewayGroup: ${n.group}
  peering:
    ${n.vpcA}:
      expose:
        - ips: [{ cidr: 10.77.1.0/24 }]
    ${n.vpcB}:
      expose:
        - ips: [{ cidr: 10.77.2.0/24 }]
`,
  };

  it('applies a GatewayGroup, a Gateway and a GatewayPeering with its VPCs; drift shows them in sync, then a change in the cluster', async () => {
    const repo = await createBareRepo(path.join(root, 'gw.git'));
    const url = `file://${repo}`;
    await pushFiles(url, Object.fromEntries(Object.entries(FILES).map(([p, c]) => [`fabrics/lab/${p}`, c])));
    const fabric = `gw${tag}`;
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [testFabric(url, { name: fabric, cluster: 'lab', prune: false })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      const run = await env.sync(fabric, { apply: true });
      expect(run.findings.filter(f => f.severity === 'error')).toEqual([]);
      const apply = run.stages.find(s => s.name === 'apply')!;
      expect(apply.errors).toEqual([]);
      expect(apply.counts).toMatchObject({ applied: 7, failed: 0, blocked: 0 });
      // each object is in the cluster at its own API group and version
      for (const [v, p, name] of objects) expect((await kubeRequest(cluster, 'GET', objectPath(v, p, name))).status).toBe(200);

      const status = async (k: string, name: string) => (await env.store.getResource(fabric, k, name))!;
      for (const [k, name] of [['GatewayGroup', n.group], ['Gateway', n.gateway], ['GatewayPeering', n.peering], ['VPC', n.vpcA]]) {
        const r = await status(k, name);
        expect(r.gitPath).toBe(`managed/${k.toLowerCase()}s/${name}.yaml`);
        expect([k, r.drift.status]).toEqual([k, 'in_sync']);
      }

      // another field manager changes the Gateway's ASN and the peering's exposed block
      const merge = (plural: string, name: string, body: object) =>
        kubeRequest(cluster, 'PATCH', `${objectPath('gateway.githedgehog.com/v1alpha1', plural, name)}?fieldManager=kubectl-edit`, {
          body,
          contentType: 'application/merge-patch+json',
        });
      expect((await merge('gateways', n.gateway, { spec: { asn: 65533 } })).status).toBe(200);
      const drift = await env.clusterRun('drift', {}, fabric);
      expect(drift.status).toBe('succeeded');
      const gateway = await status('Gateway', n.gateway);
      expect(gateway.drift.status).toBe('drifted');
      expect(gateway.differences).toEqual([{ path: 'spec.asn', desired: 65534, actual: 65533 }]);
      expect((await status('GatewayPeering', n.peering)).drift.status).toBe('in_sync');
      expect((await status('GatewayGroup', n.group)).drift.status).toBe('in_sync');

      // applied again from Git, it is in sync again
      const again = await env.clusterRun('apply', {}, fabric);
      expect(again.stages.find(s => s.name === 'apply')?.counts).toMatchObject({ applied: 1, failed: 0 });
      expect((await kubeRequest(cluster, 'GET', objectPath('gateway.githedgehog.com/v1alpha1', 'gateways', n.gateway))).body.spec.asn).toBe(65534);
      await env.clusterRun('drift', {}, fabric);
      expect((await status('Gateway', n.gateway)).drift.status).toBe('in_sync');
    } finally {
      await env.cleanup();
    }
  });
});
