/*
 * hedgehog:resource:add with a GatewayPeering (gateway.githedgehog.com/v1alpha1):
 * the action runs the hedgehog backend's own validation (POST /validate, in the
 * context of the fabric the backend has synced) — a real backend, real Git. A
 * valid peering is written into raw/ and the next sync ingests it into
 * managed/gatewaypeerings/; one with a bad field is refused with the field named.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { READER, startHedgehogBackend } from '../__testUtils__/hedgehogBackend';
import { fabricInfoOf } from '../lib/fabricEntity';
import { createAddResourceAction } from './addResource';

jest.setTimeout(60_000);

const VPC = (name: string, third: number) => `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: ${name}
spec:
  subnets:
    default:
      subnet: 10.0.${third}.0/24
      vlan: ${1000 + third}
`;

const GATEWAY_GROUP = `apiVersion: gateway.githedgehog.com/v1alpha1
kind: GatewayGroup
metadata:
  name: default
spec: {}
`;

/** A GatewayPeering of two VPCs, each exposing a CIDR, as in Hedgehog's GitOps demo. */
const PEERING = (name: string, a: string, b: string, cidrA = '10.0.1.0/24') => `apiVersion: gateway.githedgehog.com/v1alpha1
kind: GatewayPeering
metadata:
  name: ${name}
spec:
  gatewayGroup: default
  peering:
    ${a}:
      expose:
        - ips:
            - cidr: ${cidrA}
    ${b}:
      expose:
        - ips:
            - cidr: 10.0.2.0/24
`;

describe('hedgehog:resource:add: a GatewayPeering, validated by the hedgehog backend', () => {
  let root: string;
  let url: string;
  let backend: Awaited<ReturnType<typeof startHedgehogBackend>>;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-scaffolder-peering-'));
    url = `file://${await createBareRepo(path.join(root, 'fabric.git'))}`;
    await pushFiles(url, {
      'fabrics/lab/raw/vpcs.yaml': `${VPC('vpc-1', 1)}---\n${VPC('vpc-2', 2)}`,
      'fabrics/lab/raw/gateway.yaml': GATEWAY_GROUP,
    });
    backend = await startHedgehogBackend({
      workingDirectory: path.join(root, 'work'),
      fabrics: [{ name: 'lab', git: { url, branch: 'main', path: 'fabrics/lab' } }],
    });
    const first = await backend.sync('lab');
    if (first.status !== 'succeeded') throw new Error(`the first sync ended ${first.status}`);
  });

  afterAll(async () => {
    await backend?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  const fabrics = {
    read: async (ref: string) =>
      fabricInfoOf(
        {
          kind: 'Resource',
          metadata: { name: 'lab', annotations: { 'githedgehog.com/gitops-location': `url:${url}#main:fabrics/lab` } },
          spec: { type: 'hedgehog-fabric' },
        },
        ref,
      ),
  };

  /** Runs the action in a workspace holding the fabric's directory; its outputs and the workspace. */
  async function add(resource: string) {
    const dir = await fs.mkdtemp(path.join(root, 'workspace-'));
    await fs.mkdir(path.join(dir, 'fabric/raw'), { recursive: true });
    await fs.writeFile(path.join(dir, 'fabric/raw/vpcs.yaml'), `${VPC('vpc-1', 1)}---\n${VPC('vpc-2', 2)}`);
    const ctx = createMockActionContext({ input: { fabric: 'resource:default/lab', path: 'fabric', resource }, workspacePath: dir });
    await createAddResourceAction({ fabrics, validator: backend.validator() }).handler({
      ...ctx,
      getInitiatorCredentials: async () => mockCredentials.user(READER),
    } as any);
    return { dir, out: Object.fromEntries((ctx.output as jest.Mock).mock.calls) };
  }

  it('accepts a valid peering of two VPCs of the fabric; the sync files it under managed/gatewaypeerings/', async () => {
    const { dir, out } = await add(PEERING('vpc-1--vpc-2', 'vpc-1', 'vpc-2'));
    expect(out).toMatchObject({ kind: 'GatewayPeering', name: 'vpc-1--vpc-2', fabric: 'lab', filePath: 'fabric/raw/gatewaypeering-vpc-1--vpc-2.yaml' });
    const written = await fs.readFile(path.join(dir, out.filePath), 'utf8');
    expect(written).toBe(PEERING('vpc-1--vpc-2', 'vpc-1', 'vpc-2'));

    // what the template's pull request adds, merged: the next sync ingests it
    await pushFiles(url, { 'fabrics/lab/raw/gatewaypeering-vpc-1--vpc-2.yaml': written }, { message: 'add GatewayPeering vpc-1--vpc-2' });
    const run = await backend.sync('lab');
    expect(run.status).toBe('succeeded');
    expect(run.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    const resource = await request(backend.server)
      .get('/api/hedgehog/fabrics/lab/resources/GatewayPeering/vpc-1--vpc-2')
      .set('Authorization', mockCredentials.user.header(READER));
    expect(resource.status).toBe(200);
    expect(resource.body).toMatchObject({ gitPath: 'managed/gatewaypeerings/vpc-1--vpc-2.yaml', errors: 0 });
  });

  it('refuses a peering with a bad field, naming it: an address that is no CIDR, a field GatewayPeering does not have', async () => {
    const refusal = (resource: string) => add(resource).then(() => 'accepted', (e: Error) => e.message);
    expect(await refusal(PEERING('vpc-1--vpc-2', 'vpc-1', 'vpc-2', '10.0.1.300/24'))).toMatch(
      /^GatewayPeering vpc-1--vpc-2 did not pass the validation a sync runs \(1 error\): raw\/gatewaypeering-vpc-1--vpc-2\.yaml, document 1, spec\.peering\.vpc-1\.expose\[0\]\.ips\[0\]\.cidr: cidr \"10\.0\.1\.300\/24\" is not an IPv4 prefix \(gatewaypeering\.spec\)$/,
    );
    expect(await refusal(PEERING('vpc-1--vpc-2', 'vpc-1', 'vpc-2').replace('        - ips:', '        - ipz:'))).toMatch(
      /^GatewayPeering vpc-1--vpc-2 did not pass the validation a sync runs \(\d+ errors?\): raw\/gatewaypeering-vpc-1--vpc-2\.yaml, document 1, spec\.peering\.vpc-1\.expose\[0\]\.ipz: .*\(schema\.unknown-field\)/,
    );
  });

  it('refuses a peering of a VPC the fabric does not have, naming the peer', async () => {
    const message = await add(PEERING('vpc-1--vpc-9', 'vpc-1', 'vpc-9')).then(() => 'accepted', (e: Error) => e.message);
    expect(message).toMatch(/^GatewayPeering vpc-1--vpc-9 did not pass the validation a sync runs \(\d+ errors?\): /);
    expect(message).toMatch(/spec\.peering\.vpc-9: [^()]*vpc-9[^()]* \(reference\.missing\)/);
  });
});
