import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogFabricSource, fabricFromEntity } from './CatalogFabricSource';

function fabric(
  name: string,
  annotations: Record<string, string>,
  extra: Partial<Entity['metadata']> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', annotations, ...extra },
    spec: { type: 'hedgehog-fabric', owner: 'group:default/network' },
  };
}

const LAB = fabric(
  'lab',
  {
    'githedgehog.com/gitops-location':
      'url:https://github.com/network/fabrics/tree/main/fabrics/lab',
    'githedgehog.com/cluster': 'lab',
  },
  { title: 'Lab fabric', description: 'The lab' },
);
const EDGE = fabric('edge', {
  'githedgehog.com/gitops-location': 'url:file:///srv/git/edge.git#prod:edge',
});

describe('CatalogFabricSource', () => {
  const logs: string[] = [];
  const logger = mockServices.logger.mock({
    warn: (m: string) => void logs.push(m),
  });

  beforeEach(() => {
    logs.length = 0;
  });

  const source = (entities: Entity[], clusters = ['lab']) =>
    new CatalogFabricSource({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      logger,
      clusterNames: () => clusters,
    });

  it('turns fabric entities into fabric definitions', async () => {
    const fabrics = await source([LAB, EDGE]).getFabrics();
    expect(fabrics).toEqual([
      {
        name: 'edge',
        title: 'edge',
        description: undefined,
        git: {
          url: 'file:///srv/git/edge.git',
          branch: 'prod',
          path: 'edge',
          writeMode: 'push',
        },
        cluster: undefined,
        apply: 'manual',
        prune: false,
        source: 'resource:default/edge',
        owner: 'group:default/network',
      },
      {
        name: 'lab',
        title: 'Lab fabric',
        description: 'The lab',
        git: {
          url: 'https://github.com/network/fabrics',
          branch: 'main',
          path: 'fabrics/lab',
          writeMode: 'push',
        },
        cluster: 'lab',
        apply: 'manual',
        prune: false,
        source: 'resource:default/lab',
        owner: 'group:default/network',
      },
    ]);
    expect(logs).toEqual([]);
  });

  it('reads only Resource entities of spec.type hedgehog-fabric', async () => {
    const website = {
      ...LAB,
      metadata: { ...LAB.metadata, name: 'site' },
      spec: { type: 'website', owner: 'x' },
    };
    const component = {
      ...LAB,
      kind: 'Component',
      metadata: { ...LAB.metadata, name: 'comp' },
    };
    const fabrics = await source([website, component, EDGE]).getFabrics();
    expect(fabrics.map(f => f.name)).toEqual(['edge']);
  });

  it('refuses a cluster that is not defined in config, and says why once', async () => {
    const s = source([LAB, EDGE], ['prod']);
    expect((await s.getFabrics()).map(f => f.name)).toEqual(['edge']);
    expect((await s.getFabrics()).map(f => f.name)).toEqual(['edge']);
    expect(logs).toEqual([
      'hedgehog: catalog entity resource:default/lab is not used as a fabric: githedgehog.com/cluster names "lab", which is not a cluster of hedgehog.clusters (known: prod); a catalog entity can refer to a cluster only by a name defined in config',
    ]);
  });

  it.each([
    [
      fabric('lab', {}),
      'the annotation githedgehog.com/gitops-location is missing',
    ],
    [
      fabric('lab', {
        'githedgehog.com/gitops-location': 'https://github.com/a/b/tree/main',
      }),
      'must start with "url:"',
    ],
    [
      fabric('demo', {
        'githedgehog.com/gitops-location':
          'url:file://demo-fabric.git/tree/main/fabrics/demo',
      }),
      'must name a local repository with an absolute path',
    ],
    [
      fabric('Lab_1', {
        'githedgehog.com/gitops-location': 'url:file:///x.git#main',
      }),
      'metadata.name "Lab_1" is not a valid fabric name',
    ],
    [
      fabric('lab', {
        'githedgehog.com/gitops-location':
          'url:https://u:p@git.example.com/x.git#main',
      }),
      'must not contain credentials',
    ],
  ])(
    'skips an entity that cannot be a fabric (%#)',
    async (entity, message) => {
      expect(await source([entity, EDGE]).getFabrics()).toHaveLength(1);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain(message);
    },
  );

  it('gives a fabric name to the first entity only', async () => {
    const other = {
      ...EDGE,
      metadata: { ...EDGE.metadata, namespace: 'team-b' },
    };
    const fabrics = await source([other, EDGE]).getFabrics();
    expect(fabrics.map(f => f.source)).toEqual(['resource:default/edge']);
    expect(logs).toEqual([
      'hedgehog: catalog entity resource:team-b/edge is not used as a fabric: the fabric name "edge" is already used by resource:default/edge',
    ]);
  });

  it('leaves an entity named like a fabric of another source to describe it, without a warning', async () => {
    // the demo's entity: its location is no fabric of its own (relative file URL)
    const demo = fabric('demo', {
      'githedgehog.com/gitops-location':
        'url:file://demo-fabric.git/tree/main/fabrics/demo',
    });
    const src = source([demo, EDGE]);
    expect(src.yieldsToOtherSources).toBe(true);
    const taken = { taken: new Set(['demo']) };
    expect((await src.getFabrics(taken)).map(f => f.name)).toEqual(['edge']);
    expect(logs).toEqual([]);

    // once no other source defines it, the entity is read as a definition again
    expect((await src.getFabrics({ taken: new Set() })).map(f => f.name)).toEqual(['edge']);
    expect(logs).toEqual([
      expect.stringContaining(
        'catalog entity resource:default/demo is not used as a fabric: gitops location',
      ),
    ]);
  });

  it('skips the fabric entities emitted by the entity provider', async () => {
    const emitted = fabric('conf', {
      'backstage.io/managed-by-location': 'hedgehog-fabric:conf',
      'githedgehog.com/gitops-location': 'url:file:///x.git#main',
    });
    expect(
      (await source([emitted, EDGE]).getFabrics()).map(f => f.name),
    ).toEqual(['edge']);
    expect(logs).toEqual([]);
  });

  it('keeps the last fabrics while the catalog cannot be read', async () => {
    const catalog = catalogServiceMock.mock();
    catalog.getEntities.mockResolvedValueOnce({ items: [EDGE] });
    const s = new CatalogFabricSource({
      catalog,
      auth: mockServices.auth(),
      logger,
      clusterNames: () => [],
    });
    expect((await s.getFabrics()).map(f => f.name)).toEqual(['edge']);
    catalog.getEntities.mockRejectedValue(new Error('catalog unavailable'));
    expect((await s.getFabrics()).map(f => f.name)).toEqual(['edge']);
    expect(logs[0]).toMatch(
      /reading fabric entities from the catalog failed, keeping the last 1: Error: catalog unavailable/,
    );

    const fresh = new CatalogFabricSource({
      catalog,
      auth: mockServices.auth(),
      logger,
      clusterNames: () => [],
    });
    await expect(fresh.getFabrics()).rejects.toThrow('catalog unavailable');
  });

  it('asks the catalog with its own service credentials', async () => {
    const catalog = catalogServiceMock.mock({
      getEntities: jest.fn(async () => ({ items: [] })),
    });
    await new CatalogFabricSource({
      catalog,
      auth: mockServices.auth(),
      logger,
      clusterNames: () => [],
    }).getFabrics();
    expect(catalog.getEntities).toHaveBeenCalledWith(
      { filter: { kind: 'Resource', 'spec.type': 'hedgehog-fabric' } },
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    );
  });

  it('fabricFromEntity takes a fabric entity without owner', () => {
    const entity = { ...EDGE, spec: { type: 'hedgehog-fabric' } };
    expect(fabricFromEntity(entity, new Set()).owner).toBeUndefined();
  });

  it('fabricFromEntity reads the kinds of annotation githedgehog.com/kinds, and refuses kinds it does not know', () => {
    const withKinds = (value: string) =>
      fabric('edge', { 'githedgehog.com/gitops-location': 'url:file:///srv/git/edge.git#prod:edge', 'githedgehog.com/kinds': value });
    expect(fabricFromEntity(withKinds('day2'), new Set()).entityKinds).toBe('day2');
    expect(fabricFromEntity(withKinds('VPC, VPCAttachment'), new Set()).entityKinds).toEqual(['VPC', 'VPCAttachment']);
    expect(fabricFromEntity(EDGE, new Set()).entityKinds).toBeUndefined();
    // (app-config's and the manifest's kinds win over the entity's: it never sets kinds)
    expect(fabricFromEntity(withKinds('wiring'), new Set()).kinds).toBeUndefined();
    expect(() => fabricFromEntity(withKinds('VPCInfo'), new Set())).toThrow(
      'githedgehog.com/kinds: "VPCInfo" is neither a preset (all, day2, wiring) nor a list of managed kinds',
    );
  });

  it('fabricFromEntity reads what the owner is notified of from annotation githedgehog.com/notifications', () => {
    const withLevel = (value: string) =>
      fabric('edge', { 'githedgehog.com/gitops-location': 'url:file:///srv/git/edge.git#prod:edge', 'githedgehog.com/notifications': value });
    expect(fabricFromEntity(withLevel('all'), new Set()).notifications).toBe('all');
    expect(fabricFromEntity(withLevel(' off '), new Set()).notifications).toBe('off');
    expect(fabricFromEntity(EDGE, new Set()).notifications).toBeUndefined();
    expect(() => fabricFromEntity(withLevel('loud'), new Set())).toThrow(
      'githedgehog.com/notifications: "loud" is not one of off, failures, all',
    );
  });
});
