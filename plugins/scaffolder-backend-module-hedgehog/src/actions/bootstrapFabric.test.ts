import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  HEDGEHOG_KINDS,
  layoutFiles,
  parseGitopsLocation,
} from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { createBootstrapFabricAction } from './bootstrapFabric';

/** Catalog fabrics may use the repositories these tests publish to, and the cluster lab. */
const config = new ConfigReader({
  hedgehog: {
    catalogFabrics: {
      repositories: [
        'https://github.com/network/*',
        'https://gitlab.com/net/**',
        'https://git.example.com/**',
        'file:///srv/git/*.git',
      ],
    },
    clusters: [
      { name: 'lab', url: 'https://127.0.0.1:6443', allowCatalogFabrics: true },
      { name: 'prod', url: 'https://10.0.0.1:6443' },
    ],
  },
});

const VALID_SEED = `# seed
apiVersion: wiring.githedgehog.com/v1beta1
kind: VLANNamespace
metadata:
  name: default
spec:
  ranges:
    - from: 1000
      to: 2999
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
  namespace: default
spec:
  subnets:
    default: { subnet: 10.0.1.0/24, gateway: 10.0.1.1, vlan: 1001 }
`;

describe('hedgehog:fabric:bootstrap', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  const action = createBootstrapFabricAction({ config });

  const base = {
    name: 'lab',
    title: 'Lab fabric',
    owner: 'group:default/network',
    path: 'fabrics/lab',
    repoUrl: 'github.com?owner=network&repo=fabrics',
  };

  const run = async (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    // createMockActionContext takes only some fields (not isDryRun or checkpoint): add the rest.
    const ctx = {
      ...createMockActionContext({ input: input as any, workspacePath }),
      ...extra,
    };
    await action.handler(ctx as any);
    return ctx;
  };

  const outputs = (ctx: { output: jest.Mock | any }) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);

  const read = (p: string) => fs.readFile(path.join(workspacePath, p), 'utf8');

  beforeEach(() => {
    mockDir.setContent({ workspace: {} });
  });

  it('writes the kinds asked for into the manifest and lays out only their folders', async () => {
    await run({ ...base, kinds: 'day2', resources: VALID_SEED.split('---\n')[1] });
    for (const file of layoutFiles('lab', 'day2')) {
      expect(await read(`fabrics/lab/${file.path}`)).toBe(file.content);
    }
    const manifest = parse(await read('fabrics/lab/.gitops/manifest.yaml'));
    expect(manifest.scope).toBe('day2');
    expect(Object.keys(manifest.kinds)).toEqual(['VPC', 'External', 'VPCAttachment', 'VPCPeering', 'ExternalAttachment', 'ExternalPeering', 'GatewayPeering']);
    await expect(read('fabrics/lab/managed/switches/.gitkeep')).rejects.toThrow(/ENOENT/);

    mockDir.setContent({ workspace: {} });
    await run({ ...base, kinds: ['VPC', 'Switch'] });
    expect(parse(await read('fabrics/lab/.gitops/manifest.yaml')).scope).toEqual(['VPC', 'Switch']);

    // (a template that leaves the parameter empty: the manifest says nothing, every kind is managed)
    mockDir.setContent({ workspace: {} });
    await run({ ...base, kinds: '' });
    expect(await read('fabrics/lab/.gitops/manifest.yaml')).toBe(layoutFiles('lab').find(f => f.path === '.gitops/manifest.yaml')!.content);
  });

  it('refuses kinds it does not know, and seed resources of kinds the fabric does not manage', async () => {
    await expect(run({ ...base, kinds: 'day3' })).rejects.toThrow(/kinds: "day3" is neither a preset \(all, day2, wiring\)/);
    await expect(run({ ...base, kinds: 'day2', resources: VALID_SEED })).rejects.toThrow(
      'the seed resources are not valid: document 1 (VLANNamespace default): kind VLANNamespace is not managed by this fabric (kinds: day2)',
    );
  });

  it('writes the GitOps directory layout and the fabric entity', async () => {
    const ctx = await run({ ...base, description: 'The lab', cluster: 'lab' });

    for (const file of layoutFiles('lab')) {
      expect(await read(`fabrics/lab/${file.path}`)).toBe(file.content);
    }
    for (const kind of HEDGEHOG_KINDS) {
      expect(await read(`fabrics/lab/managed/${kind.plural}/.gitkeep`)).toBe(
        '',
      );
    }
    expect(HEDGEHOG_KINDS).toHaveLength(15);
    expect(await read('fabrics/lab/raw/.gitkeep')).toBe('');
    expect(await read('fabrics/lab/unmanaged/.gitkeep')).toBe('');
    expect(
      parse(await read('fabrics/lab/.gitops/manifest.yaml')),
    ).toMatchObject({
      layoutVersion: 1,
      fabric: 'lab',
      kinds: { VPC: 'managed/vpcs', Switch: 'managed/switches' },
    });
    const readme = await read('fabrics/lab/README.md');
    for (const folder of [
      'raw/',
      'managed/',
      'unmanaged/',
      '.gitops/manifest.yaml',
    ]) {
      expect(readme).toContain(folder);
    }

    expect(parse(await read('fabrics/lab/catalog-info.yaml'))).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'lab',
        title: 'Lab fabric',
        description: 'The lab',
        annotations: {
          'githedgehog.com/gitops-location':
            'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
          'githedgehog.com/cluster': 'lab',
        },
      },
      spec: { type: 'hedgehog-fabric', owner: 'group:default/network' },
    });

    const out = outputs(ctx);
    expect(out).toMatchObject({
      fabricPath: 'fabrics/lab',
      catalogInfoPath: '/fabrics/lab/catalog-info.yaml',
      gitopsLocation:
        'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
      entityRef: 'resource:default/lab',
      resourceCount: 0,
    });
    expect(out.files).toHaveLength(20);
    expect(out.files).toContain('fabrics/lab/catalog-info.yaml');
    expect(out.files).toContain(
      'fabrics/lab/managed/externalpeerings/.gitkeep',
    );
  });

  it('leaves out the cluster annotation and description when not given', async () => {
    await run(base);
    const entity = parse(await read('fabrics/lab/catalog-info.yaml'));
    expect(entity.metadata.annotations).toEqual({
      'githedgehog.com/gitops-location':
        'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
    });
    expect(entity.metadata.description).toBeUndefined();
  });

  it.each([
    [
      { repoUrl: 'github.com?owner=network&repo=fabrics', branch: 'prod' },
      'url:https://github.com/network/fabrics/tree/prod/fabrics/lab',
    ],
    [
      { repoUrl: 'gitlab.com?owner=net%2Fdc&repo=fabrics' },
      'url:https://gitlab.com/net/dc/fabrics/-/tree/main/fabrics/lab',
    ],
    [
      { repoUrl: 'file:///srv/git/fabrics.git' },
      'url:file:///srv/git/fabrics.git#main:fabrics/lab',
    ],
    [
      {
        repoUrl: 'https://git.example.com/net/fabrics.git',
        branch: 'release/1',
      },
      'url:https://git.example.com/net/fabrics.git#release/1:fabrics/lab',
    ],
    [
      { repoUrl: 'github.com?owner=network&repo=fabrics', branch: 'feature/x' },
      'url:https://github.com/network/fabrics#feature/x:fabrics/lab',
    ],
    [
      {
        repoUrl: undefined,
        gitopsLocation: 'url:https://git.example.com/x.git#dev:fabrics/lab',
      },
      'url:https://git.example.com/x.git#dev:fabrics/lab',
    ],
  ])(
    'points the gitops location where the template publishes (%j)',
    async (inputs, expected) => {
      const ctx = await run({ ...base, ...inputs });
      expect(outputs(ctx).gitopsLocation).toBe(expected);
      const location = parseGitopsLocation(expected);
      expect(location.path).toBe('fabrics/lab');
    },
  );

  it('bootstraps at the workspace root', async () => {
    const ctx = await run({
      ...base,
      path: '.',
      repoUrl: 'github.com?owner=network&repo=lab',
    });
    expect(await read('.gitops/manifest.yaml')).toContain('fabric: lab');
    expect(outputs(ctx)).toMatchObject({
      fabricPath: '.',
      catalogInfoPath: '/catalog-info.yaml',
      gitopsLocation: 'url:https://github.com/network/lab/tree/main',
    });
  });

  it('needs to know where the fabric is published', async () => {
    await expect(run({ ...base, repoUrl: undefined })).rejects.toThrow(
      /repoUrl \(where the template publishes the fabric\) or gitopsLocation is required/,
    );
    await expect(
      run({
        ...base,
        repoUrl: undefined,
        gitopsLocation: 'url:https://git.example.com/x.git#main:other',
      }),
    ).rejects.toThrow(
      /gitopsLocation points at "other" but the fabric is written to "fabrics\/lab"/,
    );
    await expect(
      run({ ...base, repoUrl: 'https://user:secret@git.example.com/x.git' }),
    ).rejects.toThrow(/must not contain credentials/);
    await expect(
      run({ ...base, repoUrl: 'github.com?owner=network' }),
    ).rejects.toThrow(/must be of the form <host>\?owner=<owner>&repo=<repo>/);
  });

  it.each(['Lab', 'lab_1', 'lab.one', '-lab', 'lab-', '', 'a'.repeat(64)])(
    'refuses the invalid fabric name %j',
    async name => {
      await expect(run({ ...base, name })).rejects.toThrow(
        /is not a valid fabric name: use an RFC 1123 label/,
      );
      expect(await fs.readdir(workspacePath)).toEqual([]);
    },
  );

  it.each([
    ['../outside', /path "..\/outside" points outside the workspace/],
    ['fabrics/../../outside', /points outside the workspace/],
    [
      '/etc/hedgehog',
      /must be relative to the workspace, not an absolute path/,
    ],
    ['fabrics\\lab', /written with "\/"/],
  ])('refuses the path %j', async (p, message) => {
    await expect(run({ ...base, path: p })).rejects.toThrow(message);
  });

  it('refuses a path that leaves the workspace through a symbolic link', async () => {
    mockDir.setContent({
      workspace: {
        escape: ({ symlink }) => symlink(mockDir.resolve('elsewhere')),
      },
      elsewhere: {},
    });
    await expect(run({ ...base, path: 'escape/lab' })).rejects.toThrow(
      /points outside the workspace/,
    );
    expect(await fs.readdir(mockDir.resolve('elsewhere'))).toEqual([]);
  });

  it('refuses a cluster that is not in hedgehog.clusters', async () => {
    await expect(run({ ...base, cluster: 'staging' })).rejects.toThrow(
      'cluster "staging" is not defined in hedgehog.clusters (known: lab, prod)',
    );
    const bare = createBootstrapFabricAction({ config: new ConfigReader({}) });
    const ctx = createMockActionContext({
      input: { ...base, cluster: 'lab' } as any,
      workspacePath,
    });
    await expect(bare.handler(ctx as any)).rejects.toThrow(
      'cluster "lab" is not defined: no clusters are configured in hedgehog.clusters',
    );
    expect(await fs.readdir(workspacePath)).toEqual([]);
  });

  it('refuses, also in a dry run, a repository or cluster outside the catalog fabric policy', async () => {
    for (const isDryRun of [true, false]) {
      await expect(
        run({ ...base, repoUrl: 'file:///home/someone/other.git' }, { isDryRun }),
      ).rejects.toThrow(
        'the fabric would never be synced: the repository file:///home/someone/other.git is not one ' +
          'catalog fabrics may use (hedgehog.catalogFabrics.repositories allows https://github.com/network/*, ' +
          'https://gitlab.com/net/**, https://git.example.com/**, file:///srv/git/*.git). The hedgehog plugin ' +
          'syncs fabrics of catalog entities only inside hedgehog.catalogFabrics of app-config',
      );
      await expect(run({ ...base, cluster: 'prod' }, { isDryRun })).rejects.toThrow(
        /^the fabric would never be synced: the cluster "prod" does not accept fabrics of the catalog \(an operator allows it with allowCatalogFabrics: true/,
      );
      expect(await fs.readdir(workspacePath)).toEqual([]);
    }
  });

  it('without hedgehog.catalogFabrics, accepts https repositories on hosts of integrations only', async () => {
    const byDefault = createBootstrapFabricAction({
      config: new ConfigReader({
        integrations: { github: [{ host: 'github.com' }] },
      }),
    });
    const attempt = (input: Record<string, unknown>) =>
      byDefault.handler(
        createMockActionContext({ input: { ...base, ...input } as any, workspacePath }) as any,
      );
    await attempt({});
    await expect(attempt({ path: 'other', repoUrl: 'file:///srv/git/fabrics.git' })).rejects.toThrow(
      /only https:\/\/ repositories on hosts of integrations are allowed \(github\.com\); file:\/\/, ssh:\/\/, git:\/\/ and http:\/\/ repositories must be listed there/,
    );
  });

  it('validates seed resources and writes them to raw/seed.yaml', async () => {
    const ctx = await run({ ...base, resources: VALID_SEED });
    expect(await read('fabrics/lab/raw/seed.yaml')).toBe(VALID_SEED);
    expect(outputs(ctx).resourceCount).toBe(2);
    expect(outputs(ctx).files).toContain('fabrics/lab/raw/seed.yaml');
  });

  it('accepts seed resources as a list of objects', async () => {
    const ctx = await run({
      ...base,
      resources: [
        {
          apiVersion: 'wiring.githedgehog.com/v1beta1',
          kind: 'Server',
          metadata: { name: 'server-01' },
        },
        {
          apiVersion: 'wiring.githedgehog.com/v1beta1',
          kind: 'Server',
          metadata: { name: 'server-02' },
        },
      ],
    });
    const docs = (await read('fabrics/lab/raw/seed.yaml'))
      .split('---\n')
      .map(d => parse(d));
    expect(docs.map(d => d.metadata.name)).toEqual(['server-01', 'server-02']);
    expect(outputs(ctx).resourceCount).toBe(2);
  });

  it('writes no seed file for empty seed resources', async () => {
    const ctx = await run({ ...base, resources: '  \n' });
    await expect(read('fabrics/lab/raw/seed.yaml')).rejects.toThrow(/ENOENT/);
    expect(outputs(ctx).resourceCount).toBe(0);
  });

  it('refuses invalid seed resources, naming every problem, and writes nothing', async () => {
    const seed = [
      'apiVersion: wiring.githedgehog.com/v1alpha2\nkind: Switch\nmetadata: { name: leaf-01 }',
      'apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: { name: vpc-with-a-long-name }',
      'apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata: { name: s1, namespace: fab }',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }',
      'apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata: { name: Server_1 }',
      'apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata: { name: ok }',
      'apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata: { name: ok }',
    ].join('\n---\n');
    const error = await run({ ...base, resources: seed }).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(/^the seed resources are not valid: /);
    expect(error.message).toContain(
      'document 1, apiVersion: apiVersion wiring.githedgehog.com/v1alpha2 is not supported; Switch must use wiring.githedgehog.com/v1beta1',
    );
    expect(error.message).toContain(
      'document 2, metadata.name: VPC: name "vpc-with-a-long-name" is 20 characters long; at most 11 are allowed',
    );
    expect(error.message).toContain(
      'document 3, metadata.namespace: Server s1: namespace "fab" is not allowed',
    );
    expect(error.message).toContain(
      'document 4, apiVersion: ConfigMap (v1) is not a Hedgehog fabric resource',
    );
    expect(error.message).toContain(
      'document 5, metadata.name: Server: name "Server_1" is not a valid RFC 1123 name',
    );
    expect(error.message).toContain(
      'document 7, metadata.name: Server ok is also defined in document 6',
    );
    expect(error.message).not.toContain('document 6,');
    expect(await fs.readdir(workspacePath)).toEqual([]);
  });

  it('refuses seed YAML that cannot be parsed', async () => {
    await expect(
      run({ ...base, resources: 'kind: [unclosed' }),
    ).rejects.toThrow(
      /^the seed resources are not valid: document 1: YAML error: .* at line \d+, column \d+$/,
    );
  });

  it('never overwrites: an existing fabric directory or a different file is refused', async () => {
    await run(base);
    await expect(run(base)).rejects.toThrow(
      'fabrics/lab/.gitops/manifest.yaml exists: the workspace already holds a fabric directory at "fabrics/lab"',
    );

    mockDir.setContent({
      workspace: { 'fabrics/lab/README.md': 'my own readme\n' },
    });
    await expect(run(base)).rejects.toThrow(
      'refusing to overwrite existing file(s) in the workspace: fabrics/lab/README.md',
    );
    expect(await read('fabrics/lab/README.md')).toBe('my own readme\n');
    await expect(read('fabrics/lab/catalog-info.yaml')).rejects.toThrow(
      /ENOENT/,
    );
  });

  it('supports dry run: the preview workspace gets the same files', async () => {
    expect(action.supportsDryRun).toBe(true);
    const logger = {
      info: jest.fn(),
      warn: jest.fn(),
      error: jest.fn(),
      debug: jest.fn(),
    };
    const ctx = await run(
      { ...base, resources: VALID_SEED },
      { isDryRun: true, logger },
    );
    expect(await read('fabrics/lab/raw/seed.yaml')).toBe(VALID_SEED);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^\[dry run\] Bootstrapped fabric lab in fabrics\/lab: 21 files, 2 seed resource\(s\)/,
      ),
    );
    expect(outputs(ctx).files).toHaveLength(21);
  });

  it('has a JSON schema naming the inputs of the issue', () => {
    const schema = action.schema?.input as any;
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'name',
        'title',
        'owner',
        'description',
        'path',
        'cluster',
        'resources',
        'repoUrl',
        'branch',
      ]),
    );
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'title', 'owner', 'path']),
    );
    expect(schema.required).not.toContain('cluster');
  });
});
