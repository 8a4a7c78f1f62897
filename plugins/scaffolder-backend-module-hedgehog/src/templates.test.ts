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
import { createCheckoutFabricAction } from './actions/checkoutFabric';
import { createPushFabricAction } from './actions/pushFabric';
import { fabricInfoOf } from './lib/fabricEntity';

const templatesDir = path.resolve(__dirname, '../../../examples/templates');

const labFabric = {
  read: async (ref: string) =>
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
};

const actions = {
  'hedgehog:fabric:push': createPushFabricAction({ config: new ConfigReader({}) }),
  'hedgehog:fabric:checkout': createCheckoutFabricAction({
    config: new ConfigReader({}),
    fabrics: labFabric,
  }),
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
 * A template expression (`parameters.x == 'y' or steps.id.output.z`, nunjucks'
 * `and`/`or`/`not`, `+`, inline `a if c else b`) evaluated as JavaScript over
 * the parameters and the outputs of the steps that ran.
 */
function evaluate(
  expression: string,
  parameters: Record<string, unknown>,
  steps: Record<string, Record<string, unknown>>,
): unknown {
  const inline = /^\s*(.+?)\s+if\s+(.+?)\s+else\s+(.+?)\s*$/s.exec(expression);
  if (inline) {
    return evaluate(inline[2], parameters, steps)
      ? evaluate(inline[1], parameters, steps)
      : evaluate(inline[3], parameters, steps);
  }
  const js = expression
    .replace(/steps\.(\w+)\.output/g, (_, id) => `(s[${JSON.stringify(id)}] || {})`)
    .replace(/steps\['([\w-]+)'\]\.output/g, (_, id) => `(s[${JSON.stringify(id)}] || {})`)
    .replace(/\bparameters\./g, 'p.')
    .replace(/\bnot\s+/g, '!')
    .replace(/\band\b/g, '&&')
    .replace(/\bor\b/g, '||');
  // eslint-disable-next-line no-new-func
  return new Function('p', 's', `return (${js});`)(parameters, steps);
}

/**
 * `${{ … }}` as a whole value becomes the expression's value (undefined for
 * the output of a skipped step), inside a string its text, as the scaffolder does.
 */
function render(
  value: unknown,
  parameters: Record<string, unknown>,
  steps: Record<string, Record<string, unknown>> = {},
): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{\{(.*)\}\}$/s.exec(value.trim());
    if (whole && !whole[1].includes('}}')) {
      return evaluate(whole[1], parameters, steps);
    }
    return value.replace(/\$\{\{(.*?)\}\}/g, (_, e) =>
      String(evaluate(e, parameters, steps) ?? ''),
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

/** The scaffolder's built-in actions the demo backend has (@backstage/plugin-scaffolder-backend). */
const BUILTIN_ACTIONS = [
  'catalog:register',
  'catalog:fetch',
  'catalog:write',
  'fetch:plain',
  'fetch:plain:file',
  'fetch:template',
  'fs:delete',
  'fs:rename',
  'debug:log',
];

/** Every action the demo backend (packages/backend) installs. */
async function demoActions(): Promise<string[]> {
  const demo = await fs.readFile(
    path.resolve(__dirname, '../../../packages/backend/src/modules/demoPublish.ts'),
    'utf8',
  );
  const index = await fs.readFile(
    path.resolve(__dirname, '../../../packages/backend/src/index.ts'),
    'utf8',
  );
  // the hedgehog module is one the demo adds; no GitHub or GitLab module is
  expect(index).toContain("import('@fabric-gitops/plugin-scaffolder-backend-module-hedgehog')");
  expect(index).not.toMatch(/scaffolder-backend-module-(github|gitlab)/);
  return [
    ...BUILTIN_ACTIONS,
    ...Object.keys(actions),
    ...[...demo.matchAll(/id: '(demo:[^']+)'/g)].map(m => m[1]),
  ];
}

type Step = { id: string; action: string; if?: string; input: Record<string, unknown> };

/** The steps that run for the given parameters and step outputs. */
function stepsRun(
  steps: Step[],
  parameters: Record<string, unknown>,
  outputs: Record<string, Record<string, unknown>> = {},
): Step[] {
  return steps.filter(
    step => step.if === undefined || Boolean(render(step.if, parameters, outputs)),
  );
}

/**
 * The fields a form page shows for the given values: its properties and those of
 * the `dependencies` branch (oneOf) whose enum matches.
 */
function formFields(
  page: any,
  values: Record<string, unknown>,
): { properties: Record<string, any>; required: string[] } {
  const properties = { ...page.properties };
  const required = [...(page.required ?? [])];
  for (const [key, dependency] of Object.entries<any>(page.dependencies ?? {})) {
    const branches = (dependency.oneOf ?? []).filter((b: any) =>
      b.properties?.[key]?.enum?.includes(values[key]),
    );
    expect(branches.length).toBeLessThanOrEqual(1);
    for (const branch of branches) {
      for (const [name, field] of Object.entries<any>(branch.properties)) {
        properties[name] = { ...properties[name], ...field };
      }
      required.push(...(branch.required ?? []));
    }
  }
  return { properties, required };
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

  it('New Hedgehog fabric: every choice runs only actions the demo backend has, or needs the GitHub/GitLab module it names', async () => {
    const installed = await demoActions();
    const { template } = (await loadTemplates()).find(t => t.dir === 'new-fabric')!;
    const steps: Step[] = template.spec.steps;
    const page = template.spec.parameters.find((p: any) => p.properties.publishTo);
    expect(page.properties.publishTo.enum).toEqual(['local', 'git', 'github', 'gitlab', 'none']);
    // the default is the demo's
    expect(page.properties.publishTo.default).toBe('local');
    const ran = (publishTo: string, outputs: Record<string, Record<string, unknown>> = {}) =>
      stepsRun(steps, { publishTo }, outputs).map(s => s.action);
    expect(ran('local')).toEqual(['demo:publish:local-git:location', 'hedgehog:fabric:bootstrap', 'demo:publish:local-git']);
    expect(ran('git')).toEqual(['hedgehog:fabric:bootstrap', 'hedgehog:fabric:push']);
    // an existing repository on GitHub: the catalog reads the pushed catalog-info.yaml
    expect(ran('git', { push: { catalogInfoUrl: 'https://github.com/a/b/blob/main/catalog-info.yaml' } })).toEqual([
      'hedgehog:fabric:bootstrap',
      'hedgehog:fabric:push',
      'catalog:register',
    ]);
    expect(ran('none')).toEqual(['hedgehog:fabric:bootstrap']);
    expect(ran('github')).toEqual(['hedgehog:fabric:bootstrap', 'publish:github', 'catalog:register']);
    expect(ran('gitlab')).toEqual(['hedgehog:fabric:bootstrap', 'publish:gitlab', 'catalog:register']);
    for (const choice of ['local', 'git', 'none']) {
      expect(ran(choice).filter(a => !installed.includes(a))).toEqual([]);
    }
    // every step is run by some choice, and each action outside the demo only by the choice that needs it
    const all = new Set([...['local', 'git', 'none', 'github', 'gitlab'].flatMap(c => ran(c)), ...ran('git', { push: { catalogInfoUrl: 'x' } })]);
    expect(steps.filter(s => !all.has(s.action))).toEqual([]);
  });

  it('New Hedgehog fabric: "Demo app only" asks nothing about GitHub; the other choices ask what they need', async () => {
    const { template } = (await loadTemplates()).find(t => t.dir === 'new-fabric')!;
    const pages: any[] = template.spec.parameters;
    const fieldsFor = (publishTo: string) => {
      const properties: Record<string, any> = {};
      const required: string[] = [];
      for (const page of pages) {
        const f = formFields(page, { publishTo });
        Object.assign(properties, f.properties);
        required.push(...f.required);
      }
      // nothing required that is not asked
      expect(required.filter(r => !(r in properties))).toEqual([]);
      return properties;
    };
    const local = fieldsFor('local');
    expect(Object.keys(local).sort()).toEqual(['cluster', 'description', 'kinds', 'name', 'owner', 'path', 'publishTo', 'seed', 'title']);
    const { publishTo, ...asked } = local;
    expect(JSON.stringify(asked)).not.toMatch(/RepoUrlPicker|github|gitlab/i);
    expect(publishTo.default).toBe('local');
    expect(fieldsFor('github').repoUrl).toMatchObject({ 'ui:field': 'RepoUrlPicker', 'ui:options': { allowedHosts: ['github.com'] } });
    expect(fieldsFor('gitlab').repoUrl).toMatchObject({ 'ui:field': 'RepoUrlPicker', 'ui:options': { allowedHosts: ['gitlab.com'] } });
    const git = fieldsFor('git');
    expect(git.repoUrl).toBeUndefined();
    expect(git.gitUrl).toMatchObject({ type: 'string' });
    expect(git.branch).toMatchObject({ default: 'main' });
    // the seed box is a plain textarea: no field extension runs on each keystroke
    expect(local.seed['ui:widget']).toBe('textarea');
    expect(local.seed['ui:field']).toBeUndefined();
  });

  it('New Hedgehog fabric into an existing local repository: bootstrap and push with the rendered inputs', async () => {
    const { template } = (await loadTemplates()).find(t => t.dir === 'new-fabric')!;
    const steps: Step[] = template.spec.steps;
    const repo = mockDir.resolve('network.git');
    mockDir.setContent({ workspace: {} });
    await new Promise<void>((resolve, reject) =>
      require('child_process').execFile('git', ['init', '--bare', '--quiet', '--initial-branch=main', repo], (e: Error | null) => (e ? reject(e) : resolve())),
    );
    const parameters = { publishTo: 'git', name: 'lab', title: 'Lab', owner: 'group:default/network', gitUrl: `file://${repo}`, branch: 'main', path: 'fabrics/lab' };
    const bootstrap = createBootstrapFabricAction({
      config: new ConfigReader({ hedgehog: { catalogFabrics: { repositories: [`file://${repo}`] } } }),
    });
    const outputs: Record<string, Record<string, unknown>> = {};
    for (const step of stepsRun(steps, parameters)) {
      const action = step.action === 'hedgehog:fabric:bootstrap' ? bootstrap : actions[step.action as keyof typeof actions];
      const ctx = createMockActionContext({ input: render(step.input, parameters, outputs) as any, workspacePath: mockDir.resolve('workspace') });
      await action.handler(ctx as any);
      outputs[step.id] = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    }
    expect(outputs.bootstrap.gitopsLocation).toBe(`url:file://${repo}#main:fabrics/lab`);
    expect(outputs.push).toMatchObject({ remoteUrl: `file://${repo}`, branch: 'main', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(render(template.spec.output.text[0].content, parameters, outputs)).toContain('The catalog cannot read this repository: add the fabric from Fabrics, Add fabric');
  });

  it('Add a VPC: a fabric on GitHub gets a pull request, any other a commit to its branch, with actions the demo has', async () => {
    const installed = await demoActions();
    const { template } = (await loadTemplates()).find(t => t.dir === 'add-vpc')!;
    const steps: Step[] = template.spec.steps;
    const ran = (provider: string) => stepsRun(steps, {}, { checkout: { provider } }).map(s => s.action);
    expect(ran('github')).toEqual(['hedgehog:fabric:checkout', 'hedgehog:resource:add', 'publish:github:pull-request']);
    expect(ran('git')).toEqual(['hedgehog:fabric:checkout', 'hedgehog:resource:add', 'hedgehog:fabric:push']);
    expect(ran('git').filter(a => !installed.includes(a))).toEqual([]);
    // GitLab fabrics are committed to as well (no merge request step)
    expect(ran('gitlab')).toEqual(ran('git'));
  });
});
