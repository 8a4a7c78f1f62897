/*
 * The example templates of examples/templates use these actions: they must be
 * valid Template entities, give the actions only inputs they know, read only
 * outputs the actions have, and their hedgehog steps must run with sample
 * parameters (rendered here with a minimal `${{ parameters.x }}` substitution).
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { layoutFiles } from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'fs';
import path from 'path';
import yaml from 'yaml';
import { createAddResourceAction } from './actions/addResource';
import { createBootstrapFabricAction } from './actions/bootstrapFabric';
import { fabricInfoOf } from './lib/fabricEntity';

const templatesDir = path.resolve(__dirname, '../../../examples/templates');

const actions = {
  'hedgehog:fabric:bootstrap': createBootstrapFabricAction({
    config: new ConfigReader({
      integrations: { github: [{ host: 'github.com' }] },
      hedgehog: {
        clusters: [
          {
            name: 'lab',
            url: 'https://127.0.0.1:6443',
            allowCatalogFabrics: true,
          },
        ],
      },
    }),
  }),
  'hedgehog:resource:add': createAddResourceAction({
    fabrics: {
      read: async ref =>
        fabricInfoOf(
          {
            kind: 'Resource',
            metadata: {
              name: 'lab',
              annotations: {
                'githedgehog.com/gitops-location':
                  'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
              },
            },
            spec: { type: 'hedgehog-fabric' },
          },
          ref,
        ),
    },
  }),
} as const;

async function loadTemplates() {
  const dirs = (await fs.readdir(templatesDir, { withFileTypes: true }))
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name);
  return Promise.all(
    dirs.sort().map(async dir => ({
      dir,
      template: yaml.parse(
        await fs.readFile(
          path.join(templatesDir, dir, 'template.yaml'),
          'utf8',
        ),
      ),
    })),
  );
}

/**
 * `${{ parameters.x }}` as a whole value becomes the parameter, and
 * `${{ steps.id.output.x }}` the output of a step that ran (undefined for a
 * skipped one), as the scaffolder does.
 */
function render(
  value: unknown,
  parameters: Record<string, unknown>,
  steps: Record<string, Record<string, unknown>> = {},
): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{\{\s*parameters\.(\w+)\s*\}\}$/.exec(value);
    if (whole) return parameters[whole[1]];
    const output = /^\$\{\{\s*steps\.(\w+)\.output\.(\w+)\s*\}\}$/.exec(
      value,
    );
    if (output) return steps[output[1]]?.[output[2]];
    return value.replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_, k) =>
      String(parameters[k] ?? ''),
    );
  }
  if (Array.isArray(value)) return value.map(v => render(v, parameters, steps));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, render(v, parameters, steps)]),
    );
  }
  return value;
}

describe('example templates', () => {
  const mockDir = createMockDirectory();

  it('are the two templates of the issue, valid Template entities', async () => {
    const templates = await loadTemplates();
    expect(templates.map(t => t.template.metadata.title)).toEqual([
      'Add a VPC',
      'New Hedgehog fabric',
    ]);
    for (const { template } of templates) {
      expect(await templateEntityV1beta3Validator.check(template)).toBe(true);
    }
  });

  it('give the hedgehog actions known inputs and read only their outputs', async () => {
    for (const { template } of await loadTemplates()) {
      const steps: Array<{
        id: string;
        action: string;
        input: Record<string, unknown>;
      }> = template.spec.steps;
      const text = yaml.stringify(template);
      for (const step of steps.filter(s => s.action.startsWith('hedgehog:'))) {
        const action = actions[step.action as keyof typeof actions];
        expect(action).toBeDefined();
        const schema = action.schema!.input as {
          properties: Record<string, unknown>;
          required: string[];
        };
        expect(
          Object.keys(step.input).filter(k => !(k in schema.properties)),
        ).toEqual([]);
        expect(schema.required.filter(k => !(k in step.input))).toEqual([]);
        const outputs = Object.keys(
          (action.schema!.output as { properties: Record<string, unknown> })
            .properties,
        );
        const used = [
          ...text.matchAll(
            new RegExp(`steps\\.${step.id}\\.output\\.(\\w+)`, 'g'),
          ),
        ].map(m => m[1]);
        expect(used.length).toBeGreaterThan(0);
        expect(used.filter(o => !outputs.includes(o))).toEqual([]);
      }
    }
  });

  it('New Hedgehog fabric: the bootstrap step runs with sample parameters', async () => {
    const { template } = (await loadTemplates()).find(
      t => t.dir === 'new-fabric',
    )!;
    const step = template.spec.steps.find((s: any) => s.id === 'bootstrap');
    mockDir.setContent({ workspace: {} });
    const input = render(step.input, {
      name: 'lab',
      title: 'Lab',
      owner: 'group:default/network',
      description: '',
      path: '.',
      repoUrl: 'github.com?owner=network&repo=lab-fabric',
      branch: 'main',
      cluster: 'lab',
      seed: 'apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: server-01\n',
    }) as any;
    const ctx = createMockActionContext({
      input,
      workspacePath: mockDir.resolve('workspace'),
    });
    await actions['hedgehog:fabric:bootstrap'].handler(ctx as any);
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(out.catalogInfoPath).toBe('/catalog-info.yaml');
    expect(out.gitopsLocation).toBe(
      'url:https://github.com/network/lab-fabric/tree/main',
    );
    expect(out.resourceCount).toBe(1);
  });

  it('New Hedgehog fabric in the demo: the local repository passes the development policy, GitHub does not', async () => {
    // app-config.yaml's catalog fabric policy, with ${HOME} as the backend would substitute it
    const home = '/home/demo';
    const appConfig = yaml.parse(
      (
        await fs.readFile(
          path.resolve(__dirname, '../../../app-config.yaml'),
          'utf8',
        )
      ).replace(/\$\{HOME\}/g, home),
    );
    const demo = createBootstrapFabricAction({
      config: new ConfigReader({
        hedgehog: appConfig.hedgehog,
        integrations: appConfig.integrations ?? {},
      }),
    });
    const { template } = (await loadTemplates()).find(
      t => t.dir === 'new-fabric',
    )!;
    const location = template.spec.steps.find(
      (s: any) => s.id === 'localRepository',
    );
    expect(location).toMatchObject({
      action: 'demo:publish:local-git:location',
      if: "${{ parameters.publishTo == 'local' }}",
    });
    const step = template.spec.steps.find((s: any) => s.id === 'bootstrap');
    const parameters = {
      name: 'lab',
      title: 'Lab',
      owner: 'group:default/network',
      path: '.',
      repoUrl: 'github.com?owner=network&repo=lab-fabric',
      branch: 'main',
    };
    // what demo:publish:local-git:location outputs for the default publish root
    const gitopsLocation = `url:file://${home}/.cache/fabric-gitops/published/lab.git#main`;
    mockDir.setContent({ workspace: {} });
    const local = createMockActionContext({
      input: render(step.input, parameters, {
        localRepository: { gitopsLocation },
      }) as any,
      workspacePath: mockDir.resolve('workspace'),
    });
    await demo.handler(local as any);
    expect(Object.fromEntries((local.output as jest.Mock).mock.calls)).toMatchObject({
      gitopsLocation,
    });

    mockDir.setContent({ workspace: {} });
    const github = createMockActionContext({
      input: render(step.input, parameters) as any,
      workspacePath: mockDir.resolve('workspace'),
    });
    await expect(demo.handler(github as any)).rejects.toThrow(
      /the fabric would never be synced: the repository https:\/\/github\.com\/network\/lab-fabric is not one catalog fabrics may use/,
    );
  });

  it('Add a VPC: the add step runs with sample parameters and yields the pull request inputs', async () => {
    const { template } = (await loadTemplates()).find(
      t => t.dir === 'add-vpc',
    )!;
    const step = template.spec.steps.find((s: any) => s.id === 'add');
    mockDir.setContent({
      workspace: {
        fabric: Object.fromEntries(
          layoutFiles('lab').map(f => [f.path, f.content]),
        ),
      },
    });
    const input = render(step.input, {
      fabric: 'resource:default/lab',
      name: 'vpc-7',
      subnet: '10.0.7.0/24',
      gateway: '10.0.7.1',
      vlan: 1007,
      dhcp: true,
    }) as any;
    const ctx = createMockActionContext({
      input,
      workspacePath: mockDir.resolve('workspace'),
    });
    await actions['hedgehog:resource:add'].handler(ctx as any);
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(out).toMatchObject({
      filePath: 'fabric/raw/vpc-vpc-7.yaml',
      repoUrl: 'github.com?owner=network&repo=fabrics',
      branch: 'main',
      targetPath: 'fabrics/lab',
      fabric: 'lab',
    });
    const written = yaml.parse(
      await fs.readFile(
        mockDir.resolve('workspace/fabric/raw/vpc-vpc-7.yaml'),
        'utf8',
      ),
    );
    expect(written.spec.subnets.default).toEqual({
      subnet: '10.0.7.0/24',
      gateway: '10.0.7.1',
      vlan: 1007,
      dhcp: { enable: true },
    });

    const pr = template.spec.steps.find((s: any) => s.id === 'pull-request');
    expect(pr.action).toBe('publish:github:pull-request');
    expect(pr.input.sourcePath).toBe(step.input.path);
  });
});
