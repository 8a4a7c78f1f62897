/*
 * The seed check of hedgehog:fabric:bootstrap and the check of
 * hedgehog:resource:add run the hedgehog backend's validation: a real backend
 * (startTestBackend with the hedgehog plugin), reached through discovery with a
 * token issued on behalf of the task's initiator.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { BLOCKED, READER, startHedgehogBackend } from '../__testUtils__/hedgehogBackend';
import { createAddResourceAction } from '../actions/addResource';
import { createBootstrapFabricAction } from '../actions/bootstrapFabric';
import { createCheckoutFabricAction } from '../actions/checkoutFabric';
import { BackendFabricReader } from './backendFabricReader';
import { fabricInfoOf } from './fabricEntity';

jest.setTimeout(60_000);

const VPC = (name: string, subnet: string, vlan?: number) =>
  `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: ${name}
spec:
  subnets:
    default:
      subnet: ${subnet}
${vlan === undefined ? '' : `      vlan: ${vlan}\n`}`;

describe('validation by the hedgehog backend', () => {
  let root: string;
  let backend: Awaited<ReturnType<typeof startHedgehogBackend>>;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-scaffolder-validate-'));
    const repo = await createBareRepo(path.join(root, 'fabric.git'));
    await pushFiles(`file://${repo}`, { 'fabrics/lab/raw/vpc.yaml': VPC('vpc-1', '10.0.1.0/24', 1001) });
    backend = await startHedgehogBackend({
      workingDirectory: path.join(root, 'work'),
      fabrics: [{ name: 'lab', git: { url: `file://${repo}`, branch: 'main', path: 'fabrics/lab' } }],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  const validator = () => backend.validator();

  async function bootstrap(seed: string, user = READER) {
    const dir = await fs.mkdtemp(path.join(root, 'workspace-'));
    const ctx = createMockActionContext({
      input: { name: 'lab2', title: 'Lab 2', owner: 'group:default/network', path: '.', repoUrl: 'https://github.com/acme/lab2', resources: seed },
      workspacePath: dir,
    });
    const action = createBootstrapFabricAction({
      config: new ConfigReader({ integrations: { github: [{ host: 'github.com' }] } }),
      validator: validator(),
    });
    await action.handler({ ...ctx, getInitiatorCredentials: async () => mockCredentials.user(user) } as any);
    return { dir, ctx };
  }

  it('refuses a seed the sync would reject, naming file, document, field and rule; accepts a valid one', async () => {
    // structurally fine (kinds, names), but the second VPC's subnet overlaps the first's and it reuses its VLAN
    const seed = `${VPC('vpc-1', '10.0.1.0/24', 1001)}---\n${VPC('vpc-2', '10.0.1.0/25', 1001)}`;
    const refused = bootstrap(seed);
    await expect(refused).rejects.toThrow(
      /^the seed resources did not pass the validation a sync runs \(\d+ errors?\): raw\/seed\.yaml, document 1, spec\.subnets\.default\.subnet: .*\(fabric\.vpc-subnet-overlap\)/,
    );
    await expect(refused).rejects.toThrow(/raw\/seed\.yaml, document 2, spec\.subnets\.default\.vlan: .*\(fabric\.vpc-vlan-reused\)/);

    const { dir, ctx } = await bootstrap(`${VPC('vpc-1', '10.0.1.0/24', 1001)}---\n${VPC('vpc-2', '10.0.2.0/24', 1002)}`);
    expect(Object.fromEntries((ctx.output as jest.Mock).mock.calls).resourceCount).toBe(2);
    expect(await fs.readFile(path.join(dir, 'raw/seed.yaml'), 'utf8')).toContain('vpc-2');
  });

  it('says so when the initiator may not read fabrics', async () => {
    await expect(bootstrap(VPC('vpc-1', '10.0.1.0/24', 1001), BLOCKED)).rejects.toThrow(
      'the hedgehog backend refused to validate the resources for you: Permission hedgehog.fabric.read is required',
    );
  });

  it('checks an added VPC against the fabric the backend has synced', async () => {
    expect((await backend.sync('lab')).status).toBe('succeeded');
    const fabrics = {
      read: async (ref: string) =>
        fabricInfoOf(
          { kind: 'Resource', metadata: { name: 'lab', annotations: { 'githedgehog.com/gitops-location': `url:file://${root}/fabric.git#main:fabrics/lab` } }, spec: { type: 'hedgehog-fabric' } },
          ref,
        ),
    };
    const add = async (resource: string) => {
      const dir = await fs.mkdtemp(path.join(root, 'workspace-'));
      await fs.mkdir(path.join(dir, 'fabric/raw'), { recursive: true });
      await fs.writeFile(path.join(dir, 'fabric/raw/vpc.yaml'), VPC('vpc-1', '10.0.1.0/24', 1001));
      const ctx = createMockActionContext({ input: { fabric: 'resource:default/lab', path: 'fabric', resource }, workspacePath: dir });
      await createAddResourceAction({ fabrics, validator: validator() }).handler({
        ...ctx,
        getInitiatorCredentials: async () => mockCredentials.user(READER),
      } as any);
      return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    };
    // alone it is a valid VPC; in the fabric its subnet overlaps vpc-1's
    await expect(add(VPC('vpc-7', '10.0.1.128/25', 1007))).rejects.toThrow(
      /^VPC vpc-7 did not pass the validation a sync runs \(1 error\): raw\/vpc-vpc-7\.yaml, document 1, spec\.subnets\.default\.subnet: .*\(fabric\.vpc-subnet-overlap\)$/,
    );
    expect(await add(VPC('vpc-7', '10.0.7.0/24', 1007))).toMatchObject({ filePath: 'fabric/raw/vpc-vpc-7.yaml' });
  });

  it('reads a fabric as the backend syncs it (a fabric of app-config too), else its catalog entity', async () => {
    const catalogRead = jest.fn(async (ref: string) =>
      fabricInfoOf(
        { kind: 'Resource', metadata: { name: 'other', annotations: { 'githedgehog.com/gitops-location': 'url:https://github.com/acme/other/tree/main' } }, spec: { type: 'hedgehog-fabric' } },
        ref,
      ),
    );
    const reader = new BackendFabricReader({ ...backend.services, catalog: { read: catalogRead } });
    expect(await reader.read('resource:default/lab', mockCredentials.user(READER))).toEqual({
      entityRef: 'resource:default/lab',
      name: 'lab',
      gitopsLocation: `url:file://${root}/fabric.git#main:fabrics/lab`,
    });
    expect(catalogRead).not.toHaveBeenCalled();
    expect((await reader.read('resource:default/other', mockCredentials.user(READER))).gitopsLocation).toBe(
      'url:https://github.com/acme/other/tree/main',
    );
    expect(catalogRead).toHaveBeenCalledTimes(1);
    await expect(reader.read('resource:default/lab', mockCredentials.user(BLOCKED))).rejects.toThrow(
      /^the hedgehog backend refused to show you fabric lab: /,
    );

    // the checkout step of "Add a VPC" copies that fabric's directory
    const dir = await fs.mkdtemp(path.join(root, 'workspace-'));
    const ctx = createMockActionContext({ input: { fabric: 'resource:default/lab' }, workspacePath: dir });
    await createCheckoutFabricAction({ config: new ConfigReader({}), fabrics: reader }).handler({
      ...ctx,
      getInitiatorCredentials: async () => mockCredentials.user(READER),
    } as any);
    expect(Object.fromEntries((ctx.output as jest.Mock).mock.calls)).toMatchObject({ fabric: 'lab', path: 'fabrics/lab', provider: 'git' });
    // as the earlier sync left it: vpc-1 ingested into managed/
    expect(await fs.readdir(path.join(dir, 'fabric/managed/vpcs'))).toContain('vpc-1.yaml');
  });
});
