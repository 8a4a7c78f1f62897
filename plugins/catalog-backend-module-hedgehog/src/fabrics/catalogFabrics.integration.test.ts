/*
 * Fabrics declared as catalog entities, with the real hedgehog backend plugin:
 * picked up without a restart and synced like fabrics of app-config when inside
 * the catalog fabric policy; blocked, with the reason, when outside it.
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
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import hedgehogPlugin from '@fabric-gitops/plugin-hedgehog-backend';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { hedgehogModuleCatalogFabrics } from './module';

jest.setTimeout(120_000);

const demoRaw = path.resolve(__dirname, '../../../../examples/demo-fabric/raw');

function fabricEntity(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      title: `Fabric ${name}`,
      annotations,
    },
    spec: { type: 'hedgehog-fabric', owner: 'group:default/network' },
  };
}

describe('fabrics declared as catalog entities', () => {
  let root: string;
  let repo: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const scheduler = mockServices.scheduler();
  /** The catalog's current fabric entities; tests add to it while the backend runs. */
  const entities: Entity[] = [];
  const catalog = catalogServiceMock.mock({
    getEntities: jest.fn(async () => ({ items: [...entities] })),
  });

  beforeAll(async () => {
    root = await fs.mkdtemp(
      path.join(os.tmpdir(), 'hedgehog-catalog-fabrics-'),
    );
    repo = await createBareRepo(path.join(root, 'fabrics.git'));
    await pushFiles(`file://${repo}`, {
      'fabrics/edge/raw/wiring.yaml': await fs.readFile(
        path.join(demoRaw, 'wiring.yaml'),
      ),
      'fabrics/edge/raw/vpcs.yaml': await fs.readFile(
        path.join(demoRaw, 'vpcs.yaml'),
      ),
    });
    backend = await startTestBackend({
      features: [
        hedgehogPlugin,
        hedgehogModuleCatalogFabrics,
        catalog.factory,
        // the mock scheduler as is: tasks run only when a test triggers them
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.rootConfig.factory({
          data: {
            hedgehog: {
              workingDirectory: path.join(root, 'work'),
              clusters: [{ name: 'lab', url: 'https://127.0.0.1:6443' }],
              catalogFabrics: {
                repositories: [`file://${root}/fabrics.git`],
                writeMode: 'push',
              },
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

  it('reads the catalog with the plugin service identity', () => {
    expect(catalog.getEntities).toHaveBeenCalledWith(
      { filter: { kind: 'Resource', 'spec.type': 'hedgehog-fabric' } },
      { credentials: mockCredentials.service('plugin:hedgehog') },
    );
  });

  it('picks up a new fabric entity without a restart and syncs it', async () => {
    expect((await api('/fabrics')).body.items).toEqual([]);

    entities.push(
      fabricEntity('edge', {
        'githedgehog.com/gitops-location': `url:file://${repo}#main:fabrics/edge`,
      }),
      // not a cluster of hedgehog.clusters: refused
      fabricEntity('rogue', {
        'githedgehog.com/gitops-location': `url:file://${repo}#main:fabrics/rogue`,
        'githedgehog.com/cluster': 'prod',
      }),
    );
    await scheduler.triggerTask('hedgehog-refresh-fabrics');

    const fabrics = (await api('/fabrics')).body.items;
    expect(fabrics.map((f: any) => f.name)).toEqual(['edge']);
    expect(fabrics[0]).toMatchObject({
      title: 'Fabric edge',
      source: stringifyEntityRef(entities[0]),
      git: {
        url: `file://${repo}`,
        branch: 'main',
        path: 'fabrics/edge',
        writeMode: 'push',
      },
      status: 'never_synced',
    });

    await scheduler.triggerTask('hedgehog-sync:edge');
    const synced = (await api('/fabrics/edge')).body;
    expect(synced.lastSyncedCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(synced.counts).toMatchObject({ Switch: 6, Server: 6, VPC: 3 });
    const switches = (await api('/fabrics/edge/resources?kind=Switch')).body;
    expect(switches.totalItems).toBe(6);
  });

  it('blocks an entity outside the policy: listed with the reason, never scheduled, its routes refused', async () => {
    const other = await createBareRepo(path.join(root, 'other.git'));
    await pushFiles(`file://${other}`, { 'raw/.gitkeep': '' });
    entities.push(
      fabricEntity('elsewhere', {
        'githedgehog.com/gitops-location': `url:file://${other}#main`,
      }),
      // lab does not accept catalog fabrics (no allowCatalogFabrics)
      fabricEntity('on-lab', {
        'githedgehog.com/gitops-location': `url:file://${repo}#main:fabrics/edge`,
        'githedgehog.com/cluster': 'lab',
      }),
    );
    await scheduler.triggerTask('hedgehog-refresh-fabrics');

    const fabrics = (await api('/fabrics')).body.items;
    expect(fabrics.map((f: any) => [f.name, f.status])).toEqual([
      ['edge', 'in_sync'],
      ['elsewhere', 'blocked'],
      ['on-lab', 'blocked'],
    ]);
    const elsewhere = await api('/fabrics/elsewhere');
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body).toMatchObject({
      source: 'resource:default/elsewhere',
      status: 'blocked',
      blockedReason: `the repository file://${other} is not one catalog fabrics may use (hedgehog.catalogFabrics.repositories allows file://${root}/fabrics.git)`,
    });
    expect((await api('/fabrics/on-lab')).body.blockedReason).toMatch(
      /^the cluster "lab" does not accept fabrics of the catalog/,
    );
    const scheduled = (await scheduler.getScheduledTasks()).map(t => t.id);
    expect(scheduled).toContain('hedgehog-sync:edge');
    expect(scheduled.filter(id => /elsewhere|on-lab/.test(id))).toEqual([]);

    const { port } = backend.server.address() as { port: number };
    const sync = await fetch(
      `http://localhost:${port}/api/hedgehog/fabrics/elsewhere/sync`,
      {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.user.header(),
          'Content-Type': 'application/json',
        },
        body: '{}',
      },
    );
    expect(sync.status).toBe(409);
    expect((await sync.json()).error.message).toMatch(
      /^Fabric elsewhere is blocked and never synced: resource:default\/elsewhere is outside the catalog fabric policy of app-config: the repository file:\/\//,
    );
    expect((await api('/fabrics/elsewhere/runs')).status).toBe(409);
  });
});
