import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { layoutFiles } from '@fabric-gitops/plugin-hedgehog-common';
import { promises as fs } from 'fs';
import path from 'path';
import { parse } from 'yaml';
import {
  CatalogFabricEntityReader,
  FabricEntityReader,
} from '../lib/fabricEntity';
import { createAddResourceAction } from './addResource';

const VPC = `# VPC for the web tier
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-7
spec:
  subnets:
    default:
      subnet: 10.0.7.0/24
      gateway: 10.0.7.1
      vlan: 1007
`;

function fabricEntity(
  name: string,
  location: string,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'githedgehog.com/gitops-location': location },
    },
    spec: { type: 'hedgehog-fabric', owner: 'group:default/network' },
    ...extra,
  };
}

describe('hedgehog:resource:add', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');

  /** A catalog behind a fetch mock, read through the real reader. */
  const catalog = new Map<string, unknown>();
  const fetchMock = jest.fn(async (url: string, init?: RequestInit) => {
    const match = /\/entities\/by-name\/resource\/([^/]+)\/([^/]+)$/.exec(url);
    const entity =
      match &&
      catalog.get(
        `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`,
      );
    // A catalog call without a token fails the action (and so the test).
    if (
      !/^Bearer /.test(
        (init?.headers as Record<string, string>).Authorization ?? '',
      )
    ) {
      return new Response(JSON.stringify({ error: { message: 'no token' } }), {
        status: 401,
      });
    }
    return entity
      ? new Response(JSON.stringify(entity), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        })
      : new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'not found' },
          }),
          {
            status: 404,
            headers: { 'Content-Type': 'application/json' },
          },
        );
  });
  const reader = new CatalogFabricEntityReader({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
    fetch: fetchMock as unknown as typeof fetch,
  });
  const action = createAddResourceAction({ fabrics: reader });

  const layout = (name: string) =>
    Object.fromEntries(layoutFiles(name).map(f => [f.path, f.content]));

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
    return {
      ctx,
      out: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  };
  const read = (p: string) => fs.readFile(path.join(workspacePath, p), 'utf8');

  beforeEach(() => {
    fetchMock.mockClear();
    catalog.clear();
    catalog.set(
      'default/lab',
      fabricEntity(
        'lab',
        'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
      ),
    );
    catalog.set(
      'default/local',
      fabricEntity(
        'local',
        'url:file:///srv/git/fabrics.git#main:fabrics/local',
      ),
    );
    catalog.set('default/web', {
      ...fabricEntity('web', 'x'),
      spec: { type: 'website', owner: 'x' },
    });
    catalog.set('default/bare', {
      ...fabricEntity('bare', 'x'),
      metadata: { name: 'bare' },
    });
    mockDir.setContent({ workspace: { fabric: layout('lab') } });
  });

  it('writes a YAML resource verbatim into raw/ and outputs the publish coordinates', async () => {
    const { out } = await run({
      fabric: 'resource:default/lab',
      path: 'fabric',
      resource: VPC,
    });
    expect(await read('fabric/raw/vpc-vpc-7.yaml')).toBe(VPC);
    expect(out).toEqual({
      filePath: 'fabric/raw/vpc-vpc-7.yaml',
      kind: 'VPC',
      name: 'vpc-7',
      fabric: 'lab',
      repoUrl: 'github.com?owner=network&repo=fabrics',
      gitUrl: 'https://github.com/network/fabrics',
      branch: 'main',
      targetPath: 'fabrics/lab',
    });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0][0]).toBe(
      'http://localhost:0/api/catalog/entities/by-name/resource/default/lab',
    );
  });

  it('reads the fabric entity inside a checkpoint', async () => {
    const keys: string[] = [];
    await run(
      { fabric: 'lab', path: 'fabric', resource: VPC },
      {
        checkpoint: async ({
          key,
          fn,
        }: {
          key: string;
          fn: () => Promise<unknown>;
        }) => {
          keys.push(key);
          return fn();
        },
      },
    );
    expect(keys).toEqual(['hedgehog.fabric.lookup.lab']);
  });

  it('accepts a resource given as an object and a file name', async () => {
    const server = {
      apiVersion: 'wiring.githedgehog.com/v1beta1',
      kind: 'Server',
      metadata: { name: 'server-07' },
    };
    const { out } = await run({
      path: 'fabric',
      resource: server,
      fileName: 'servers/server-07.yaml',
    });
    expect(parse(await read('fabric/raw/servers/server-07.yaml'))).toEqual(
      server,
    );
    expect(out).toEqual({
      filePath: 'fabric/raw/servers/server-07.yaml',
      kind: 'Server',
      name: 'server-07',
      fabric: 'lab',
    });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('outputs no repoUrl for a repository the publish actions cannot address', async () => {
    mockDir.setContent({ workspace: layout('local') });
    const { out } = await run({
      fabric: 'resource:default/local',
      resource: VPC,
    });
    expect(out.filePath).toBe('raw/vpc-vpc-7.yaml');
    expect(out.repoUrl).toBeUndefined();
    expect(out).toMatchObject({
      gitUrl: 'file:///srv/git/fabrics.git',
      branch: 'main',
      targetPath: 'fabrics/local',
    });
  });

  it('works on a fabric directory that was never synced (raw/ only)', async () => {
    mockDir.setContent({ workspace: { 'raw/wiring.yaml': 'kind: Switch\n' } });
    const { out } = await run({ resource: VPC });
    expect(out.filePath).toBe('raw/vpc-vpc-7.yaml');
    expect(out.fabric).toBeUndefined();
  });

  it.each([
    [
      VPC.replace('v1beta1', 'v1alpha2'),
      /apiVersion vpc.githedgehog.com\/v1alpha2 is not supported; VPC must use vpc.githedgehog.com\/v1beta1/,
    ],
    [
      VPC.replace('vpc-7', 'vpc-web-tier-7'),
      /metadata.name: VPC: name "vpc-web-tier-7" is 14 characters long; at most 11 are allowed/,
    ],
    [VPC.replace('vpc-7', 'VPC_7'), /not a valid RFC 1123 name/],
    [
      VPC.replace('  name: vpc-7', '  name: vpc-7\n  namespace: fab'),
      /namespace "fab" is not allowed; fabric resources live in namespace "default"/,
    ],
    [
      VPC.replace('kind: VPC', 'kind: Router'),
      /kind Router \(vpc.githedgehog.com\/v1beta1\) is not one of the 15 kinds managed through GitOps/,
    ],
    [
      VPC.replace('vpc.githedgehog.com/v1beta1', 'gateway.githedgehog.com/v1alpha1').replace('kind: VPC', 'kind: VPCInfo'),
      /kind VPCInfo \(gateway.githedgehog.com\/v1alpha1\) is created by Hedgehog's controller \(one per VPC and External/,
    ],
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n',
      /ConfigMap \(v1\) is not a Hedgehog fabric resource/,
    ],
    [
      `${VPC}---\n${VPC.replace('vpc-7', 'vpc-8')}`,
      /the resource holds 2 documents; give exactly one/,
    ],
    ['# nothing\n', /the resource is empty/],
    ['kind: [', /YAML error/],
    ['- a\n- b\n', /the document is a list, not a Kubernetes object/],
    [
      VPC.replace('spec:', 'extra: 1\nspec:'),
      /unknown top-level field\(s\) extra/,
    ],
  ])('refuses an invalid resource (%#)', async (resource, message) => {
    const error = await run({ path: 'fabric', resource }).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^the resource (is not valid|is empty|holds)/,
    );
    expect(error.message).toMatch(message);
    expect(await fs.readdir(path.join(workspacePath, 'fabric/raw'))).toEqual([
      '.gitkeep',
    ]);
  });

  it('refuses a resource the fabric already manages', async () => {
    mockDir.addContent({ 'workspace/fabric/managed/vpcs/vpc-7.yaml': VPC });
    await expect(run({ path: 'fabric', resource: VPC })).rejects.toThrow(
      'VPC vpc-7 already exists in fabric/managed/vpcs/vpc-7.yaml; change that file instead of adding the resource again',
    );
  });

  it('refuses a resource another raw file already defines', async () => {
    mockDir.addContent({
      'workspace/fabric/raw/team/vpcs.yaml': `${VPC.replace(
        'vpc-7',
        'vpc-6',
      )}---\n${VPC}`,
    });
    await expect(
      run({ path: 'fabric', resource: VPC, fileName: 'other.yaml' }),
    ).rejects.toThrow(
      'VPC vpc-7 is already defined in fabric/raw/team/vpcs.yaml (not yet ingested); remove it there first',
    );
  });

  it('never overwrites a raw file', async () => {
    mockDir.addContent({
      'workspace/fabric/raw/vpc-vpc-7.yaml': 'kind: Note\n',
    });
    await expect(run({ path: 'fabric', resource: VPC })).rejects.toThrow(
      'refusing to overwrite existing file(s) in the workspace: fabric/raw/vpc-vpc-7.yaml',
    );
    expect(await read('fabric/raw/vpc-vpc-7.yaml')).toBe('kind: Note\n');
  });

  it.each(['../x.yaml', '/etc/x.yaml', 'x.txt', 'a/../../x.yaml'])(
    'refuses the file name %j',
    async fileName => {
      await expect(
        run({ path: 'fabric', resource: VPC, fileName }),
      ).rejects.toThrow(
        /must be a relative path inside raw\/ ending in .yaml or .yml/,
      );
    },
  );

  it.each([
    ['../elsewhere', /points outside the workspace/],
    ['/srv/fabric', /must be relative to the workspace/],
  ])('refuses the path %j', async (p, message) => {
    await expect(run({ path: p, resource: VPC })).rejects.toThrow(message);
  });

  it('refuses a folder that is not a fabric directory', async () => {
    mockDir.setContent({ workspace: { 'README.md': '# repo' } });
    await expect(run({ resource: VPC })).rejects.toThrow(
      '"." in the workspace is not a fabric directory (it has no .gitops/manifest.yaml, raw/ or managed/)',
    );
  });

  it('refuses the directory of another fabric', async () => {
    mockDir.setContent({ workspace: { fabric: layout('other') } });
    await expect(
      run({ fabric: 'resource:default/lab', path: 'fabric', resource: VPC }),
    ).rejects.toThrow(
      '"fabric" holds fabric other, not lab (resource:default/lab)',
    );
  });

  it.each([
    [
      'resource:default/missing',
      'the fabric entity resource:default/missing is not in the catalog',
    ],
    [
      'web',
      'resource:default/web is not a Hedgehog fabric (a Resource entity of spec.type hedgehog-fabric)',
    ],
    [
      'bare',
      'resource:default/bare has no githedgehog.com/gitops-location annotation',
    ],
    [
      'component:default/lab',
      'fabric "component:default/lab" must refer to a Resource entity, not a component',
    ],
    [
      'not a ref',
      'fabric "not a ref" is not an entity ref (e.g. resource:default/lab)',
    ],
  ])('refuses the fabric %j', async (fabric, message) => {
    await expect(
      run({ fabric, path: 'fabric', resource: VPC }),
    ).rejects.toThrow(message);
  });

  it('asks the catalog on behalf of the task initiator', async () => {
    const auth = mockServices.auth.mock({
      getPluginRequestToken: jest.fn(async () => ({ token: 'plugin-token' })),
    });
    const own = new CatalogFabricEntityReader({
      discovery: mockServices.discovery(),
      auth,
      fetch: fetchMock as unknown as typeof fetch,
    });
    const credentials = mockCredentials.user('user:default/alice');
    await own.read('lab', credentials);
    expect(auth.getPluginRequestToken).toHaveBeenCalledWith({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    expect(
      (fetchMock.mock.calls[0][1]!.headers as Record<string, string>)
        .Authorization,
    ).toBe('Bearer plugin-token');
  });

  it('supports dry run', async () => {
    expect(action.supportsDryRun).toBe(true);
    const logger = {
      info: jest.fn(),
      warn: jest.fn(),
      error: jest.fn(),
      debug: jest.fn(),
    };
    const { out } = await run(
      { path: 'fabric', resource: VPC },
      { isDryRun: true, logger },
    );
    expect(await read(out.filePath)).toBe(VPC);
    expect(logger.info).toHaveBeenCalledWith(
      '[dry run] Wrote VPC vpc-7 to fabric/raw/vpc-vpc-7.yaml (fabric lab)',
    );
  });

  it('works with any reader of fabric entities', async () => {
    const fixed: FabricEntityReader = {
      read: async () => ({
        entityRef: 'resource:default/lab',
        name: 'lab',
        gitopsLocation: 'url:https://gitlab.com/net/dc/fabrics/-/tree/prod/lab',
      }),
    };
    const ctx = createMockActionContext({
      input: { fabric: 'lab', path: 'fabric', resource: VPC } as any,
      workspacePath,
    });
    await createAddResourceAction({ fabrics: fixed }).handler(ctx as any);
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(out).toMatchObject({
      repoUrl: 'gitlab.com?owner=net%2Fdc&repo=fabrics',
      branch: 'prod',
      targetPath: 'lab',
    });
  });
});
