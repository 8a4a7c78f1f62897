import {
  Entity,
  entitySchemaValidator,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { Fabric } from '@fabric-gitops/plugin-hedgehog-common';
import {
  FabricContext,
  fabricEntity,
  isProviderManaged,
  resourceEntity,
  resourceEntityName,
  serverSwitchLinks,
  devicePorts,
} from './entities';

const fabric = (git: Fabric['git'], extra: Partial<Fabric> = {}): Fabric => ({
  name: 'lab',
  title: 'Lab fabric',
  git,
  source: 'app-config',
  status: 'in_sync',
  counts: {},
  drift: {
    in_sync: 0,
    drifted: 0,
    missing_in_cluster: 0,
    orphaned_in_cluster: 0,
    owned_elsewhere: 0,
    unknown: 0,
  },
  findings: { errors: 0, warnings: 0 },
  conflicts: 0,
  applyFailed: 0,
  ...extra,
});

const GITHUB = {
  url: 'https://github.com/network/fabrics',
  branch: 'main',
  path: 'fabrics/lab',
  writeMode: 'push' as const,
};
const LOCAL = {
  url: 'file:///srv/git/lab.git',
  branch: 'main',
  path: '',
  writeMode: 'push' as const,
};

const validate = entitySchemaValidator();
async function expectValid(entity: Entity) {
  expect(() => validate(entity)).not.toThrow();
  expect(await resourceEntityV1alpha1Validator.check(entity)).toBe(true);
}

describe('entities', () => {
  const ctx: FabricContext = {
    fabric: fabric(GITHUB, { cluster: 'lab' }),
    fabricRef: 'resource:default/lab',
    owner: 'group:default/network',
  };

  it('builds the entity of a fabric of app-config', async () => {
    const entity = fabricEntity(ctx, 'The lab');
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'lab',
        title: 'Lab fabric',
        description: 'The lab',
        annotations: {
          'backstage.io/managed-by-location': 'hedgehog-fabric:lab',
          'backstage.io/managed-by-origin-location': 'hedgehog-fabric:lab',
          'githedgehog.com/gitops-location':
            'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
          'githedgehog.com/cluster': 'lab',
          'backstage.io/view-url':
            'https://github.com/network/fabrics/tree/main/fabrics/lab',
        },
      },
      spec: { type: 'hedgehog-fabric', owner: 'group:default/network' },
    });
    expect(isProviderManaged(entity)).toBe(true);
    await expectValid(entity);
  });

  it('builds switch, server and VPC entities', async () => {
    const sw = resourceEntity(ctx, {
      kind: 'Switch',
      name: 'leaf-01',
      gitPath: 'managed/switches/leaf-01.yaml',
      desired: { spec: { role: 'server-leaf', profile: 'vs' } },
    });
    expect(sw).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'lab.switch.leaf-01',
        title: 'leaf-01',
        description: 'Hedgehog switch (server-leaf, profile vs)',
        annotations: {
          'backstage.io/managed-by-location': 'hedgehog-fabric:lab',
          'backstage.io/managed-by-origin-location': 'hedgehog-fabric:lab',
          'githedgehog.com/fabric': 'lab',
          'githedgehog.com/resource-kind': 'Switch',
          'githedgehog.com/resource-name': 'leaf-01',
          'backstage.io/view-url':
            'https://github.com/network/fabrics/tree/main/fabrics/lab/managed/switches/leaf-01.yaml',
        },
        tags: ['server-leaf'],
      },
      spec: {
        type: 'hedgehog-switch',
        owner: 'group:default/network',
        dependsOn: ['resource:default/lab'],
      },
    });
    await expectValid(sw);

    const server = resourceEntity(
      { ...ctx, fabric: fabric(LOCAL), system: 'network' },
      {
        kind: 'Server',
        name: 'server-01',
        gitPath: 'managed/servers/server-01.yaml',
        desired: { spec: { description: 'Rack 1' } },
      },
      ['resource:default/lab.switch.leaf-01'],
    );
    expect(server.metadata.description).toBe('Rack 1');
    expect(
      server.metadata.annotations!['backstage.io/view-url'],
    ).toBeUndefined();
    expect(server.spec).toEqual({
      type: 'hedgehog-server',
      owner: 'group:default/network',
      dependsOn: [
        'resource:default/lab',
        'resource:default/lab.switch.leaf-01',
      ],
      system: 'network',
    });
    await expectValid(server);

    const vpc = resourceEntity(ctx, {
      kind: 'VPC',
      name: 'vpc-1',
      gitPath: 'managed/vpcs/vpc-1.yaml',
      desired: {
        spec: {
          subnets: {
            default: { subnet: '10.0.1.0/24', vlan: 1001 },
            db: { subnet: '10.0.2.0/24' },
          },
        },
      },
    });
    expect(vpc.metadata.name).toBe('lab.vpc.vpc-1');
    expect(vpc.metadata.description).toBe(
      'Hedgehog VPC: default 10.0.1.0/24 (VLAN 1001), db 10.0.2.0/24',
    );
    expect(vpc.spec!.type).toBe('hedgehog-vpc');
    await expectValid(vpc);

    const bare = resourceEntity(ctx, {
      kind: 'Server',
      name: 's',
      gitPath: 'managed/servers/s.yaml',
      desired: null,
    });
    expect(bare.metadata.description).toBeUndefined();
    await expectValid(bare);
  });

  it('keeps entity names unique and within 63 characters', async () => {
    const long = `${'a'.repeat(60)}.${'b'.repeat(100)}`;
    const name = resourceEntityName('x'.repeat(63), 'Server', long);
    expect(name).toHaveLength(63);
    expect(name).not.toBe(
      resourceEntityName('x'.repeat(63), 'Server', `${long}c`),
    );
    expect(resourceEntityName('lab', 'Switch', 'a')).not.toBe(
      resourceEntityName('lab', 'Server', 'a'),
    );
    await expectValid(
      resourceEntity(
        { ...ctx, fabric: fabric(GITHUB, { name: 'x'.repeat(63) }) },
        { kind: 'Server', name: long, gitPath: '' },
      ),
    );
  });

  it('reads server-switch links of Connections', () => {
    expect(
      serverSwitchLinks({
        spec: {
          unbundled: {
            link: {
              server: { port: 'server-01/enp2s1' },
              switch: { port: 'leaf-01/E1/1' },
            },
          },
        },
      }),
    ).toEqual([{ server: 'server-01', switch: 'leaf-01' }]);
    expect(
      serverSwitchLinks({
        spec: {
          eslag: {
            links: [
              {
                server: { port: 'server-02/enp2s1' },
                switch: { port: 'leaf-01/E1/2' },
              },
              {
                server: { port: 'server-02/enp2s2' },
                switch: { port: 'leaf-02/E1/2' },
              },
            ],
          },
        },
      }),
    ).toEqual([
      { server: 'server-02', switch: 'leaf-01' },
      { server: 'server-02', switch: 'leaf-02' },
    ]);
    expect(
      serverSwitchLinks({
        spec: {
          fabric: {
            links: [
              {
                spine: { port: 'spine-01/E1/1' },
                leaf: { port: 'leaf-01/E1/47' },
              },
            ],
          },
        },
      }),
    ).toEqual([]);
    expect(
      serverSwitchLinks({
        spec: { external: { link: { switch: { port: 'border/E1/5' } } } },
      }),
    ).toEqual([]);
    expect(
      serverSwitchLinks({
        spec: {
          unbundled: {
            link: { server: { port: 'no-slash' }, switch: { port: 7 } },
          },
        },
      }),
    ).toEqual([]);
    expect(serverSwitchLinks(null)).toEqual([]);
    expect(serverSwitchLinks({ spec: 'x' })).toEqual([]);
  });

  it('reads the ports of Connections per device, of every connection type', () => {
    expect(
      devicePorts({
        spec: {
          fabric: {
            links: [
              { spine: { port: 'spine-01/E1/1', ip: '172.30.30.0/31' }, leaf: { port: 'leaf-01/E1/47' } },
            ],
          },
        },
      }),
    ).toEqual([
      { device: 'spine-01', port: 'E1/1' },
      { device: 'leaf-01', port: 'E1/47' },
    ]);
    expect(devicePorts({ spec: { unbundled: { link: { switch: { port: 'no-slash' } } } } })).toEqual([]);
    expect(devicePorts(null)).toEqual([]);
  });

  it('names the ports in use in the description, in natural order and bounded', async () => {
    const resource = { kind: 'Switch' as const, name: 'leaf-01', gitPath: 'managed/switches/leaf-01.yaml', desired: { spec: { role: 'server-leaf' } } };
    const entity = resourceEntity(ctx, resource, [], ['E1/10', 'E1/2', 'E1/34', 'E1/2', 'E1/1']);
    expect(entity.metadata.description).toBe('Hedgehog switch (server-leaf). Ports in use: E1/1, E1/2, E1/10, E1/34');
    await expectValid(entity);
    const many = Array.from({ length: 250 }, (_, i) => `E1/${i + 1}`);
    const big = resourceEntity(ctx, resource, [], many).metadata.description!;
    expect(big).toMatch(/E1\/200 and 50 more$/);
    expect(big).not.toContain('E1/201');
  });
});
