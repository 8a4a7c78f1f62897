/*
 * hedgehog:fabric:push and hedgehog:fabric:checkout against real Git
 * repositories (file://), and the "Add a VPC" flow they make possible for
 * fabrics outside GitHub: checkout → hedgehog:resource:add → push.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  createBareRepo,
  pushFiles,
  readRemoteFile,
  readRemoteTree,
  remoteHead,
} from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'yaml';
import { fabricInfoOf } from '../lib/fabricEntity';
import { createAddResourceAction } from './addResource';
import { createBootstrapFabricAction } from './bootstrapFabric';
import { createCheckoutFabricAction, gitProvider } from './checkoutFabric';
import { createPushFabricAction } from './pushFabric';

jest.setTimeout(60_000);

const config = new ConfigReader({});
const outputs = (ctx: ReturnType<typeof createMockActionContext>) =>
  Object.fromEntries((ctx.output as jest.Mock).mock.calls);

describe('hedgehog:fabric:push and hedgehog:fabric:checkout', () => {
  const mockDir = createMockDirectory();
  let root: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-git-actions-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function bootstrap(name: string, fabricPath: string, url: string) {
    mockDir.setContent({ workspace: {} });
    const ctx = createMockActionContext({
      input: { name, title: name, owner: 'group:default/network', path: fabricPath, repoUrl: url, branch: 'main' },
      workspacePath: mockDir.resolve('workspace'),
    });
    await createBootstrapFabricAction({
      config: new ConfigReader({ hedgehog: { catalogFabrics: { repositories: ['file:///**'] } } }),
    }).handler(ctx as any);
    return outputs(ctx);
  }

  it('pushes a new fabric into an empty repository and into a folder of one that has files', async () => {
    const empty = await createBareRepo(path.join(root, 'empty.git'));
    const boot = await bootstrap('lab', '.', `file://${empty}`);
    const push = createMockActionContext({
      input: { url: `file://${empty}`, branch: 'main', sourcePath: boot.fabricPath, targetPath: boot.fabricPath, message: 'New fabric lab', newFabric: true },
      workspacePath: mockDir.resolve('workspace'),
    });
    await createPushFabricAction({ config }).handler(push as any);
    const out = outputs(push);
    expect(out).toMatchObject({ remoteUrl: `file://${empty}`, branch: 'main', commit: await remoteHead(empty) });
    expect(out.catalogInfoUrl).toBeUndefined(); // the catalog cannot read file:// repositories
    const tree = [...(await readRemoteTree(empty)).keys()];
    expect(tree).toEqual(expect.arrayContaining(['.gitops/manifest.yaml', 'catalog-info.yaml', 'README.md']));

    // an existing repository with a README at its root: the fabric goes into its folder, the README stays
    const existing = await createBareRepo(path.join(root, 'network.git'));
    await pushFiles(`file://${existing}`, { 'README.md': '# network\n', 'fabrics/other/notes.txt': 'x' });
    const before = await remoteHead(existing);
    const boot2 = await bootstrap('lab2', 'fabrics/lab2', `file://${existing}`);
    const push2 = createMockActionContext({
      input: { url: `file://${existing}`, branch: 'main', sourcePath: boot2.fabricPath, targetPath: 'fabrics/lab2', message: 'New fabric lab2', newFabric: true },
      workspacePath: mockDir.resolve('workspace'),
    });
    await createPushFabricAction({ config }).handler(push2 as any);
    const tree2 = [...(await readRemoteTree(existing)).keys()];
    expect(tree2).toEqual(expect.arrayContaining(['README.md', 'fabrics/other/notes.txt', 'fabrics/lab2/.gitops/manifest.yaml', 'fabrics/lab2/catalog-info.yaml']));
    expect((await readRemoteFile(existing, 'README.md')).toString()).toBe('# network\n');
    expect(yaml.parse((await readRemoteFile(existing, 'fabrics/lab2/catalog-info.yaml')).toString()).metadata.annotations['githedgehog.com/gitops-location']).toBe(
      `url:file://${existing}#main:fabrics/lab2`,
    );
    expect(before).not.toBe(await remoteHead(existing));

    // the same folder again: refused, nothing pushed
    const head = await remoteHead(existing);
    const again = createMockActionContext({
      input: { url: `file://${existing}`, branch: 'main', sourcePath: boot2.fabricPath, targetPath: 'fabrics/lab2', message: 'again', newFabric: true },
      workspacePath: mockDir.resolve('workspace'),
    });
    await expect(createPushFabricAction({ config }).handler(again as any)).rejects.toThrow(
      `file://${existing} (branch main) already holds a fabric in "fabrics/lab2"`,
    );
    // a new fabric at the root would replace the repository's README: refused
    const boot3 = await bootstrap('lab3', '.', `file://${existing}`);
    const root3 = createMockActionContext({
      input: { url: `file://${existing}`, branch: 'main', sourcePath: boot3.fabricPath, targetPath: '.', message: 'root', newFabric: true },
      workspacePath: mockDir.resolve('workspace'),
    });
    await expect(createPushFabricAction({ config }).handler(root3 as any)).rejects.toThrow(/already has README\.md; choose an empty folder/);
    expect(await remoteHead(existing)).toBe(head);
  });

  it('refuses URLs with credentials, folders outside the repository and unreachable repositories', async () => {
    mockDir.setContent({ workspace: { 'a.txt': 'a' } });
    const run = (input: Record<string, unknown>) =>
      createPushFabricAction({ config }).handler(
        createMockActionContext({ input: { message: 'm', ...input }, workspacePath: mockDir.resolve('workspace') }) as any,
      );
    await expect(run({ url: 'https://user:secret@example.com/a.git' })).rejects.toThrow(/must not carry credentials/);
    await expect(run({ url: `file://${root}/x.git`, targetPath: '../up' })).rejects.toThrow(/targetPath "..\/up" must be a folder inside the repository/);
    await expect(run({ url: `file://${root}/missing.git` })).rejects.toThrow(`cannot read the repository file://${root}/missing.git`);
  });

  it('Add a VPC for a fabric in a local repository: checkout, add (checked against the fabric directory), push to its branch', async () => {
    const repo = await createBareRepo(path.join(root, 'fabrics.git'));
    await pushFiles(`file://${repo}`, {
      'fabrics/lab/.gitops/manifest.yaml': 'fabric: lab\n',
      'fabrics/lab/raw/vpc.yaml': 'apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n',
      'other/file.txt': 'kept',
    });
    const entity = {
      kind: 'Resource',
      metadata: { name: 'lab', annotations: { 'githedgehog.com/gitops-location': `url:file://${repo}#main:fabrics/lab` } },
      spec: { type: 'hedgehog-fabric' },
    };
    const fabrics = { read: async (ref: string) => fabricInfoOf(entity, ref) };
    mockDir.setContent({ workspace: {} });
    const workspacePath = mockDir.resolve('workspace');

    const checkout = createMockActionContext({ input: { fabric: 'resource:default/lab', targetPath: 'fabric' }, workspacePath });
    await createCheckoutFabricAction({ config, fabrics }).handler(checkout as any);
    expect(outputs(checkout)).toEqual({ fabric: 'lab', gitUrl: `file://${repo}`, branch: 'main', path: 'fabrics/lab', provider: 'git' });
    expect(await fs.readFile(path.join(workspacePath, 'fabric/raw/vpc.yaml'), 'utf8')).toContain('vpc-1');
    await expect(fs.stat(path.join(workspacePath, 'other'))).rejects.toThrow();

    // a VPC the fabric already defines (in raw/, not yet ingested) is refused
    const clash = createMockActionContext({
      input: { fabric: 'resource:default/lab', path: 'fabric', resource: { apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC', metadata: { name: 'vpc-1' }, spec: {} } },
      workspacePath,
    });
    await expect(createAddResourceAction({ fabrics }).handler(clash as any)).rejects.toThrow(/VPC vpc-1 is already defined in fabric\/raw\/vpc\.yaml/);

    const add = createMockActionContext({
      input: { fabric: 'resource:default/lab', path: 'fabric', resource: { apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC', metadata: { name: 'vpc-7' }, spec: { subnets: { default: { subnet: '10.0.7.0/24', vlan: 1007 } } } } },
      workspacePath,
    });
    await createAddResourceAction({ fabrics }).handler(add as any);
    const push = createMockActionContext({
      input: { url: `file://${repo}`, branch: 'main', sourcePath: 'fabric', targetPath: 'fabrics/lab', message: 'Add VPC vpc-7' },
      workspacePath,
    });
    await createPushFabricAction({ config }).handler(push as any);
    expect(outputs(push).commit).toBe(await remoteHead(repo));
    const tree = [...(await readRemoteTree(repo)).keys()].sort();
    expect(tree).toEqual(['fabrics/lab/.gitops/manifest.yaml', 'fabrics/lab/raw/vpc-vpc-7.yaml', 'fabrics/lab/raw/vpc.yaml', 'other/file.txt']);
    expect(yaml.parse((await readRemoteFile(repo, 'fabrics/lab/raw/vpc-vpc-7.yaml')).toString()).spec.subnets.default.vlan).toBe(1007);

    // pushing the same directory again changes nothing
    const noop = createMockActionContext({
      input: { url: `file://${repo}`, branch: 'main', sourcePath: 'fabric', targetPath: 'fabrics/lab', message: 'again' },
      workspacePath,
    });
    await createPushFabricAction({ config }).handler(noop as any);
    expect(outputs(noop).commit).toBeUndefined();
  });

  it('names the publish step of a repository: GitHub, GitLab (also on integration hosts), else a push', () => {
    const withHosts = new ConfigReader({ integrations: { github: [{ host: 'ghe.acme.com' }], gitlab: [{ host: 'git.acme.com' }] } });
    expect(gitProvider(withHosts, 'https://github.com/a/b.git')).toBe('github');
    expect(gitProvider(withHosts, 'https://ghe.acme.com/a/b.git')).toBe('github');
    expect(gitProvider(withHosts, 'https://git.acme.com/a/b.git')).toBe('gitlab');
    expect(gitProvider(withHosts, 'https://example.com/a/b.git')).toBe('git');
    expect(gitProvider(withHosts, 'file:///srv/git/a.git')).toBe('git');
  });
});
