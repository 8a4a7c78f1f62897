import { TestDatabases } from '@backstage/backend-test-utils';
import { blocksApply } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';
import { SAMPLES_DIR } from './__testUtils__/samples';

jest.setTimeout(120_000);

/** The validate stage of a sync runs all layers on the whole fabric. */
describe('validation in the sync pipeline', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-validate-pipeline-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('imports resources with errors together with their findings; an error blocks apply', async () => {
    const repo = await createBareRepo(path.join(root, 'fabric.git'));
    const wiring = await fs.readFile(path.join(SAMPLES_DIR, '07-nvidia-air-demo-include.yaml'), 'utf8');
    await pushFiles(`file://${repo}`, {
      'fabrics/lab/raw/include.yaml': wiring,
      // a second VPC reusing vpc-0's VLAN, and a switch that is not hydrated
      'fabrics/lab/raw/more.yaml': `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-2
spec:
  subnets:
    default:
      subnet: 10.16.0.0/16
      vlan: 1000
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-new
spec:
  role: server-leaf
  profile: vs
`,
    });
    const knex = await databases.init('SQLITE_3');
    const env = await createTestService({ knex, fabrics: [testFabric(`file://${repo}`)] });

    const run = await env.sync();
    expect(run.status).toBe('partial');
    const validate = run.stages.find(s => s.name === 'validate')!;
    expect(validate.counts).toMatchObject({ errors: 2 });
    expect(validate.errors.map(e => [e.file, e.path])).toEqual([
      ['managed/vpcs/vpc-0.yaml', 'spec.subnets.default.vlan'],
      ['managed/vpcs/vpc-2.yaml', 'spec.subnets.default.vlan'],
    ]);

    // findings are located at the managed file (document 0) and stored on the resource
    const vpc2 = await env.store.getResource('lab', 'VPC', 'vpc-2');
    expect(vpc2!.findings).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'fabric.vpc-vlan-reused', file: 'managed/vpcs/vpc-2.yaml', document: 0, path: 'spec.subnets.default.vlan' }),
    ]);
    const leaf = await env.store.getResource('lab', 'Switch', 'leaf-new');
    // one hydration warning naming every missing field
    expect(leaf!.findings.map(f => [f.rule, f.path])).toEqual([['hydration.switch', 'spec']]);
    expect(leaf!.findings[0].message).toMatch(/ASN .*management IP .*protocol IP .*VTEP IP/);
    expect(leaf!.findings.every(blocksApply)).toBe(true);

    const desired = new Map((await env.store.listDesired('lab')).map(d => [`${d.kind}/${d.name}`, d]));
    expect(desired.get('VPC/vpc-2')!.errors).toBe(1);
    expect(desired.get('VPC/vpc-0')!.errors).toBe(1);
    expect(desired.get('VPC/vpc-1')!.errors).toBe(0);
  });
});
