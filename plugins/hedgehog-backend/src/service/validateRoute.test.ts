import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { permissionsByUser } from '../__testUtils__/permissions';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const samples = path.resolve(__dirname, '../../../../test/fixtures/samples');
const sample = (name: string) => fs.readFile(path.join(samples, name), 'utf8');

const READER = 'user:default/reader';
const OPERATOR = 'user:default/operator';

const permissionsMock = permissionsByUser(
  (user, permission) => user === OPERATOR || (user !== 'user:default/blocked' && permission === 'hedgehog.fabric.read'),
);

const VPC = (name: string, subnet: string, vlan: number) => `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: ${name}
spec:
  subnets:
    default:
      subnet: ${subnet}
      vlan: ${vlan}
`;

describe('POST /api/hedgehog/validate', () => {
  let root: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-validate-test-'));
    const repo = await createBareRepo(path.join(root, 'fabric.git'));
    await pushFiles(`file://${repo}`, {
      'fabrics/air/raw/include.yaml': await sample('07-nvidia-air-demo-include.yaml'),
    });
    const backend = await startPluginBackend(permissionsMock.factory, {
      hedgehog: {
        workingDirectory: path.join(root, 'work'),
        fabrics: [
          { name: 'air', git: { url: `file://${repo}`, branch: 'main', path: 'fabrics/air' } },
          // Hedgehog's GitOps pattern: only the day-2 kinds in Git, the wiring from the installer
          { name: 'vpcs', kinds: 'day2', git: { url: `file://${repo}`, branch: 'main', path: 'fabrics/vpcs' } },
        ],
      },
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await fs.rm(root, { recursive: true, force: true });
  });

  const validate = (body: unknown, user: string | null = READER) => {
    const req = request(server).post('/api/hedgehog/validate');
    return (user ? req.set('Authorization', mockCredentials.user.header(user)) : req).send(body as object);
  };

  it('answers valid with the warnings of a valid file', async () => {
    const res = await validate({ files: [{ path: 'raw/pre-demo.yaml', content: await sample('01-demo-gitops-env1-pre-demo.yaml') }] });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(true);
    expect(res.body.findings).toEqual([
      { severity: 'warning', rule: 'reference.unverified', file: 'raw/pre-demo.yaml', document: 2, path: 'spec.connection', message: expect.any(String), blocksApply: false },
      { severity: 'warning', rule: 'reference.unverified', file: 'raw/pre-demo.yaml', document: 3, path: 'spec.connection', message: expect.any(String), blocksApply: false },
    ]);
  });

  it('says of every finding whether it blocks an apply: errors and non-hydrated wiring do, other warnings not', async () => {
    // the unhydrated wiring of HNP's tests (Switches without asn/ip/protocolIP/vtepIP; MCLAG, deprecated), a VPC without a VLAN
    const res = await validate({
      files: [
        { path: 'raw/prepop.yaml', content: await sample('04-hnp-vlab-prepop.yaml') },
        { path: 'raw/vpc.yaml', content: VPC('vpc-1', '10.0.1.0/24', 1001).replace('      vlan: 1001\n', '') },
      ],
    });
    expect(res.status).toBe(200);
    const first = (rule: string) => res.body.findings.find((f: any) => f.rule === rule);
    expect(first('hydration.switch')).toMatchObject({ severity: 'warning', blocksApply: true });
    expect(first('vpc.subnet-vlan')).toMatchObject({ severity: 'error', file: 'raw/vpc.yaml', blocksApply: true });
    expect(first('deprecated.mclag')).toMatchObject({ severity: 'warning', blocksApply: false });
    expect(res.body.findings.every((f: any) => f.blocksApply === (f.severity === 'error' || f.rule.startsWith('hydration.')))).toBe(true);
  });

  it('locates every problem of several files: YAML, unreadable files, other kinds, schema and fabric rules', async () => {
    const res = await validate({
      files: [
        { path: 'raw/a.yaml', content: `${VPC('vpc-1', '10.0.1.0/24', 1001)}---\n${VPC('vpc-2', '10.0.1.0/25', 'x' as any)}` },
        { path: 'raw/broken.yaml', content: 'a: [1,\n---\nkind: VPCInfo\napiVersion: gateway.githedgehog.com/v1alpha1\nmetadata: {name: gw}\n' },
        { path: 'raw/binary.yaml', content: 'a\u0000b' },
        { path: 'raw/name.yaml', content: VPC('a-very-long-vpc-name', '10.0.3.0/24', 1003).replace('name: a-very', 'namespace: fab\n  name: a-very') },
        { path: 'raw/empty.yaml', content: '# nothing\n' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.findings.map((f: any) => [f.severity, f.rule, f.file, f.document, f.path])).toEqual([
      ['error', 'fabric.vpc-subnet-overlap', 'raw/a.yaml', 0, 'spec.subnets.default.subnet'],
      ['error', 'schema.type', 'raw/a.yaml', 1, 'spec.subnets.default.vlan'],
      ['error', 'fabric.vpc-subnet-overlap', 'raw/a.yaml', 1, 'spec.subnets.default.subnet'],
      ['error', 'document.yaml', 'raw/broken.yaml', 0, ''],
      ['warning', 'document.unmanaged', 'raw/broken.yaml', 1, 'kind'],
      ['error', 'document.unreadable', 'raw/binary.yaml', undefined, ''],
      ['error', 'metadata.name-length', 'raw/name.yaml', 0, 'metadata.name'],
      ['error', 'metadata.namespace', 'raw/name.yaml', 0, 'metadata.namespace'],
    ]);
  });

  it('validates against the desired state of a fabric when one is named', async () => {
    const sync = await request(server)
      .post('/api/hedgehog/fabrics/air/sync')
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .send({});
    expect(sync.status).toBe(202);
    let status: string | undefined;
    for (let i = 0; !['succeeded', 'partial', 'failed'].includes(status ?? ''); i++) {
      if (i > 200) throw new Error('sync did not finish');
      if (i > 0) await new Promise(r => setTimeout(r, 100));
      const run = await request(server).get(`/api/hedgehog/runs/${sync.body.runId}`).set('Authorization', mockCredentials.user.header(READER));
      status = run.body.status;
    }
    expect(status).toBe('succeeded');

    const attachment = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCAttachment
metadata:
  name: vpc-1-server-su00-n00-r0
spec:
  subnet: vpc-1/default
  connection: server-su00-n00-r0-leaf-su00-r0
`;
    // alone, the file refers to things it does not define
    const alone = await validate({ files: [{ path: 'raw/x.yaml', content: attachment }] });
    expect(alone.body).toMatchObject({ valid: true, findings: [{ rule: 'reference.unverified' }, { rule: 'reference.unverified' }] });
    // with the fabric, the references resolve
    const withFabric = await validate({ fabric: 'air', files: [{ path: 'raw/x.yaml', content: attachment }] });
    expect(withFabric.body).toEqual({ valid: true, findings: [] });
    // and a new VPC is checked against the fabric's VPCs
    const clash = await validate({ fabric: 'air', files: [{ path: 'raw/vpc.yaml', content: VPC('vpc-2', '10.9.0.0/16', 1000) }] });
    expect(clash.body.valid).toBe(false);
    expect(clash.body.findings.map((f: any) => [f.rule, f.file, f.path])).toEqual([
      ['fabric.vpc-subnet-overlap', 'raw/vpc.yaml', 'spec.subnets.default.subnet'],
      ['fabric.vpc-vlan-reused', 'raw/vpc.yaml', 'spec.subnets.default.vlan'],
    ]);
    // an edit of an existing VPC replaces it
    const edit = await validate({ fabric: 'air', files: [{ path: 'raw/vpc.yaml', content: VPC('vpc-1', '10.8.0.0/13', 1001) }] });
    expect(edit.body).toEqual({ valid: true, findings: [] });
  });

  it("applies the fabric's kinds: documents of other kinds are not its, and references to them are not resolved by them", async () => {
    const connection = `apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata:
  name: server-1--unbundled--leaf-1
spec:
  unbundled:
    link:
      server: {port: server-1/enp2s1}
      switch: {port: leaf-1/E1/1}
`;
    const attachment = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPCAttachment
metadata:
  name: vpc-1--server-1
spec:
  subnet: vpc-1/default
  connection: server-1--unbundled--leaf-1
`;
    const files = [
      { path: 'raw/vpc.yaml', content: VPC('vpc-1', '10.0.1.0/24', 1001) },
      { path: 'raw/wiring.yaml', content: connection },
      { path: 'raw/attach.yaml', content: attachment },
    ];
    // a fabric of every kind: the Connection is validated, and the attachment resolves against it
    const all = await validate({ fabric: 'air', files });
    expect(all.body.findings.filter((f: any) => f.file === 'raw/attach.yaml' || f.file === 'raw/wiring.yaml' && f.rule.startsWith('unmanaged'))).toEqual([]);

    // a day2 fabric: the Connection is not its, as ingestion would say; the attachment's reference
    // is to the cluster's connections (this fabric has no cluster: it cannot be checked)
    const day2 = await validate({ fabric: 'vpcs', files });
    expect(day2.status).toBe(200);
    expect(day2.body.findings).toEqual([
      {
        severity: 'warning',
        rule: 'unmanaged.out-of-scope',
        file: 'raw/wiring.yaml',
        document: 0,
        path: 'kind',
        message: 'kind Connection is not managed by this fabric; it is not validated',
        blocksApply: false,
      },
      expect.objectContaining({ severity: 'warning', rule: 'reference.unverified', file: 'raw/attach.yaml', document: 0, path: 'spec.connection' }),
    ]);
  });

  it('answers 400 for bad bodies and 404 for an unknown fabric', async () => {
    const files = (n: number, content = 'a: 1') => Array.from({ length: n }, (_, i) => ({ path: `f${i}.yaml`, content }));
    expect((await validate({})).status).toBe(400);
    expect((await validate({ files: [] })).status).toBe(400);
    expect((await validate({ files: files(201) })).status).toBe(400);
    expect((await validate({ files: files(1), extra: true })).status).toBe(400);
    expect((await validate({ files: [{ path: 'a.yaml' }] })).status).toBe(400);
    const big = await validate({ files: files(2, 'x'.repeat(2.6 * 1024 * 1024)) });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/more than 5242880 bytes/);
    expect((await validate({ files: files(200) })).status).toBe(200);
    expect((await validate({ fabric: 'NOT A NAME', files: files(1) })).status).toBe(400);
    expect((await validate({ fabric: 'nope', files: files(1) })).status).toBe(404);
    // a YAML file posted as it is, not wrapped in JSON
    const yaml = await request(server)
      .post('/api/hedgehog/validate')
      .set('Authorization', mockCredentials.user.header(READER))
      .set('Content-Type', 'text/yaml')
      .send(VPC('vpc-1', '10.0.1.0/24', 1001));
    expect(yaml.status).toBe(400);
    expect(yaml.body.error.message).toMatch(/^the request body must be JSON \(Content-Type: application\/json\) .* not text\/yaml/);
  });

  it('needs authentication and the read permission', async () => {
    const body = { files: [{ path: 'a.yaml', content: 'a: 1' }] };
    expect((await validate(body, null)).status).toBe(401);
    const blocked = await validate(body, 'user:default/blocked');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.message).toBe('Permission hedgehog.fabric.read is required');
  });
});
