import { TestDatabases, mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { stringify } from 'yaml';
import { hedgehogPlugin } from '../plugin';
import { ClusterDefinition } from '../cluster/ClusterClient';
import { testSwitchProfile } from '../validation/__testUtils__/profiles';
import { createTestService, testFabric } from '../__testUtils__/harness';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

const WIRING = 'wiring.githedgehog.com/v1beta1';
const VPC = 'vpc.githedgehog.com/v1beta1';
const doc = (apiVersion: string, kind: string, name: string, spec: object) => ({ apiVersion, kind, metadata: { name }, spec });
const yamlOf = (...docs: object[]) => docs.map(d => stringify(d)).join('---\n');

const vlanNamespace = doc(WIRING, 'VLANNamespace', 'default', { ranges: [{ from: 1000, to: 2999 }] });
const ipv4Namespace = doc(VPC, 'IPv4Namespace', 'default', { subnets: ['10.0.0.0/16'] });
const spine = (asn: number) =>
  doc(WIRING, 'Switch', 'it-spine-1', {
    role: 'spine',
    profile: 'vs',
    asn,
    ip: '172.30.0.10/21',
    protocolIP: '172.30.8.1/32',
    vlanNamespaces: ['default'],
  });
const leaf = (profile: string) =>
  doc(WIRING, 'Switch', 'it-leaf-1', {
    role: 'server-leaf',
    profile,
    asn: 65101,
    ip: '172.30.0.11/21',
    protocolIP: '172.30.8.2/32',
    vtepIP: '172.30.12.1/32',
    vlanNamespaces: ['default'],
  });
const unbundled = (server: string, port: string) =>
  doc(WIRING, 'Connection', `${server}--unbundled--it-leaf-1`, {
    unbundled: { link: { server: { port: `${server}/eth0` }, switch: { port: `it-leaf-1/${port}` } } },
  });

/**
 * Validation with the fabric's cluster (test/cluster, a real kube-apiserver): the
 * FabricConfig from ConfigMap fab/fabric-ctrl-config, live objects for references
 * to kinds Git lacks, and switch ports against the cluster's SwitchProfiles.
 */
describe('validation context from a real Kubernetes API server', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let cluster: TestCluster;
  let root: string;
  let counter = 0;
  const created: string[] = [];

  let release: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // The cluster is shared with other test files: this one lists and counts whole kinds.
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-validation-it-'));
    const ns = await kubeRequest(cluster, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fab' } } });
    if (ns.status !== 201 && ns.status !== 409) throw new Error(`creating namespace fab: ${ns.status}`);
  });
  afterEach(async () => {
    // only what this file created: other test files share the cluster
    for (const p of created.splice(0)) await kubeRequest(cluster, 'DELETE', p);
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  /** Creates an object (server-side apply as admin) and deletes it after the test. */
  async function create(urlPath: string, object: Record<string, any>) {
    const at = `${urlPath}/${object.metadata.name}`;
    created.push(at);
    const res = await kubeRequest(cluster, 'PATCH', `${at}?fieldManager=it&force=true`, { body: object, contentType: 'application/apply-patch+yaml' });
    expect([200, 201]).toContain(res.status);
  }
  const wiringPath = (plural: string) => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/${plural}`;
  const configMapPath = '/api/v1/namespaces/fab/configmaps';

  function clusterDef(overrides: Partial<ClusterDefinition> = {}): ClusterDefinition {
    return { name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false, ...overrides };
  }

  async function fabricWith(files: Record<string, string>, def: ClusterDefinition | null = clusterDef()) {
    const repo = await createBareRepo(path.join(root, `f${++counter}.git`));
    const url = `file://${repo}`;
    await pushFiles(url, Object.fromEntries(Object.entries(files).map(([p, c]) => [`fabrics/lab/${p}`, c])));
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [testFabric(url, def ? { cluster: def.name } : {})],
      clusters: def ? [def] : [],
    });
    const sync = async () => {
      const { runId } = await env.service.requestSync('lab', 'api', 'user:default/test', { force: true });
      await env.service.coordinator.drain('lab');
      const run = (await env.store.getRun(runId))!;
      return { run, validate: run.stages.find(s => s.name === 'validate')! };
    };
    return { env, sync };
  }

  it('checks against the FabricConfig of ConfigMap fab/fabric-ctrl-config: an error with it, a warning without', async () => {
    const { env, sync } = await fabricWith({ 'raw/wiring.yaml': yamlOf(vlanNamespace, spine(64100)) });
    try {
      // without the ConfigMap: hhfab's default spine ASN 65100, a warning
      const before = await sync();
      expect(before.run.findings.map(f => [f.rule, f.severity])).toEqual([['switch.asn', 'warning']]);
      expect(before.run.status).toBe('succeeded');
      expect(before.validate.message).toContain('has no ConfigMap fab/fabric-ctrl-config');

      // with it (Hedgehog's config.yaml, users and all): its spine ASN, an error
      await create(configMapPath, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'fabric-ctrl-config', namespace: 'fab' },
        data: { 'config.yaml': stringify({ controlVIP: '172.30.0.1/21', spineASN: 65000, leafASNStart: 65001, leafASNEnd: 65099, users: [{ name: 'admin', password: 'it-secret-hash', role: 'admin' }] }) },
      });
      const after = await sync();
      expect(after.run.findings).toEqual([
        expect.objectContaining({ rule: 'switch.asn', severity: 'error', path: 'spec.asn', file: 'managed/switches/it-spine-1.yaml', message: 'spine ASN 64100 is not the spine ASN 65000' }),
      ]);
      expect(after.run.status).toBe('partial');
      expect(after.validate.message).toContain('FabricConfig: ConfigMap fab/fabric-ctrl-config of cluster lab');
      expect(JSON.stringify(after.run)).not.toContain('it-secret-hash');
      expect(env.logs.join('\n')).not.toContain('it-secret-hash');

      // a service account without RBAC for ConfigMaps (403) falls back quietly: a warning again
      const reader = await fabricWith({ 'raw/wiring.yaml': yamlOf(vlanNamespace, spine(64100)) }, clusterDef({ serviceAccountToken: cluster.readerToken }));
      try {
        const r = await reader.sync();
        expect(r.run.findings.map(f => [f.rule, f.severity])).toEqual([['switch.asn', 'warning']]);
        expect(r.validate.message).toContain('FabricConfig: ConfigMap fab/fabric-ctrl-config not readable (403)');
        expect(r.validate.message).toContain('SwitchProfiles: not readable (403)');
        expect(r.run.status).toBe('succeeded');
      } finally {
        await reader.env.cleanup();
      }
    } finally {
      await env.cleanup();
    }
  });

  it('resolves references to kinds Git lacks against live objects; a dangling one is an error; offline they are warnings', async () => {
    const vpc = doc(VPC, 'VPC', 'it-vpc-1', { subnets: { default: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vlan: 1001 } } });
    const attach = (name: string, connection: string) => doc(VPC, 'VPCAttachment', name, { subnet: 'it-vpc-1/default', connection });
    const files = {
      'raw/vpcs.yaml': yamlOf(
        vlanNamespace,
        ipv4Namespace,
        vpc,
        attach('it-vpc-1--live', 'it-srv-1--unbundled--it-leaf-1'),
        attach('it-vpc-1--dangling', 'it-srv-9--unbundled--it-leaf-1'),
      ),
    };
    // the cluster holds the connection (and its switch) that Git does not
    await create(wiringPath('switches'), { ...leaf('vs'), metadata: { name: 'it-leaf-1', namespace: 'default' } });
    await create(wiringPath('connections'), { ...unbundled('it-srv-1', 'E1/5'), metadata: { name: 'it-srv-1--unbundled--it-leaf-1', namespace: 'default' } });

    const { env, sync } = await fabricWith(files);
    try {
      const { run, validate } = await sync();
      expect(run.findings).toEqual([
        expect.objectContaining({
          rule: 'reference.missing',
          severity: 'error',
          file: 'managed/vpcattachments/it-vpc-1--dangling.yaml',
          path: 'spec.connection',
          message: "VPCAttachment it-vpc-1--dangling refers to Connection it-srv-9--unbundled--it-leaf-1, which is neither in the fabric's Git nor in the cluster",
        }),
      ]);
      // one LIST per kind Git lacks (Connection, Switch), plus the ConfigMap read
      expect(validate.counts).toMatchObject({ liveKinds: 2, errors: 1 });
      expect(validate.counts.liveObjects).toBeGreaterThanOrEqual(2);
      expect(validate.counts.clusterRequests).toBe(3);
    } finally {
      await env.cleanup();
    }

    // the same Git without a cluster: warnings, not errors
    const noCluster = await fabricWith(files, null);
    try {
      const { run, validate } = await noCluster.sync();
      expect(run.findings.map(f => [f.rule, f.severity, f.file])).toEqual([
        ['reference.unverified', 'warning', 'managed/vpcattachments/it-vpc-1--dangling.yaml'],
        ['reference.unverified', 'warning', 'managed/vpcattachments/it-vpc-1--live.yaml'],
      ]);
      expect(run.status).toBe('succeeded');
      expect(validate.message).toBe("FabricConfig: hhfab's defaults (config-dependent findings are warnings)");
    } finally {
      await noCluster.env.cleanup();
    }

    // an unreachable cluster: the validate stage runs offline (the same warnings) and says so
    const down = await fabricWith(files, clusterDef({ name: 'down', url: 'https://127.0.0.1:1', requestTimeoutMs: 2000 }));
    try {
      const { validate } = await down.sync();
      expect(validate.status).toBe('succeeded');
      expect(validate.counts).toMatchObject({ errors: 0, warnings: 2, offline: 1 });
      expect(validate.message).toContain('cluster down unreachable, validated offline');
    } finally {
      await down.env.cleanup();
    }
  });

  it('checks Connection ports and Switch port settings against the cluster\'s SwitchProfile', async () => {
    await create(wiringPath('switchprofiles'), { ...testSwitchProfile('it-profile'), metadata: { name: 'it-profile', namespace: 'default' } });
    const server = (name: string) => doc(WIRING, 'Server', name, {});
    const { env, sync } = await fabricWith({
      'raw/wiring.yaml': yamlOf(vlanNamespace, leaf('it-profile'), server('it-srv-1'), server('it-srv-2'), unbundled('it-srv-1', 'E1/5'), unbundled('it-srv-2', 'E1/25/2')),
    });
    try {
      const { run, validate } = await sync();
      expect(run.findings).toEqual([
        expect.objectContaining({
          rule: 'connection.port-profile',
          severity: 'error',
          file: 'managed/connections/it-srv-2--unbundled--it-leaf-1.yaml',
          path: 'spec.unbundled.link.switch.port',
          message: 'port it-leaf-1/E1/25/2 is not allowed for switch it-leaf-1: port E1/25 is broken out 1x100G (1 sub-port), so it has no sub-port E1/25/2',
        }),
      ]);
      expect(validate.counts.switchProfiles).toBeGreaterThanOrEqual(1);
      expect(validate.message).toMatch(/SwitchProfiles: \d+ from cluster lab/);
      // the finding blocks only that connection from being applied
      expect((await env.store.getResource('lab', 'Connection', 'it-srv-1--unbundled--it-leaf-1'))!.findings).toEqual([]);
    } finally {
      await env.cleanup();
    }
  });

  it('POST /validate with a fabric uses its cluster\'s live objects and its app-config fabricConfig', async () => {
    await create(wiringPath('switches'), { ...leaf('vs'), metadata: { name: 'it-leaf-1', namespace: 'default' } });
    await create(wiringPath('connections'), { ...unbundled('it-srv-1', 'E1/5'), metadata: { name: 'it-srv-1--unbundled--it-leaf-1', namespace: 'default' } });
    const repo = await createBareRepo(path.join(root, `f${++counter}.git`));
    const backend = await startTestBackend({
      features: [
        hedgehogPlugin,
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            hedgehog: {
              workingDirectory: path.join(root, 'route-work'),
              clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData }],
              fabrics: [{ name: 'lab', git: { url: `file://${repo}`, branch: 'main' }, cluster: 'lab', fabricConfig: { spineASN: 64100 } }],
            },
          },
        }),
      ],
    });
    try {
      const attach = (name: string, connection: string) => doc(VPC, 'VPCAttachment', name, { subnet: 'it-vpc-1/default', connection });
      const content = yamlOf(
        vlanNamespace,
        ipv4Namespace,
        spine(64100),
        doc(VPC, 'VPC', 'it-vpc-1', { subnets: { default: { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vlan: 1001 } } }),
        attach('it-vpc-1--live', 'it-srv-1--unbundled--it-leaf-1'),
        attach('it-vpc-1--dangling', 'it-srv-9--unbundled--it-leaf-1'),
      );
      const validate = (body: object) =>
        request(backend.server).post('/api/hedgehog/validate').set('Authorization', mockCredentials.user.header('user:default/reader')).send(body);
      const res = await validate({ files: [{ path: 'raw/vpcs.yaml', content }], fabric: 'lab' });
      expect(res.status).toBe(200);
      // the spine ASN is the fabric's (app-config), the live connection resolves, the dangling one is an error
      expect(res.body).toEqual({
        valid: false,
        findings: [{ severity: 'error', rule: 'reference.missing', blocksApply: true, file: 'raw/vpcs.yaml', document: 5, path: 'spec.connection', message: expect.stringContaining('neither in the fabric\'s Git nor in the cluster') }],
      });
      // without a fabric: hhfab's defaults and no cluster
      const offline = await validate({ files: [{ path: 'raw/vpcs.yaml', content }] });
      expect(offline.body.findings.map((f: any) => [f.severity, f.rule, f.document])).toEqual([
        ['warning', 'switch.asn', 2],
        ['warning', 'reference.unverified', 4],
        ['warning', 'reference.unverified', 5],
      ]);
    } finally {
      await backend.stop();
    }
  });
});
