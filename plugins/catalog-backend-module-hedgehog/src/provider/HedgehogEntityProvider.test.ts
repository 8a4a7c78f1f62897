import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  Fabric,
  ResourceDetail,
  ResourceItem,
} from '@fabric-gitops/plugin-hedgehog-common';
import { HedgehogEntityProvider } from './HedgehogEntityProvider';
import { HedgehogReadApi, fabricRefOf } from './fabricResources';
import { locationOf, resourceEntityRef } from './entities';

const DRIFT = {
  in_sync: 0,
  drifted: 0,
  missing_in_cluster: 0,
  orphaned_in_cluster: 0,
  owned_elsewhere: 0,
  unknown: 0,
};

function fabric(
  name: string,
  source: string,
  extra: Partial<Fabric> = {},
): Fabric {
  return {
    name,
    title: `${name} fabric`,
    git: {
      url: `file:///srv/git/${name}.git`,
      branch: 'main',
      path: '',
      writeMode: 'push',
    },
    source,
    status: 'in_sync',
    counts: {},
    drift: DRIFT,
    findings: { errors: 0, warnings: 0 },
    conflicts: 0,
    applyFailed: 0,
    ...extra,
  };
}

type Desired = Record<string, any>;

/** An in-memory hedgehog API: fabrics and the desired objects of their resources. */
/** Objects only in the cluster, as the backend lists them: no managed file, no desired object. */
function clusterOnly(status: ResourceItem['drift']['status'], name: string) {
  return status === 'orphaned_in_cluster' || (status === 'owned_elsewhere' && name === 'elsewhere');
}

class FakeApi implements HedgehogReadApi {
  fabrics: Fabric[] = [];
  resources = new Map<
    string,
    Array<{ item: ResourceItem; desired: Desired | null }>
  >();
  calls: string[] = [];
  failList = false;
  /** As a backend from before `include=desired`: list items without their desired objects. */
  ignoresInclude = false;

  add(
    fabricName: string,
    kind: string,
    name: string,
    spec: Desired = {},
    status: ResourceItem['drift']['status'] = 'unknown',
  ) {
    const plural = {
      Switch: 'switches',
      Server: 'servers',
      VPC: 'vpcs',
      Connection: 'connections',
      VPCAttachment: 'vpcattachments',
    }[kind];
    const list = this.resources.get(fabricName) ?? [];
    list.push({
      item: {
        kind,
        name,
        namespace: 'default',
        gitPath: clusterOnly(status, name)
          ? ''
          : `managed/${plural}/${name}.yaml`,
        applyStatus: 'not_applied',
        drift: { status, score: null },
        errors: 0,
        warnings: 0,
      },
      desired: clusterOnly(status, name)
        ? null
        : { kind, metadata: { name }, spec },
    });
    this.resources.set(fabricName, list);
  }

  async listFabrics() {
    this.calls.push('listFabrics');
    if (this.failList) throw new Error('hedgehog backend unavailable');
    return { items: this.fabrics, totalItems: this.fabrics.length };
  }
  async listResources(
    f: string,
    q: {
      kind?: string;
      offset?: number;
      limit?: number;
      include?: 'desired';
    } = {},
  ) {
    this.calls.push(`listResources ${f} ${q.kind} ${q.offset}`);
    const withDesired = q.include === 'desired' && !this.ignoresInclude;
    const all = (this.resources.get(f) ?? [])
      .filter(r => !q.kind || r.item.kind === q.kind)
      .map(r => (withDesired ? { ...r.item, desired: r.desired } : r.item));
    const offset = q.offset ?? 0;
    return {
      items: all.slice(offset, offset + Math.min(q.limit ?? 50, 2)),
      totalItems: all.length,
    };
  }
  async getResource(
    f: string,
    kind: string,
    name: string,
  ): Promise<ResourceDetail> {
    this.calls.push(`getResource ${f} ${kind} ${name}`);
    const r = (this.resources.get(f) ?? []).find(
      x => x.item.kind === kind && x.item.name === name,
    );
    if (!r) throw new Error('404');
    return { ...r.item, desired: r.desired, differences: [], findings: [] };
  }
}

function capture() {
  const mutations: Array<{
    type: string;
    entities: Array<{ entity: Entity; locationKey?: string }>;
  }> = [];
  const connection: EntityProviderConnection = {
    applyMutation: jest.fn(async m => void mutations.push(m as any)),
    refresh: jest.fn(),
  };
  const last = () => mutations[mutations.length - 1];
  const byName = () =>
    new Map(last().entities.map(e => [e.entity.metadata.name, e]));
  return { connection, mutations, last, byName };
}

const CATALOG_FABRIC: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'edge',
    namespace: 'default',
    annotations: {
      'githedgehog.com/gitops-location': 'url:file:///srv/git/edge.git#main',
    },
  },
  spec: {
    type: 'hedgehog-fabric',
    owner: 'group:default/edge-team',
    system: 'network',
  },
};

describe('HedgehogEntityProvider', () => {
  let api: FakeApi;
  const logger = mockServices.logger.mock();

  beforeEach(() => {
    api = new FakeApi();
    api.fabrics = [
      fabric('lab', 'app-config', { cluster: 'lab' }),
      fabric('edge', 'resource:default/edge'),
    ];
    api.add('lab', 'Switch', 'leaf-01', { role: 'server-leaf' });
    api.add('lab', 'Switch', 'leaf-02', { role: 'server-leaf' });
    api.add('lab', 'Switch', 'spine-01', { role: 'spine' });
    api.add('lab', 'Server', 'server-01');
    api.add('lab', 'Server', 'server-02');
    api.add('lab', 'Server', 'server-03');
    api.add('lab', 'VPC', 'vpc-1', {
      subnets: { default: { subnet: '10.0.1.0/24', vlan: 1001 } },
    });
    api.add('lab', 'VPC', 'ghost', {}, 'orphaned_in_cluster');
    // another fabric's VPC in the same cluster: only in the cluster, as far as lab knows
    api.add('lab', 'VPC', 'elsewhere', {}, 'owned_elsewhere');
    api.add('lab', 'VPCAttachment', 'vpc-1--server-01');
    api.add('lab', 'Connection', 'server-01--unbundled--leaf-01', {
      unbundled: {
        link: {
          server: { port: 'server-01/enp2s1' },
          switch: { port: 'leaf-01/E1/1' },
        },
      },
    });
    api.add('lab', 'Connection', 'server-02--eslag--leaf-01--leaf-02', {
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
    });
    api.add('lab', 'Connection', 'server-03--unbundled--gone', {
      unbundled: {
        link: {
          server: { port: 'server-03/enp2s1' },
          switch: { port: 'gone/E1/1' },
        },
      },
    });
    api.add('lab', 'Connection', 'spine-01--fabric--leaf-01', {
      fabric: {
        links: [
          { spine: { port: 'spine-01/E1/1' }, leaf: { port: 'leaf-01/E1/47' } },
        ],
      },
    });
    api.add('edge', 'Switch', 'border-01', { role: 'border-leaf' });
  });

  const provider = (
    extra: Partial<
      ConstructorParameters<typeof HedgehogEntityProvider>[0]
    > = {},
  ) =>
    new HedgehogEntityProvider({
      client: api,
      catalog: catalogServiceMock({ entities: [CATALOG_FABRIC] }),
      auth: mockServices.auth(),
      logger,
      configuredFabrics: new Map([
        ['lab', { owner: 'group:default/network', description: 'The lab' }],
      ]),
      ...extra,
    });

  it("owns a fabric's entities by the owner its definition names, else the default owner, and warns of owners the catalog lacks", async () => {
    api.fabrics = [
      fabric('demo', 'the demo module of packages/backend', { owner: 'group:default/guests' }),
      fabric('bare', 'app-config'),
    ];
    api.add('demo', 'Switch', 'leaf-01', { role: 'server-leaf' });
    api.add('bare', 'Switch', 'leaf-09', { role: 'server-leaf' });
    const GUESTS: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'guests', namespace: 'default' },
      spec: { type: 'team', children: [] },
    };
    const warnings = mockServices.logger.mock();
    const p = provider({
      catalog: catalogServiceMock({ entities: [GUESTS] }),
      logger: warnings,
      configuredFabrics: new Map(),
      defaultOwner: 'guests',
    });
    const { connection, byName } = capture();
    await p.connect(connection);
    await p.refresh();
    expect(byName().get('demo.switch.leaf-01')!.entity.spec!.owner).toBe('group:default/guests');
    expect(byName().get('bare')!.entity.spec!.owner).toBe('guests');
    expect(byName().get('bare.switch.leaf-09')!.entity.spec!.owner).toBe('guests');
    expect(warnings.warn).not.toHaveBeenCalled();

    // without a default owner that exists, the log says which keys name one (once)
    const missing = mockServices.logger.mock();
    const q = provider({ catalog: catalogServiceMock({ entities: [GUESTS] }), logger: missing, configuredFabrics: new Map() });
    const second = capture();
    await q.connect(second.connection);
    await q.refresh();
    await q.refresh();
    expect(second.byName().get('bare.switch.leaf-09')!.entity.spec!.owner).toBe('group:default/unknown');
    expect(missing.warn).toHaveBeenCalledTimes(1);
    expect(missing.warn).toHaveBeenCalledWith(
      expect.stringMatching(/owner group:default\/unknown of fabric\(s\) bare is not in the catalog; .*hedgehog\.fabrics\[\]\.owner.*catalog\.providers\.hedgehog\.defaultOwner/),
    );
  });

  it('is called hedgehog and refreshes only when connected', async () => {
    const p = provider();
    expect(p.getProviderName()).toBe('hedgehog');
    await expect(p.refresh()).rejects.toThrow(/not connected/);
  });

  it('emits a full mutation: fabric entity of app-config fabrics, switches, servers and VPCs', async () => {
    const p = provider();
    const { connection, mutations, last, byName } = capture();
    await p.connect(connection);
    await p.refresh();

    expect(mutations).toHaveLength(1);
    expect(last().type).toBe('full');
    const entities = byName();
    expect([...entities.keys()].sort()).toEqual([
      'edge.switch.border-01',
      'lab',
      'lab.server.server-01',
      'lab.server.server-02',
      'lab.server.server-03',
      'lab.switch.leaf-01',
      'lab.switch.leaf-02',
      'lab.switch.spine-01',
      'lab.vpc.vpc-1',
    ]);
    // nothing for Connections, attachments or objects only in the cluster
    expect(
      last().entities.every(
        e =>
          !/connection|vpcattachment|ghost|elsewhere/.test(
            e.entity.metadata.name,
          ),
      ),
    ).toBe(true);

    expect(entities.get('lab')!.locationKey).toBe('hedgehog-fabric:lab');
    expect(entities.get('lab')!.entity.spec).toEqual({
      type: 'hedgehog-fabric',
      owner: 'group:default/network',
    });
    expect(entities.get('lab')!.entity.metadata.description).toBe('The lab');
    expect(
      entities.get('lab')!.entity.metadata.annotations![
        'githedgehog.com/cluster'
      ],
    ).toBe('lab');

    expect(entities.get('lab.switch.leaf-01')!.entity.spec).toEqual({
      type: 'hedgehog-switch',
      owner: 'group:default/network',
      dependsOn: ['resource:default/lab'],
    });
    expect(
      entities.get('lab.server.server-01')!.entity.spec!.dependsOn,
    ).toEqual(['resource:default/lab', 'resource:default/lab.switch.leaf-01']);
    expect(
      entities.get('lab.server.server-02')!.entity.spec!.dependsOn,
    ).toEqual([
      'resource:default/lab',
      'resource:default/lab.switch.leaf-01',
      'resource:default/lab.switch.leaf-02',
    ]);
    // a connection to a switch that is not in the fabric adds no relation
    expect(
      entities.get('lab.server.server-03')!.entity.spec!.dependsOn,
    ).toEqual(['resource:default/lab']);
    expect(entities.get('lab.vpc.vpc-1')!.entity.spec).toMatchObject({
      type: 'hedgehog-vpc',
      dependsOn: ['resource:default/lab'],
    });

    // the ports each device uses, from the Connections, in its description (found by search)
    expect(entities.get('lab.switch.leaf-01')!.entity.metadata.description).toBe(
      'Hedgehog switch (server-leaf). Ports in use: E1/1, E1/2, E1/47',
    );
    expect(entities.get('lab.switch.spine-01')!.entity.metadata.description).toBe(
      'Hedgehog switch (spine). Ports in use: E1/1',
    );
    expect(entities.get('lab.server.server-02')!.entity.metadata.description).toBe(
      'Ports in use: enp2s1, enp2s2',
    );
    expect(entities.get('lab.vpc.vpc-1')!.entity.metadata.description).toBe(
      'Hedgehog VPC: default 10.0.1.0/24 (VLAN 1001)',
    );

    // a catalog-defined fabric: no fabric entity, owner and system from its entity
    expect(entities.get('edge.switch.border-01')!.entity.spec).toEqual({
      type: 'hedgehog-switch',
      owner: 'group:default/edge-team',
      dependsOn: ['resource:default/edge'],
      system: 'network',
    });
    expect(entities.get('edge.switch.border-01')!.locationKey).toBe(
      'hedgehog-fabric:edge',
    );
    for (const { entity } of last().entities) {
      expect(
        entity.metadata.annotations!['backstage.io/managed-by-location'],
      ).toMatch(/^hedgehog-fabric:/);
      expect(
        entity.metadata.annotations!['backstage.io/managed-by-origin-location'],
      ).toMatch(/^hedgehog-fabric:/);
    }
  });

  it('reads every page of the resource lists', async () => {
    const p = provider();
    const { connection, byName } = capture();
    await p.connect(connection);
    await p.refresh();
    expect(
      api.calls.filter(c => c.startsWith('listResources lab Switch')),
    ).toEqual(['listResources lab Switch 0', 'listResources lab Switch 2']);
    expect(byName().has('lab.switch.spine-01')).toBe(true);
  });

  it('takes the desired objects from the list pages, without a request per resource', async () => {
    const p = provider();
    const { connection, last } = capture();
    await p.connect(connection);
    await p.refresh();
    expect(api.calls.filter(c => c.startsWith('getResource'))).toEqual([]);
    // the 9 entities the first test checks one by one, built from the pages alone
    expect(last().entities).toHaveLength(9);
  });

  it('asks for each resource when the backend lists them without their desired objects, with the same entities', async () => {
    const { connection: c1, last: withPages } = capture();
    const p1 = provider();
    await p1.connect(c1);
    await p1.refresh();

    api.ignoresInclude = true;
    api.calls = [];
    const { connection: c2, last: perResource } = capture();
    const p2 = provider();
    await p2.connect(c2);
    await p2.refresh();
    // 3 switches, 3 servers, 1 VPC and 4 connections of lab; 1 switch of edge
    expect(api.calls.filter(c => c.startsWith('getResource'))).toHaveLength(12);
    expect(perResource().entities).toEqual(withPages().entities);
  });

  it('uses an entity the catalog already has for a fabric of app-config instead of emitting one', async () => {
    const own: Entity = {
      ...CATALOG_FABRIC,
      metadata: { ...CATALOG_FABRIC.metadata, name: 'lab' },
      spec: { type: 'hedgehog-fabric', owner: 'group:default/lab-team' },
    };
    const p = provider({
      catalog: catalogServiceMock({ entities: [CATALOG_FABRIC, own] }),
    });
    const { connection, byName } = capture();
    await p.connect(connection);
    await p.refresh();
    expect(byName().has('lab')).toBe(false);
    expect(byName().get('lab.switch.leaf-01')!.entity.spec!.owner).toBe(
      'group:default/lab-team',
    );
  });

  it('still emits the fabric entity when the catalog has only its own copy', async () => {
    const emitted: Entity = {
      ...CATALOG_FABRIC,
      metadata: {
        name: 'lab',
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': 'hedgehog-fabric:lab',
        },
      },
    };
    const p = provider({
      catalog: catalogServiceMock({ entities: [CATALOG_FABRIC, emitted] }),
    });
    const { connection, byName } = capture();
    await p.connect(connection);
    await p.refresh();
    expect(byName().has('lab')).toBe(true);
  });

  it('falls back to the default owner', async () => {
    api.fabrics.push(fabric('demo', 'demo'));
    api.add('demo', 'Switch', 'leaf-01');
    const p = provider({
      configuredFabrics: new Map(),
      defaultOwner: 'group:default/platform',
    });
    const { connection, byName } = capture();
    await p.connect(connection);
    await p.refresh();
    expect(byName().get('lab')!.entity.spec!.owner).toBe(
      'group:default/platform',
    );
    expect(byName().get('demo.switch.leaf-01')!.entity.spec).toMatchObject({
      owner: 'group:default/platform',
      dependsOn: ['resource:default/demo'],
    });
    expect(byName().has('demo')).toBe(false);
  });

  it('skips a blocked fabric: it asks for none of its resources and emits nothing for it', async () => {
    api.fabrics = [
      fabric('lab', 'app-config', { cluster: 'lab' }),
      fabric('edge', 'resource:default/edge', {
        status: 'blocked',
        blockedReason: 'the repository file:///srv/git/edge.git is not one catalog fabrics may use',
      }),
    ];
    const p = provider();
    const { connection, byName } = capture();
    await p.connect(connection);
    await p.refresh();
    expect(api.calls.filter(c => c.includes(' edge '))).toEqual([]);
    expect([...byName().keys()].filter(n => n.startsWith('edge'))).toEqual([]);
    expect(byName().has('lab.switch.leaf-01')).toBe(true);
  });

  it('applies nothing when the hedgehog backend cannot be read', async () => {
    api.failList = true;
    const p = provider();
    const { connection, mutations } = capture();
    await p.connect(connection);
    await expect(p.refresh()).rejects.toThrow('hedgehog backend unavailable');
    expect(mutations).toHaveLength(0);
  });

  it('refreshes after a fabric.synced event and ignores other events', async () => {
    const p = provider();
    const { connection, mutations } = capture();
    await p.onEvent({
      topic: 'hedgehog',
      eventPayload: { type: 'fabric.synced', fabric: 'lab' },
    });
    expect(mutations).toHaveLength(0); // not connected yet
    await p.connect(connection);
    await p.onEvent({
      topic: 'hedgehog',
      eventPayload: { type: 'something.else' },
    });
    await p.onEvent({
      topic: 'other',
      eventPayload: { type: 'fabric.synced' },
    });
    expect(mutations).toHaveLength(0);
    await p.onEvent({
      topic: 'hedgehog',
      eventPayload: { type: 'fabric.synced', fabric: 'lab', commit: 'abc' },
    });
    expect(mutations).toHaveLength(1);

    api.failList = true;
    await expect(
      p.onEvent({
        topic: 'hedgehog',
        eventPayload: { type: 'fabric.synced', fabric: 'lab' },
      }),
    ).resolves.toBeUndefined();
    expect(mutations).toHaveLength(1);
  });

  it('after a full refresh, applies a synced fabric as a delta: its entities added, those it lost removed, other fabrics not read', async () => {
    const p = provider();
    const { connection, mutations } = capture();
    await p.connect(connection);
    await p.refresh();
    expect(mutations.map(m => m.type)).toEqual(['full']);
    const fullRefs = mutations[0].entities.map(e => stringifyEntityRef(e.entity));
    expect(fullRefs).toContain(resourceEntityRef('lab', 'Server', 'server-03'));

    // lab's next sync: server-03 and its Connection gone, server-09 new
    const lab = api.resources.get('lab')!;
    api.resources.set('lab', lab.filter(r => !r.item.name.includes('server-03')));
    api.add('lab', 'Server', 'server-09');
    api.calls = [];
    await p.onEvent({ topic: 'hedgehog', eventPayload: { type: 'fabric.synced', fabric: 'lab' } });

    expect(mutations).toHaveLength(2);
    const delta = mutations[1] as any;
    expect(delta.type).toBe('delta');
    const added: string[] = delta.added.map((e: { entity: Entity }) => stringifyEntityRef(e.entity));
    expect(added).toContain(resourceEntityRef('lab', 'Server', 'server-09'));
    expect(added).not.toContain(resourceEntityRef('lab', 'Server', 'server-03'));
    expect(added.some(r => r.includes('border-01'))).toBe(false);
    expect(delta.added.every((e: { locationKey: string }) => e.locationKey === locationOf('lab'))).toBe(true);
    expect(delta.removed).toEqual([{ entityRef: resourceEntityRef('lab', 'Server', 'server-03'), locationKey: locationOf('lab') }]);
    // edge was not read again
    expect(api.calls.some(c => c.startsWith('listResources edge'))).toBe(false);

    // a fabric that is gone (or blocked) loses all its entities
    api.fabrics = api.fabrics.filter(f => f.name !== 'edge');
    await p.onEvent({ topic: 'hedgehog', eventPayload: { type: 'fabric.synced', fabric: 'edge' } });
    const gone = mutations[2] as any;
    expect(gone).toMatchObject({ type: 'delta', added: [] });
    expect(gone.removed.map((r: { entityRef: string }) => r.entityRef)).toEqual(
      fullRefs.filter(r => r.includes('border-01')),
    );
    expect(gone.removed).toHaveLength(1);
  });

  it('coalesces refreshes requested while one runs', async () => {
    const p = provider();
    const { connection, mutations } = capture();
    await p.connect(connection);
    await Promise.all([p.refresh(), p.refresh(), p.refresh(), p.refresh()]);
    expect(mutations).toHaveLength(2);
    expect(api.calls.filter(c => c === 'listFabrics')).toHaveLength(2);
  });

  it('schedules its refresh when connected', async () => {
    const run = jest.fn();
    const p = provider({ taskRunner: { run } });
    await p.connect(capture().connection);
    expect(run).toHaveBeenCalledWith({
      id: 'hedgehog:refresh',
      fn: expect.any(Function),
    });
  });

  it('names the fabric entity by the source of catalog-defined fabrics', () => {
    expect(fabricRefOf(fabric('edge', 'resource:team-b/edge'))).toBe(
      'resource:team-b/edge',
    );
    expect(fabricRefOf(fabric('lab', 'app-config'))).toBe(
      'resource:default/lab',
    );
    expect(fabricRefOf(fabric('demo', 'demo'))).toBe('resource:default/demo');
  });
});
