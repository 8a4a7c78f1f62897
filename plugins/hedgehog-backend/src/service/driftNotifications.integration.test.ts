import { TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

const VPC = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
`;

/**
 * Drift told to a fabric's owner once per episode, from drift checks against a real
 * Kubernetes API server (test/cluster); what the notification service is asked to
 * send is recorded (the notifications backend itself is in fabricNotifications.integration.test.ts).
 */
describe('drift notifications against a real Kubernetes API server', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-drift-notify-'));
    for (const k of HEDGEHOG_KINDS) {
      await kubeRequest(cluster, 'DELETE', `/apis/${k.group}/${k.version}/namespaces/default/${k.plural}`);
    }
    // the namespaces a VPC refers to, as a Hedgehog install has them (the fabric manages only VPCs)
    for (const [k, spec] of [['IPv4Namespace', { subnets: ['10.0.0.0/8'] }], ['VLANNamespace', { ranges: [{ from: 1000, to: 2999 }] }]] as const) {
      const kind = HEDGEHOG_KINDS.find(x => x.kind === k)!;
      const res = await kubeRequest(cluster, 'POST', `/apis/${kind.group}/${kind.version}/namespaces/default/${kind.plural}`, {
        body: { apiVersion: `${kind.group}/${kind.version}`, kind: k, metadata: { name: 'default' }, spec },
      });
      if (res.status !== 201) throw new Error(`seeding ${k} default: ${res.status}`);
    }
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  it('tells the owner when drift appears, not while it lasts, and again after the fabric was in sync', async () => {
    const repo = await createBareRepo(path.join(root, 'fabric.git'));
    await pushFiles(`file://${repo}`, { 'fabrics/lab/raw/vpc.yaml': VPC });
    const sent: NotificationSendOptions[] = [];
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [testFabric(`file://${repo}`, { cluster: 'lab', kinds: ['VPC'], owner: 'group:default/network', notifications: 'all' })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
      notifications: { send: async options => void sent.push(options) },
    });
    const vpcPath = '/apis/vpc.githedgehog.com/v1beta1/namespaces/default/vpcs/vpc-1';
    const setVlan = async (vlan: number) =>
      expect(
        (await kubeRequest(cluster, 'PATCH', `${vpcPath}?fieldManager=kubectl-edit`, {
          body: { spec: { subnets: { default: { vlan } } } },
          contentType: 'application/merge-patch+json',
        })).status,
      ).toBe(200);
    /** A drift run: what it sent. */
    const driftRun = async () => {
      const run = await env.clusterRun('drift');
      expect(run.status).toBe('succeeded');
      return sent.splice(0);
    };
    const driftCheck = async () => (await driftRun()).map(n => n.payload.title);
    try {
      // applied and checked: in sync, nothing to tell (the first check found no earlier state)
      const synced = await env.sync('lab', { apply: true });
      expect(synced.stages.find(s => s.name === 'apply')?.counts.applied).toBe(1);
      expect(synced.stages.find(s => s.name === 'drift')?.counts.in_sync).toBe(1);
      expect(sent.splice(0)).toEqual([]);
      expect(await driftCheck()).toEqual([]);

      // someone edits the VPC in the cluster: told once
      await setVlan(1002);
      const [told, ...more] = await driftRun();
      expect(more).toEqual([]);
      expect(told).toEqual({
        recipients: { type: 'entity', entityRef: 'group:default/network' },
        payload: {
          title: 'Fabric Lab fabric: drift appeared',
          description: 'The cluster differs from Git: 1 drifted.',
          link: '/catalog/default/resource/lab/hedgehog',
          severity: 'normal',
          topic: 'hedgehog:lab',
          scope: 'hedgehog:lab:drift',
        },
      });
      // still drifted: not told again
      expect(await driftCheck()).toEqual([]);
      // back in sync, then drifted again: a new episode
      await setVlan(1001);
      expect(await driftCheck()).toEqual([]);
      await setVlan(1003);
      expect(await driftCheck()).toEqual(['Fabric Lab fabric: drift appeared']);
    } finally {
      await env.cleanup();
    }
  });
});
