/*
 * The demo app's wiring, end to end in one test backend: the real hedgehog
 * backend plugin with the demo fabric module of packages/backend (a local Git
 * repository made from examples/demo-fabric), the demo catalog's entities
 * (examples/entities.yaml, served by a catalog mock), this package's two modules,
 * and a capture of the catalog's entity provider connection instead of the
 * catalog engine.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
  catalogProcessingExtensionPoint,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import hedgehogPlugin from '@fabric-gitops/plugin-hedgehog-backend';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
// The demo backend's own module (packages/backend), so this runs what `yarn start` runs.
import demoFabricModule from '../../packages/backend/src/modules/demoFabric';
import catalogModuleHedgehog, { hedgehogModuleCatalogFabrics } from '@fabric-gitops/plugin-catalog-backend-module-hedgehog';

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../..');

async function demoCatalogEntities(): Promise<Entity[]> {
  const file = path.join(repoRoot, 'examples/entities.yaml');
  const entities: Entity[] = [];
  for (const result of parseEntityYaml(await fs.readFile(file), {
    type: 'file',
    target: file,
  })) {
    if (result.type === 'entity') {
      entities.push({
        ...result.entity,
        metadata: { namespace: 'default', ...result.entity.metadata },
      });
    }
  }
  return entities;
}

describe('the demo app catalog', () => {
  let root: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const scheduler = mockServices.scheduler();
  const events = mockServices.events();
  const providers: EntityProvider[] = [];
  const mutations: Array<{
    type: string;
    entities: Array<{ entity: Entity; locationKey?: string }>;
  }> = [];
  const connection: EntityProviderConnection = {
    applyMutation: async m => void mutations.push(m as any),
    refresh: async () => {},
  };

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-catalog-demo-'));
    backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (
              ...p: Array<EntityProvider | EntityProvider[]>
            ) => void providers.push(...p.flat()),
            addProcessor: () => {},
            addPlaceholderResolver: () => {},
            setOnProcessingErrorHandler: () => {},
          },
        ],
      ],
      features: [
        hedgehogPlugin,
        demoFabricModule,
        catalogModuleHedgehog,
        hedgehogModuleCatalogFabrics,
        catalogServiceMock.factory({ entities: await demoCatalogEntities() }),
        // the mock scheduler as is: tasks run only when a test triggers them
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        // one events service for every plugin, as the events backend would provide
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
        mockServices.rootConfig.factory({
          data: {
            hedgehog: { workingDirectory: path.join(root, 'work') },
            hedgehogDemo: {
              examplesDir: path.join(repoRoot, 'examples/demo-fabric'),
              repository: path.join(root, 'demo-fabric.git'),
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  const api = async (p: string) => {
    const { port } = backend.server.address() as { port: number };
    const res = await fetch(`http://localhost:${port}/api/hedgehog${p}`, {
      headers: { Authorization: mockCredentials.user.header() },
    });
    return { status: res.status, body: await res.json() };
  };

  it('registers the hedgehog entity provider with the catalog', () => {
    expect(providers.map(p => p.getProviderName())).toEqual(['hedgehog']);
  });

  it('serves the demo fabric of the demo module, not the display-only catalog entity', async () => {
    const { body } = await api('/fabrics');
    expect(body.items.map((f: any) => [f.name, f.source])).toEqual([
      ['demo', 'the demo module of packages/backend'],
    ]);
  });

  it('shows the demo fabric switches, servers and VPCs after a sync', async () => {
    const [provider] = providers;
    await provider.connect(connection);

    // before the first sync the fabric has no resources
    await scheduler.triggerTask('hedgehog:refresh');
    expect(mutations).toHaveLength(1);
    expect(mutations[0]).toEqual({ type: 'full', entities: [] });

    // the scheduled sync imports the fabric and announces it; the provider refreshes that fabric
    await scheduler.triggerTask('hedgehog-sync:demo');
    const fabric = await api('/fabrics/demo');
    expect(fabric.body).toMatchObject({
      lastSyncedCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
      counts: { Switch: 6, Server: 6 },
    });
    expect(mutations).toHaveLength(2);

    // after the first full refresh, a fabric's sync is applied as a delta of that fabric
    const delta = mutations[1] as any;
    expect(delta.type).toBe('delta');
    expect(delta.removed).toEqual([]);
    const entities: Array<{ entity: any; locationKey?: string }> = delta.added;
    const byName = new Map(
      entities.map(e => [e.entity.metadata.name, e.entity]),
    );
    expect(
      [...byName.keys()].filter(n => n.startsWith('demo.switch.')).sort(),
    ).toEqual([
      'demo.switch.leaf-01',
      'demo.switch.leaf-02',
      'demo.switch.leaf-03',
      'demo.switch.leaf-04',
      'demo.switch.spine-01',
      'demo.switch.spine-02',
    ]);
    expect(
      [...byName.keys()].filter(n => n.startsWith('demo.server.')),
    ).toHaveLength(6);
    expect(
      [...byName.keys()].filter(n => n.startsWith('demo.vpc.')).sort(),
    ).toEqual([
      'demo.vpc.vpc-db',
      'demo.vpc.vpc-lab',
      'demo.vpc.vpc-mgmt',
      'demo.vpc.vpc-web',
    ]);
    expect(entities).toHaveLength(16);
    expect(entities.every(e => e.locationKey === 'hedgehog-fabric:demo')).toBe(
      true,
    );
    // examples/entities.yaml defines the fabric entity: no second one, and its owner and system are inherited
    expect(byName.has('demo')).toBe(false);
    expect(byName.get('demo.switch.spine-01')).toMatchObject({
      metadata: { title: 'spine-01', description: 'Spine 1. Ports in use: E1/1, E1/2, E1/3, E1/4', tags: ['spine'] },
      spec: {
        type: 'hedgehog-switch',
        owner: 'guests',
        system: 'network',
        dependsOn: ['resource:default/demo'],
      },
    });
    expect(byName.get('demo.server.server-01')!.spec!.dependsOn).toEqual([
      'resource:default/demo',
      'resource:default/demo.switch.leaf-01',
      'resource:default/demo.switch.leaf-02',
    ]);
    expect(byName.get('demo.server.server-05')!.spec!.dependsOn).toEqual([
      'resource:default/demo',
      'resource:default/demo.switch.leaf-04',
    ]);
    expect(byName.get('demo.vpc.vpc-web')!.spec).toMatchObject({
      type: 'hedgehog-vpc',
      dependsOn: ['resource:default/demo'],
    });
  });

  it('does not refresh again when a sync imports nothing new', async () => {
    await scheduler.triggerTask('hedgehog-sync:demo');
    expect(mutations).toHaveLength(2);
  });
});
