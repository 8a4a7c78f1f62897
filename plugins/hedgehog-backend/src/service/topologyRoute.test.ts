import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import { DRIFT_STATUSES, FabricTopology, TopologyNode } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { stringify } from 'yaml';
import { generateFabric } from '../validation/bench/generateFabric';
import { SAMPLES_DIR } from '../validation/__testUtils__/samples';
import { permissionsByUser } from '../__testUtils__/permissions';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

/** How many servers a node stands for. */
const serversIn = (node: TopologyNode) => (node.type === 'servers' ? node.count ?? 0 : Number(node.type === 'server'));

jest.setTimeout(300_000);

const READER = 'user:default/reader';
const OPERATOR = 'user:default/operator';
const BLOCKED = 'user:default/blocked';
const permissionsMock = permissionsByUser(
  (user, permission) => user === OPERATOR || (user !== BLOCKED && permission === 'hedgehog.fabric.read'),
);

/** GET /fabrics/:fabric/topology over HTTP, on fabrics synced from real Git repositories into the SQLite store. */
describe('GET /fabrics/:fabric/topology', () => {
  let root: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  const get = (p: string, user = READER) =>
    request(server).get(`/api/hedgehog${p}`).set('Authorization', mockCredentials.user.header(user));

  async function sync(fabric: string) {
    const res = await request(server)
      .post(`/api/hedgehog/fabrics/${fabric}/sync`)
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .send({});
    expect(res.status).toBe(202);
    for (let i = 0; i < 1200; i++) {
      const run = await get(`/runs/${res.body.runId}`);
      if (['succeeded', 'partial', 'failed'].includes(run.body.status)) return run.body;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error('the sync did not finish');
  }

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-topology-test-'));
    const url = `file://${await createBareRepo(path.join(root, 'fabric.git'))}`;
    const big = generateFabric({ spines: 2, leaves: 20, serversPerLeaf: 30, vpcs: 0 });
    const files: Record<string, string> = {
      'fabrics/vlab/raw/wiring.yaml': readFileSync(path.join(SAMPLES_DIR, '04-hnp-vlab-prepop.yaml'), 'utf8'),
    };
    for (let i = 0; i < big.length; i += 500) {
      files[`fabrics/big/raw/part-${i / 500}.yaml`] = big.slice(i, i + 500).map(o => stringify(o)).join('---\n');
    }
    await pushFiles(url, files);
    const backend = await startPluginBackend(permissionsMock.factory, {
      hedgehog: {
        workingDirectory: path.join(root, 'work'),
        fabrics: [
          { name: 'vlab', git: { url, branch: 'main', path: 'fabrics/vlab' } },
          { name: 'big', git: { url, branch: 'main', path: 'fabrics/big' } },
        ],
      },
    });
    server = backend.server;
    stop = () => backend.stop();
    for (const name of ['vlab', 'big']) {
      const run = await sync(name);
      if (run.status === 'failed') throw new Error(`the sync of ${name} failed: ${run.error}`);
    }
  });

  afterAll(async () => {
    await stop?.();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('draws the synced wiring, each node and edge with the state of its stored resource', async () => {
    const res = await get('/fabrics/vlab/topology');
    expect(res.status).toBe(200);
    const topology: FabricTopology = res.body;
    expect(topology.nodes.filter(n => n.type === 'switch')).toHaveLength(7);
    expect(topology.nodes.filter(n => n.type === 'servers').map(n => [n.id, n.count])).toEqual([
      ['servers:leaf-01,leaf-02', 2],
      ['servers:leaf-03,leaf-04', 2],
      ['servers:leaf-05', 2],
    ]);
    expect(new Set(topology.edges.map(e => e.type))).toEqual(
      // the MCLAG and ESLAG servers are in the collapsed groups
      new Set(['fabric', 'mclag-domain', 'vpc-loopback', 'unbundled', 'bundled', 'servers']),
    );
    const leaf = topology.nodes.find(n => n.id === 'switch:leaf-03')!;
    const stored = (await get('/fabrics/vlab/resources/Switch/leaf-03')).body;
    expect(leaf.status).toEqual({ drift: stored.drift.status, applyStatus: stored.applyStatus });
    expect(DRIFT_STATUSES).toContain(leaf.status!.drift);
    const edge = topology.edges.find(e => e.connection === 'spine-01--fabric--leaf-03')!;
    const storedEdge = (await get('/fabrics/vlab/resources/Connection/spine-01--fabric--leaf-03')).body;
    expect(edge.status).toEqual({ drift: storedEdge.drift.status, applyStatus: storedEdge.applyStatus });
  });

  it('expands the groups asked for', async () => {
    const res = await get(`/fabrics/vlab/topology?expand=${encodeURIComponent('servers:leaf-01,leaf-02')}&expand=servers:none`);
    expect(res.status).toBe(200);
    expect(res.body.nodes.filter((n: any) => n.type === 'server').map((n: any) => n.name)).toEqual(
      expect.arrayContaining(['server-01', 'server-02']),
    );
    expect(res.body.notExpanded).toEqual(['servers:none']);
    expect(res.body.edges.filter((e: any) => e.type === 'mclag').map((e: any) => e.bundle.connection)).toEqual([
      'server-01--mclag--leaf-01--leaf-02',
      'server-01--mclag--leaf-01--leaf-02',
      'server-02--mclag--leaf-01--leaf-02',
      'server-02--mclag--leaf-01--leaf-02',
    ]);
  });

  it('keeps a large fabric small: its servers are counted in groups, not listed', async () => {
    const res = await get('/fabrics/big/topology');
    expect(res.status).toBe(200);
    const servers = (await get('/fabrics/big/resources?kind=Server&limit=1')).body.totalItems;
    expect(servers).toBeGreaterThan(500);
    const topology: FabricTopology = res.body;
    const counted = topology.nodes.reduce((n, node) => n + (serversIn(node)), 0);
    expect(counted).toBe(servers);
    expect(topology.nodes.length).toBeLessThan(100);
    expect(JSON.stringify(topology).length).toBeLessThan(256 * 1024);
  });

  it('asks for read permission, knows its fabrics and checks its query', async () => {
    expect((await get('/fabrics/vlab/topology', BLOCKED)).status).toBe(403);
    expect((await request(server).get('/api/hedgehog/fabrics/vlab/topology')).status).toBe(401);
    expect((await get('/fabrics/nope/topology')).status).toBe(404);
    const tooMany = Array.from({ length: 101 }, (_, i) => `expand=servers:s${i}`).join('&');
    const bad = await get(`/fabrics/vlab/topology?${tooMany}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/expand/);
  });
});
