import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles, commitCount } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { permissionsByUser } from './__testUtils__/permissions';
import { startPluginBackend } from './__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const samples = path.resolve(__dirname, '../../../test/fixtures/samples');

/** Users: `blocked` may do nothing, `reader` may only read, `operator` may do everything. */
const READER = 'user:default/reader';

const permissionsMock = permissionsByUser(
  (user, permission) =>
    user === 'user:default/operator' || (user !== 'user:default/blocked' && permission === 'hedgehog.fabric.read'),
);

describe('hedgehog backend plugin over HTTP', () => {
  let root: string;
  let repo: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-plugin-test-'));
    repo = await createBareRepo(path.join(root, 'fabric.git'));
    await pushFiles(`file://${repo}`, {
      'fabrics/lab/raw/wiring.yaml': await fs.readFile(path.join(samples, '05-docs-sample-wiring-diagram.yaml')),
    });
    const backend = await startPluginBackend(permissionsMock.factory, {
      hedgehog: {
        workingDirectory: path.join(root, 'work'),
        fabrics: [
          {
            name: 'lab',
            title: 'Lab',
            git: { url: `file://${repo}`, branch: 'main', path: 'fabrics/lab' },
          },
        ],
      },
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await fs.rm(root, { recursive: true, force: true });
  });

  const get = (url: string, user = READER) =>
    request(server).get(`/api/hedgehog${url}`).set('Authorization', mockCredentials.user.header(user));

  async function waitForRun(runId: string) {
    for (let i = 0; i < 200; i++) {
      const res = await get(`/runs/${runId}`);
      if (['succeeded', 'partial', 'failed'].includes(res.body.status)) return res.body;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  it('syncs on request and serves fabrics, runs, resources and unmanaged files', async () => {
    const before = await get('/fabrics/lab');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ name: 'lab', title: 'Lab', status: 'never_synced', counts: {} });

    const sync = await request(server)
      .post('/api/hedgehog/fabrics/lab/sync')
      .set('Authorization', mockCredentials.user.header('user:default/operator'))
      .send({});
    expect(sync.status).toBe(202);
    expect(sync.body.runId).toMatch(/^[0-9a-f-]{36}$/);

    const run = await waitForRun(sync.body.runId);
    expect(run).toMatchObject({ fabric: 'lab', type: 'sync', trigger: 'api', status: 'succeeded', requestedBy: 'user:default/operator' });
    expect(run.stages.map((s: any) => s.name)).toEqual(['fetch', 'plan', 'ingest', 'validate', 'commit', 'import']);
    expect(run.commitAfter).toMatch(/^[0-9a-f]{40}$/);
    expect(await commitCount(repo)).toBe(2);

    const fabrics = await get('/fabrics');
    expect(fabrics.status).toBe(200);
    expect(fabrics.body.totalItems).toBe(1);
    expect(fabrics.body.items[0]).toMatchObject({
      name: 'lab',
      status: 'in_sync',
      lastSyncedCommit: run.commitAfter,
      counts: { Switch: 6, Connection: 10, SwitchGroup: 1, VLANNamespace: 1, IPv4Namespace: 1 },
      drift: { unknown: 19, in_sync: 0 },
    });

    const runs = await get('/fabrics/lab/runs');
    expect(runs.body.totalItems).toBe(1);
    expect(runs.body.items[0].id).toBe(sync.body.runId);

    const switches = await get('/fabrics/lab/resources?kind=Switch&limit=4');
    expect(switches.status).toBe(200);
    expect(switches.body.totalItems).toBe(6);
    expect(switches.body.items).toHaveLength(4);
    expect(switches.body.items[0]).toEqual({
      kind: 'Switch',
      name: 'leaf-01',
      namespace: 'default',
      gitPath: 'managed/switches/leaf-01.yaml',
      applyStatus: 'not_applied',
      drift: { status: 'unknown', score: null },
      errors: 0,
      // not hydrated (no asn, ip, protocolIP, vtepIP): one warning naming them all, which blocks apply
      warnings: 1,
    });
    // with include=desired each item carries its desired object (what the catalog provider reads)
    const full = await get('/fabrics/lab/resources?kind=Switch&limit=4&include=desired');
    expect(full.body.items.map((i: any) => i.name)).toEqual(switches.body.items.map((i: any) => i.name));
    expect(full.body.items[0]).toEqual({
      ...switches.body.items[0],
      desired: (await get('/fabrics/lab/resources/Switch/leaf-01')).body.desired,
    });
    expect(full.body.items[0].desired).toMatchObject({ kind: 'Switch', metadata: { name: 'leaf-01' } });
    const page2 = await get('/fabrics/lab/resources?kind=Switch&limit=4&offset=4');
    expect(page2.body.items.map((i: any) => i.name)).toEqual(['spine-01', 'spine-02']);
    const search = await get('/fabrics/lab/resources?q=SPINE');
    expect(search.body.items.map((i: any) => `${i.kind}/${i.name}`)).toContain('Switch/spine-01');
    expect(search.body.items.every((i: any) => i.name.includes('spine') || i.gitPath.includes('spine'))).toBe(true);

    const detail = await get('/fabrics/lab/resources/Switch/spine-01');
    expect(detail.status).toBe(200);
    expect(detail.body.desired).toMatchObject({
      apiVersion: 'wiring.githedgehog.com/v1beta1',
      kind: 'Switch',
      metadata: { name: 'spine-01', namespace: 'default', annotations: { 'githedgehog.com/source-file': 'raw/wiring.yaml' } },
      spec: { role: 'spine' },
    });
    expect(detail.body.source).toEqual({ file: 'raw/wiring.yaml', document: 7 });
    expect(detail.body.differences).toEqual([]);

    // the findings of files that are no resource (here the raw file's Gateway, in namespace fab) are listed too,
    // and the totals are the fabric's
    const fabric = (await get('/fabrics/lab')).body;
    const findings = await get('/fabrics/lab/findings?limit=500');
    expect(findings.body.totals).toMatchObject({ errors: fabric.findings.errors, warnings: fabric.findings.warnings });
    expect(fabric.findings.outsideResources).toEqual({ errors: 0, warnings: 1 });
    expect(findings.body.totalItems).toBe(fabric.findings.errors + fabric.findings.warnings);
    const elsewhere = findings.body.items.filter((f: any) => !f.resource);
    expect(elsewhere.map((f: any) => [f.file, f.rule])).toEqual([['raw/wiring.yaml', 'unmanaged.namespace']]);
    const onResources = (await get('/fabrics/lab/resources?limit=500')).body.items.reduce((n: number, r: any) => n + r.warnings, 0);
    expect(onResources + elsewhere.length).toBe(fabric.findings.warnings);
    expect((await get(`/runs/${run.id}/findings`)).body).toMatchObject({ totalItems: findings.body.totalItems, complete: true });

    const unmanaged = await get('/fabrics/lab/unmanaged');
    expect(unmanaged.body.items).toEqual([
      expect.objectContaining({
        path: 'unmanaged/wiring.yaml',
        originalPath: 'raw/wiring.yaml',
        reasons: [expect.objectContaining({ message: expect.stringContaining('Gateway') })],
      }),
    ]);
  });

  it('answers 400 and 404 with a message for bad input', async () => {
    expect((await get('/fabrics/nope')).status).toBe(404);
    expect((await get('/fabrics/NOT_A_NAME')).status).toBe(400);
    expect((await get('/fabrics/lab/resources?kind=Pod')).status).toBe(400);
    expect((await get('/fabrics/lab/resources?limit=100000')).status).toBe(400);
    expect((await get('/fabrics/lab/resources?include=live')).status).toBe(400);
    expect((await get('/fabrics/lab/resources/Switch/..%2F..%2Fetc')).status).toBe(400);
    const missing = await get('/fabrics/lab/resources/Switch/no-such-switch');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('No Switch named no-such-switch in fabric lab');
    expect((await get('/runs/not-a-uuid')).status).toBe(400);
    // an id in upper case names the same run (here none)
    const upper = await get('/runs/0B2F5C1E-4D6A-4F8B-9C0D-1E2F3A4B5C6D');
    expect([upper.status, upper.body.error.message]).toEqual([404, 'No run with id 0b2f5c1e-4d6a-4f8b-9c0d-1e2f3a4b5c6d']);
    // an unknown route answers with a message, as the others do
    const unknown = await get('/fabrics/lab/nothing-here');
    expect([unknown.status, unknown.body.error.message]).toEqual([404, 'no route GET /fabrics/lab/nothing-here in the hedgehog API']);
    const body = await request(server)
      .post('/api/hedgehog/fabrics/lab/sync')
      .set('Authorization', mockCredentials.user.header('user:default/operator'))
      .send({ force: 'yes' });
    expect(body.status).toBe(400);
    expect(body.body.error.message).toMatch(/Unrecognized key/);
    // a prune confirmation is a count, and on a sync only with apply
    const post = (url: string, payload: object) =>
      request(server).post(`/api/hedgehog${url}`).set('Authorization', mockCredentials.user.header('user:default/operator')).send(payload);
    for (const confirmPrune of [-1, 1.5, '3']) {
      const res = await post('/fabrics/lab/apply', { confirmPrune });
      expect([res.status, res.body.error.message]).toEqual([400, expect.stringMatching(/^Invalid request body: confirmPrune: /)]);
    }
    const noApply = await post('/fabrics/lab/sync', { confirmPrune: 2 });
    expect([noApply.status, noApply.body.error.message]).toEqual([400, 'Invalid request body: confirmPrune: confirmPrune needs "apply": true']);
  });

  const routes: Array<{ method: 'get' | 'post'; path: string; permission: 'read' | 'sync' }> = [
    { method: 'get', path: '/fabrics', permission: 'read' },
    { method: 'get', path: '/fabrics/lab', permission: 'read' },
    { method: 'post', path: '/fabrics/lab/sync', permission: 'sync' },
    { method: 'get', path: '/fabrics/lab/runs', permission: 'read' },
    { method: 'get', path: '/fabrics/lab/resources', permission: 'read' },
    { method: 'get', path: '/fabrics/lab/resources/Switch/spine-01', permission: 'read' },
    { method: 'get', path: '/fabrics/lab/unmanaged', permission: 'read' },
    { method: 'get', path: '/fabrics/lab/findings', permission: 'read' },
    { method: 'get', path: '/fabrics/lab/findings/summary', permission: 'read' },
    { method: 'get', path: '/fabrics/lab/findings/export?format=json', permission: 'read' },
  ];

  it.each(routes)('$method $path: 401 without credentials', async ({ method, path: p }) => {
    const res = await request(server)[method](`/api/hedgehog${p}`);
    expect(res.status).toBe(401);
  });

  it.each(routes.filter(r => r.permission !== 'read'))(
    '$method $path: 403 for a user without the permission',
    async ({ method, path: p }) => {
      const res = await request(server)[method](`/api/hedgehog${p}`)
        .set('Authorization', mockCredentials.user.header('user:default/reader'))
        .send({});
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('Permission hedgehog.fabric.sync is required');
    },
  );

  it.each(routes)('$method $path: 403 for a user denied everything', async ({ method, path: p, permission }) => {
    const res = await request(server)[method](`/api/hedgehog${p}`)
      .set('Authorization', mockCredentials.user.header('user:default/blocked'))
      .send({});
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(`Permission hedgehog.fabric.${permission} is required`);
  });

  it.each(routes)('$method $path: allowed for a user with the permission', async ({ method, path: p }) => {
    const res = await request(server)[method](`/api/hedgehog${p}`)
      .set('Authorization', mockCredentials.user.header('user:default/operator'))
      .send({});
    expect(res.status).toBe(method === 'post' ? 202 : 200);
  });
});
