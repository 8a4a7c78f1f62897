import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createDemoLocationAction, createDemoPublishAction } from './demoPublish';

describe('demo:publish:local-git', () => {
  let root: string;
  let workspace: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'demo-publish-test-'));
    workspace = path.join(root, 'workspace');
    await fs.mkdir(path.join(workspace, 'fabrics/lab/raw'), { recursive: true });
    await fs.writeFile(path.join(workspace, 'fabrics/lab/raw/.gitkeep'), '');
    await fs.writeFile(
      path.join(workspace, 'fabrics/lab/catalog-info.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Resource',
        'metadata:',
        '  name: lab',
        '  annotations:',
        '    githedgehog.com/gitops-location: url:https://github.com/acme/lab/tree/main/fabrics/lab',
        'spec:',
        '  type: hedgehog-fabric',
        '  owner: guests',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('publishes the workspace to a new local repository, points the entity at it and registers it', async () => {
    const catalog = catalogServiceMock.mock({
      addLocation: jest.fn(async () => ({
        location: { id: '1', type: 'file', target: 'x' },
        // as the catalog answers a registration that is not a dry run: no entities yet
        entities: [],
      })) as any,
    });
    const action = createDemoPublishAction({ root: path.join(root, 'published'), catalog });
    const ctx = createMockActionContext({
      workspacePath: workspace,
      input: { name: 'lab', fabricPath: 'fabrics/lab', catalogInfoPath: '/fabrics/lab/catalog-info.yaml' },
    });
    await action.handler(ctx);

    const repo = path.join(root, 'published', 'lab.git');
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', 'main'], { cwd: repo }).toString().trim().split('\n');
    expect(files).toEqual(['fabrics/lab/catalog-info.yaml', 'fabrics/lab/raw/.gitkeep']);
    const info = execFileSync('git', ['show', 'main:fabrics/lab/catalog-info.yaml'], { cwd: repo }).toString();
    expect(info).toContain(`githedgehog.com/gitops-location: url:file://${repo}#main:fabrics/lab`);
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target: path.join(root, 'published', 'lab.catalog', 'catalog-info.yaml') },
      expect.anything(),
    );
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', `file://${repo}`);
    expect(ctx.output).toHaveBeenCalledWith('entityRef', 'resource:default/lab');
  });

  it('refuses an existing repository and a path outside the workspace, and does nothing in a dry run', async () => {
    const catalog = catalogServiceMock.mock();
    const action = createDemoPublishAction({ root: path.join(root, 'published'), catalog });
    await fs.mkdir(path.join(root, 'published', 'lab.git'), { recursive: true });
    await expect(
      action.handler(createMockActionContext({ workspacePath: workspace, input: { name: 'lab', catalogInfoPath: '/fabrics/lab/catalog-info.yaml' } })),
    ).rejects.toThrow('The local repository lab exists already');
    await expect(
      action.handler(createMockActionContext({ workspacePath: workspace, input: { name: 'other', catalogInfoPath: '/../../etc/passwd' } })),
    ).rejects.toThrow('catalogInfoPath must stay inside the workspace');
    // createMockActionContext does not pass isDryRun through
    const dry = { ...createMockActionContext({ workspacePath: workspace, input: { name: 'dry', catalogInfoPath: '/fabrics/lab/catalog-info.yaml' } }), isDryRun: true };
    await action.handler(dry);
    await expect(fs.access(path.join(root, 'published', 'dry.git'))).rejects.toThrow();
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('names the repository and gitops location the publish will use, before anything is written', async () => {
    const published = path.join(root, 'published');
    const ctx = createMockActionContext({ workspacePath: workspace, input: { name: 'lab', fabricPath: 'fabrics/lab' } });
    await createDemoLocationAction({ root: published }).handler(ctx);
    const repo = path.join(published, 'lab.git');
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', `file://${repo}`);
    expect(ctx.output).toHaveBeenCalledWith('gitopsLocation', `url:file://${repo}#main:fabrics/lab`);
    await expect(fs.access(published)).rejects.toThrow();

    const atRoot = createMockActionContext({ workspacePath: workspace, input: { name: 'lab', fabricPath: '.' } });
    await createDemoLocationAction({ root: published }).handler(atRoot);
    expect(atRoot.output).toHaveBeenCalledWith('gitopsLocation', `url:file://${repo}#main`);
    await expect(
      createDemoLocationAction({ root: published }).handler(
        createMockActionContext({ workspacePath: workspace, input: { name: '../x' } }),
      ),
    ).rejects.toThrow('"../x" is not a valid repository name');
  });
});
