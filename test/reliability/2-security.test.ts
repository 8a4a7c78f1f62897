/*
 * Section 2 — security.
 *
 * A canary secret is configured as the Git token (a GitHub integration and a
 * Gitea-style basic-auth integration, each in front of a real `git
 * http-backend`), as the cluster's service account token (a proxy in front of
 * the real test API server swaps it for the real admin token) and as the GitHub
 * webhook secret. The real backend plugin syncs, applies and checks drift on the
 * success paths and on failure paths (bad token, unreachable host, TLS error, a
 * Git server that never answers; the same three for the cluster) while a
 * separate process samples /proc/<pid>/cmdline of every process. The canary
 * must never appear in logs, run records, API responses, error messages,
 * process arguments, the database, the remotes or the backend's working files.
 *
 * Then the whole router, route by route: the routes registered on the express
 * router are enumerated at runtime and must all be in the table below; each is
 * called with no credentials (401), a user lacking the permission (403) and a
 * user with exactly that permission (success). Every route rejects an
 * oversized body (413), and path parameters that are not valid names are
 * rejected without touching anything (no path traversal).
 */
import { createRouter } from '@fabric-gitops/plugin-hedgehog-backend/src/service/router';
import { kubeRequest, lockTestCluster, startTestCluster, TestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createBareRepo, findFreePort, GitHttpServer, pushFiles, startGitHttpServer } from '../servers';
import { authHeader, startHedgehogBackend, TestBackend } from './lib/backend';
import { sg } from './lib/corpus';
import { KubeProxy, startKubeProxy } from './lib/kubeProxy';
import { anyObjectContains } from './lib/repo';
import { sqliteFile } from './lib/service';
import { SamplerResult, startProcSampler } from './lib/procSampler';
import { SectionSummary } from './lib/summary';
import { selfSignedCert } from './lib/tls';
import { deliver, pushBody, signature } from './lib/webhook';
import { Knex } from 'knex';

jest.setTimeout(240_000);

const summary = new SectionSummary('section 2 (security: canary secret, route table, body limits, path parameters)');
const CANARY = `canary${crypto.randomBytes(16).toString('hex')}`;
/** Object names are unique per test run: the test API server is shared. */
const TAG = crypto.randomBytes(3).toString('hex');
const READ = 'hedgehog.fabric.read';
const SYNC = 'hedgehog.fabric.sync';
const APPLY = 'hedgehog.fabric.apply';
const ADOPT = 'hedgehog.fabric.adopt';
const RESTORE = 'hedgehog.fabric.restore';
const CREATE = 'hedgehog.fabric.create';

let root: string;
let knex: Knex;
let backend: TestBackend;
let cluster: TestCluster;
let releaseCluster: (() => Promise<void>) | undefined;
const logs: string[] = [];
const servers: GitHttpServer[] = [];
const proxies: KubeProxy[] = [];
let tlsServer: https.Server;
let sampler: SamplerResult;
/** Every response the API gave in this file: status, headers and body. */
const responses: string[] = [];
const runs = new Map<string, any>();
/** Push deliveries per fabric: signed with the canary, replayed, forged, unsigned, the canary as signature. */
const pushDeliveries = new Map<string, Record<'ok' | 'replay' | 'forged' | 'unsigned' | 'echoed', request.Response>>();

/** Fabric name -> what its run must end as, and the error it must give. */
const EXPECTED: Record<string, { status: string[]; error?: RegExp }> = {
  'gitea-ok': { status: ['succeeded', 'partial'] },
  'github-ok': { status: ['succeeded', 'partial'] },
  'git-bad-token': { status: ['failed'], error: /fetching branch main of http:\/\/127\.0\.0\.1:\d+\/bad-token\.git failed: .*(Authentication failed|401)/ },
  'git-unreachable': { status: ['failed'], error: /fetching branch main of .* failed: .*(Failed to connect|Connection refused|Could not connect)/i },
  'git-tls-error': { status: ['failed'], error: /fetching branch main of https:.* failed: .*(SSL|certificate|TLS)/i },
  'git-hangs': { status: ['failed'], error: /timed out after \d+ s/ },
  'cluster-bad-token': { status: ['partial', 'failed'], error: /401|credentials/ },
  'cluster-unreachable': { status: ['partial', 'failed'], error: /ECONNREFUSED/ },
  'cluster-tls-error': { status: ['partial', 'failed'], error: /TLS verification failed|certificate|self.signed/i },
};

function record(res: request.Response) {
  responses.push(JSON.stringify({ status: res.status, headers: res.headers, body: res.body, text: res.text }));
  return res;
}

async function closedPort(): Promise<number> {
  return findFreePort();
}

async function dumpDatabase(): Promise<string> {
  const tables = await knex('sqlite_master').where({ type: 'table' }).select('name');
  const out: Record<string, unknown> = {};
  for (const { name } of tables) out[name] = await knex(name).select();
  return JSON.stringify(out);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-security-'));
  const gitRoot = path.join(root, 'git');
  await fs.mkdir(gitRoot);
  // shared with other test files, some of which wipe or count whole kinds
  releaseCluster = await lockTestCluster();
  cluster = await startTestCluster();

  // Git servers: basic auth with the canary as the password (Gitea-style and
  // GitHub-style users), one with another password, one that never answers.
  const gitea = await startGitHttpServer({ projectRoot: gitRoot, username: 'hedgehog', password: CANARY });
  const github = await startGitHttpServer({ projectRoot: gitRoot, username: 'x-access-token', password: CANARY });
  const wrong = await startGitHttpServer({ projectRoot: gitRoot, username: 'hedgehog', password: 'not-the-canary-password' });
  const hang = await startGitHttpServer({ projectRoot: gitRoot, hang: true });
  servers.push(gitea, github, wrong, hang);
  const tls = await selfSignedCert();
  tlsServer = https.createServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('nope'));
  await new Promise<void>(resolve => tlsServer.listen(0, '127.0.0.1', resolve));
  const tlsPort = (tlsServer.address() as net.AddressInfo).port;
  const deadGitPort = await closedPort();
  const deadKubePort = await closedPort();

  for (const name of ['gitea-ok', 'github-ok', 'bad-token', 'cluster-fabric']) {
    const repo = await createBareRepo(path.join(gitRoot, `${name}.git`));
    await pushFiles(`file://${repo}`, {
      'fabric/raw/groups.yaml': `${sg(`${name}-a-${TAG}`)}---\n${sg(`${name}-b-${TAG}`)}`,
      'fabric/raw/gateway.yaml': 'apiVersion: gateway.githedgehog.com/v1alpha1\nkind: VPCInfo\nmetadata:\n  name: gw\nspec: {}\n',
    });
  }

  // The cluster: its token is the canary; the proxy swaps it for the real one.
  const upstreamCa = Buffer.from(cluster.caData, 'base64').toString('utf8');
  const good = await startKubeProxy({ upstream: cluster.url, upstreamCa, acceptToken: CANARY, upstreamToken: cluster.adminToken });
  const passThrough = await startKubeProxy({ upstream: cluster.url, upstreamCa });
  proxies.push(good, passThrough);

  const host = (s: { port: number }) => `127.0.0.1:${s.port}`;
  const url = (s: { port: number }, repo: string) => `http://127.0.0.1:${s.port}/${repo}.git`;
  const fabric = (name: string, gitUrl: string, clusterName?: string) => ({
    name,
    git: { url: gitUrl, branch: 'main', path: 'fabric' },
    ...(clusterName ? { cluster: clusterName } : {}),
  });
  const clusterFabricUrl = url(gitea, 'cluster-fabric');

  knex = await sqliteFile(':memory:');
  backend = await startHedgehogBackend(
    {
      workingDirectory: path.join(root, 'work'),
      git: { timeoutSeconds: 5 },
      webhooks: { github: { secret: CANARY } },
      clusters: [
        { name: 'good', url: good.url, serviceAccountToken: CANARY, caData: good.ca },
        { name: 'bad-token', url: passThrough.url, serviceAccountToken: CANARY, caData: passThrough.ca },
        { name: 'unreachable', url: `https://127.0.0.1:${deadKubePort}`, serviceAccountToken: CANARY, caData: good.ca },
        { name: 'tls-error', url: good.url, serviceAccountToken: CANARY },
      ],
      fabrics: [
        fabric('gitea-ok', url(gitea, 'gitea-ok'), 'good'),
        fabric('github-ok', url(github, 'github-ok')),
        fabric('git-bad-token', url(wrong, 'bad-token')),
        fabric('git-unreachable', `http://127.0.0.1:${deadGitPort}/gitea-ok.git`),
        fabric('git-tls-error', `https://127.0.0.1:${tlsPort}/gitea-ok.git`),
        fabric('git-hangs', url(hang, 'gitea-ok')),
        fabric('cluster-bad-token', clusterFabricUrl, 'bad-token'),
        fabric('cluster-unreachable', clusterFabricUrl, 'unreachable'),
        fabric('cluster-tls-error', clusterFabricUrl, 'tls-error'),
      ],
    },
    {
      knex,
      logs,
      extraConfig: {
        integrations: {
          github: [{ host: host(github), apiBaseUrl: `http://${host(github)}/api/v3`, token: CANARY }],
          gitea: [
            { host: host(gitea), username: 'hedgehog', password: CANARY },
            { host: host(wrong), username: 'hedgehog', password: CANARY },
            { host: host(hang), username: 'hedgehog', password: CANARY },
            { host: `127.0.0.1:${deadGitPort}`, username: 'hedgehog', password: CANARY },
            { host: `127.0.0.1:${tlsPort}`, baseUrl: `https://127.0.0.1:${tlsPort}`, username: 'hedgehog', password: CANARY },
          ],
        },
      },
    },
  );

  // Everything that touches a secret happens while /proc is sampled.
  const procs = startProcSampler(CANARY);
  try {
    const sync = async (name: string, body: object) => {
      const res = record(await backend.post(`/fabrics/${name}/sync`, body));
      expect(res.status).toBe(202);
      return backend.waitForRun(res.body.runId, 60_000);
    };
    const names = Object.keys(EXPECTED);
    // the cluster fabrics share one repository: sync it once, then run cluster work on each
    await Promise.all(
      names
        .filter(n => !n.startsWith('cluster-'))
        .map(async n => runs.set(n, await sync(n, n === 'gitea-ok' ? { apply: true } : {}))),
    );
    for (const n of names.filter(x => x.startsWith('cluster-'))) runs.set(n, await sync(n, { apply: true }));
    for (const n of ['gitea-ok', 'cluster-bad-token', 'cluster-unreachable', 'cluster-tls-error']) {
      for (const type of ['apply', 'drift']) {
        const res = record(await backend.post(`/fabrics/${n}/${type}`, {}));
        // eslint-disable-next-line jest/no-standalone-expect -- the setup's own check: a refused request fails every case
        expect(res.status).toBe(202);
        runs.set(`${n}/${type}`, await backend.waitForRun(res.body.runId, 60_000));
      }
      record(await backend.get(`/fabrics/${n}/cluster`));
    }
    // a push of more content, so the success path pushes twice
    await pushFiles(`file://${path.join(gitRoot, 'github-ok.git')}`, { 'fabric/raw/more.yaml': sg('github-ok-c') });
    runs.set('github-ok/2', await sync('github-ok', {}));

    // Signed push deliveries, the canary being the webhook secret: each queues a
    // sync that fetches with the canary credentials (success and failure path);
    // a bad signature, no signature and a replay are refused.
    await pushFiles(`file://${path.join(gitRoot, 'github-ok.git')}`, { 'fabric/raw/hook.yaml': sg(`github-ok-hook-${TAG}`) });
    for (const [fabricName, cloneUrl] of [['github-ok', url(github, 'github-ok')], ['git-bad-token', url(wrong, 'bad-token')]]) {
      const body = pushBody(cloneUrl, ['fabric/raw/hook.yaml']);
      const delivery = crypto.randomUUID();
      const ok = record(await deliver(backend.server, body, { event: 'push', delivery, signature: signature(CANARY, body) }));
      const replay = record(await deliver(backend.server, body, { event: 'push', delivery, signature: signature(CANARY, body) }));
      const forged = record(await deliver(backend.server, body, { event: 'push', delivery: crypto.randomUUID(), signature: signature('not-the-secret', body) }));
      const unsigned = record(await deliver(backend.server, body, { event: 'push', delivery: crypto.randomUUID() }));
      const echoed = record(await deliver(backend.server, body, { event: 'push', delivery: crypto.randomUUID(), signature: `sha256=${CANARY}` }));
      pushDeliveries.set(fabricName, { ok, replay, forged, unsigned, echoed });
      const queued = ok.body?.queued?.find((q: any) => q.fabric === fabricName);
      if (queued) runs.set(`webhook/${fabricName}`, await backend.waitForRun(queued.runId, 60_000));
    }
  } finally {
    sampler = await procs.stop();
  }
  // Read everything back through the API (these responses are checked too).
  record(await backend.get('/fabrics'));
  for (const n of Object.keys(EXPECTED)) {
    record(await backend.get(`/fabrics/${n}`));
    record(await backend.get(`/fabrics/${n}/runs?limit=100`));
    record(await backend.get(`/fabrics/${n}/resources?limit=500`));
    record(await backend.get(`/fabrics/${n}/unmanaged`));
  }
  for (const run of runs.values()) record(await backend.get(`/runs/${run.id}`));
}, 40 * 60_000); // the first start of the test cluster on a machine builds kube-apiserver; other files may hold it

afterAll(async () => {
  if (cluster) {
    for (const n of ['gitea-ok-a', 'gitea-ok-b', 'cluster-fabric-a', 'cluster-fabric-b']) {
      await kubeRequest(cluster, 'DELETE', `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups/${n}-${TAG}`).catch(() => {});
    }
  }
  await backend?.stop();
  await Promise.all(servers.map(s => s.stop()));
  await Promise.all(proxies.map(p => p.stop()));
  await new Promise(r => tlsServer?.close(r));
  await knex?.destroy();
  await releaseCluster?.();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 2: the canary secret', () => {
  it.each(Object.keys(EXPECTED))(
    'run of %s ends as expected, with a clear error on failure paths',
    name =>
      summary.track(`canary run ${name}`, async () => {
        const run = runs.get(name);
        const exp = EXPECTED[name];
        // an unexpected status shows the run's error
        const unexpected = exp.status.includes(run.status) ? {} : { error: run.error };
        expect({ name, status: run.status, ...unexpected }).toEqual({ name, status: expect.stringMatching(new RegExp(`^(${exp.status.join('|')})$`)) });
        if (exp.error) {
          const text = [run.error, ...run.stages.flatMap((s: any) => [s.message, ...(s.errors ?? []).map((e: any) => e.message)])].join('\n');
          expect(text).toMatch(exp.error);
        }
        if (name.startsWith('cluster-')) {
          // the sync itself worked; the cluster stages failed (and no run is left open)
          expect(run.stages.find((s: any) => s.name === 'import')?.status).toBe('succeeded');
          for (const type of ['apply', 'drift']) {
            const r = runs.get(`${name}/${type}`);
            expect(r.status).toBe('failed');
            expect(r.error).toMatch(exp.error!);
          }
        }
      })(),
  );

  it(
    'the success paths pushed, applied and checked drift through the canary credentials',
    summary.track('canary success paths', async () => {
      const gitea = runs.get('gitea-ok');
      expect(gitea.stages.find((s: any) => s.name === 'commit')?.counts.commits).toBe(1);
      expect(gitea.stages.find((s: any) => s.name === 'apply')?.counts).toMatchObject({ applied: 2, failed: 0 });
      expect(runs.get('gitea-ok/apply').status).toBe('succeeded');
      expect(runs.get('gitea-ok/drift').stages.find((s: any) => s.name === 'drift').counts).toMatchObject({ in_sync: 2 });
      expect(runs.get('github-ok').stages.find((s: any) => s.name === 'commit')?.counts.commits).toBe(1);
      expect(runs.get('github-ok/2').stages.find((s: any) => s.name === 'commit')?.counts.commits).toBe(1);
      expect(proxies[0].log.some(l => l.startsWith('PATCH '))).toBe(true);
    }),
  );

  it(
    'never appears in process arguments of git children (sampled while the syncs ran)',
    summary.track('canary not in /proc/*/cmdline', async () => {
      // eslint-disable-next-line no-console
      console.log(`[reliability] section 2: /proc sampled ${sampler.samples} times, ${sampler.gitProcesses} git processes seen: ${JSON.stringify(sampler.gitCommands)}`);
      expect(sampler.hits).toEqual([]);
      expect(sampler.samples).toBeGreaterThan(20);
      expect(sampler.gitProcesses).toBeGreaterThan(5);
      expect(Object.keys(sampler.gitCommands)).toEqual(expect.arrayContaining(['fetch']));
    }),
  );

  it(
    'never appears in the logs',
    summary.track('canary not in logs', async () => {
      expect(logs.length).toBeGreaterThan(5);
      expect(logs.filter(l => l.includes(CANARY))).toEqual([]);
    }),
  );

  it(
    'never appears in run records, error messages or anywhere in the database',
    summary.track('canary not in the database', async () => {
      const db = await dumpDatabase();
      expect(db).toContain('hedgehog_runs');
      expect(db.includes(CANARY)).toBe(false);
      const errors = [...runs.values()].map(r => JSON.stringify(r));
      expect(errors.filter(e => e.includes(CANARY))).toEqual([]);
    }),
  );

  it(
    'never appears in API responses',
    summary.track('canary not in API responses', async () => {
      expect(responses.length).toBeGreaterThan(30);
      expect(responses.filter(r => r.includes(CANARY))).toEqual([]);
    }),
  );

  it(
    'never appears in the remotes or in the backend working directory',
    summary.track('canary not in repositories or working files', async () => {
      for (const name of ['gitea-ok', 'github-ok', 'bad-token', 'cluster-fabric']) {
        expect(await anyObjectContains(path.join(root, 'git', `${name}.git`), CANARY)).toBe(false);
      }
      const work = path.join(root, 'work');
      const files = await filesUnder(work);
      expect(files.length).toBeGreaterThan(5);
      for (const f of files) {
        const bytes = await fs.readFile(f);
        expect([f, bytes.includes(CANARY)]).toEqual([f, false]);
      }
      for (const dir of await fs.readdir(path.join(work, 'repos'))) {
        expect(await anyObjectContains(path.join(work, 'repos', dir), CANARY)).toBe(false);
      }
    }),
  );

  it(
    'webhook deliveries: signed with the canary accepted, others refused, the secret never echoed',
    summary.track('webhook secret', async () => {
      const body = Buffer.from(JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }));
      const sign = (secret: string) => `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
      const send = (signed?: string, delivery = crypto.randomUUID()) => {
        const req = request(backend.server)
          .post('/api/hedgehog/webhooks/github')
          .set('Content-Type', 'application/json')
          .set('X-GitHub-Event', 'ping')
          .set('X-GitHub-Delivery', delivery);
        if (signed) req.set('X-Hub-Signature-256', signed);
        return req.send(body.toString('utf8'));
      };
      const ok = record(await send(sign(CANARY)));
      expect(ok.status).toBe(200);
      const unsigned = record(await send());
      expect(unsigned.status).toBe(401);
      const wrong = record(await send(sign('another-secret')));
      expect(wrong.status).toBe(401);
      // a signature that is the secret itself, or holds it, is not echoed back
      const echoed = record(await send(`sha256=${CANARY}`));
      expect(echoed.status).toBe(401);
      for (const r of [ok, unsigned, wrong, echoed]) expect(JSON.stringify([r.headers, r.text])).not.toContain(CANARY);
      expect(logs.filter(l => l.includes(CANARY))).toEqual([]);
    }),
  );

  it(
    'push deliveries signed with the canary queue syncs that use the canary credentials; forged, unsigned and replayed ones are refused',
    summary.track('webhook push deliveries', async () => {
      expect([...pushDeliveries.keys()]).toEqual(['github-ok', 'git-bad-token']);
      for (const [fabricName, d] of pushDeliveries) {
        expect([fabricName, d.ok.status, d.ok.body.queued?.map((q: any) => q.fabric)]).toEqual([fabricName, 202, [fabricName]]);
        expect([fabricName, d.replay.status]).toEqual([fabricName, 409]);
        expect(d.replay.body.error.message).toMatch(/replays are refused/);
        for (const refused of [d.forged, d.unsigned, d.echoed]) expect([fabricName, refused.status]).toEqual([fabricName, 401]);
        for (const r of Object.values(d)) expect(JSON.stringify([r.headers, r.text])).not.toContain(CANARY);
        const run = runs.get(`webhook/${fabricName}`);
        expect([run.trigger, run.requestedBy]).toEqual(['webhook', 'github:octocat']);
        expect(JSON.stringify(run)).not.toContain(CANARY);
      }
      // the success path fetched and pushed through the canary token, the failure path says why without it
      const good = runs.get('webhook/github-ok');
      expect(good.status).toMatch(/^(succeeded|partial)$/);
      expect(good.stages.find((s: any) => s.name === 'commit')?.counts.commits).toBe(1);
      const bad = runs.get('webhook/git-bad-token');
      expect(bad.status).toBe('failed');
      expect(bad.error).toMatch(EXPECTED['git-bad-token'].error!);
      // only the two signed deliveries queued anything
      const webhookRuns = JSON.parse(await dumpDatabase()).hedgehog_runs.filter((r: any) => r.trigger === 'webhook');
      expect(webhookRuns).toHaveLength(2);
      expect(logs.filter(l => l.includes(CANARY))).toEqual([]);
    }),
  );
});

// ---- the whole router -------------------------------------------------------------------

type RouteSpec = {
  /** A concrete URL for the route. */
  url: string;
  body?: unknown;
  /** The permission the route needs, or 'signature' for the webhook. */
  needs: string;
  /** Status codes that mean the permitted call succeeded; 'authorized' = anything but 401/403/5xx. */
  success: number[] | 'authorized';
  /** The largest body the route reads. */
  bodyLimit: number;
};

const KB = 1024;
const MB = 1024 * KB;
const ROUTES: Record<string, RouteSpec> = {
  'GET /fabrics': { url: '/fabrics', needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric': { url: '/fabrics/gitea-ok', needs: READ, success: [200], bodyLimit: 256 * KB },
  // a repository the backend cannot read is an answer too (reachable: false), never a 5xx
  'POST /fabrics/probe': { url: '/fabrics/probe', body: { url: 'file:///nonexistent/probe.git' }, needs: CREATE, success: [200], bodyLimit: 256 * KB },
  'POST /fabrics/:fabric/sync': { url: '/fabrics/gitea-ok/sync', body: {}, needs: SYNC, success: [202], bodyLimit: 256 * KB },
  'POST /fabrics/:fabric/apply': { url: '/fabrics/gitea-ok/apply', body: {}, needs: APPLY, success: [202], bodyLimit: 256 * KB },
  'POST /fabrics/:fabric/drift': { url: '/fabrics/gitea-ok/drift', body: {}, needs: SYNC, success: [202], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/cluster': { url: '/fabrics/gitea-ok/cluster', needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/runs': { url: '/fabrics/gitea-ok/runs', needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /runs/:id': { url: '/runs/RUN_ID', needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/resources': { url: '/fabrics/gitea-ok/resources', needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/resources/:kind/:name': {
    url: `/fabrics/gitea-ok/resources/SwitchGroup/gitea-ok-a-${TAG}`,
    needs: READ,
    success: [200],
    bodyLimit: 256 * KB,
  },
  'POST /fabrics/:fabric/resources/:kind/:name/adopt': {
    url: `/fabrics/gitea-ok/resources/SwitchGroup/gitea-ok-a-${TAG}/adopt`,
    body: {},
    needs: ADOPT,
    success: 'authorized',
    bodyLimit: 256 * KB,
  },
  // a commit no run recorded: 404 for a permitted caller (nothing is restored)
  'POST /fabrics/:fabric/restore': {
    url: '/fabrics/gitea-ok/restore',
    body: { commit: '0000000', dryRun: true },
    needs: RESTORE,
    success: 'authorized',
    bodyLimit: 256 * KB,
  },
  'POST /fabrics/:fabric/plan': { url: '/fabrics/gitea-ok/plan', body: {}, needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/resources/:kind/:name/history': {
    url: `/fabrics/gitea-ok/resources/SwitchGroup/gitea-ok-a-${TAG}/history`,
    needs: READ,
    success: [200],
    bodyLimit: 256 * KB,
  },
  'GET /fabrics/:fabric/pulls': { url: '/fabrics/gitea-ok/pulls', needs: READ, success: 'authorized', bodyLimit: 256 * KB },
  'GET /search': { url: `/search?q=gitea-ok-a-${TAG}`, needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/topology': { url: '/fabrics/gitea-ok/topology', needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/unmanaged': { url: '/fabrics/gitea-ok/unmanaged', needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/findings': { url: '/fabrics/gitea-ok/findings', needs: READ, success: [200], bodyLimit: 256 * KB },
  'GET /fabrics/:fabric/findings/summary': {
    url: '/fabrics/gitea-ok/findings/summary',
    needs: READ,
    success: [200],
    bodyLimit: 256 * KB,
  },
  'GET /fabrics/:fabric/findings/export': {
    url: '/fabrics/gitea-ok/findings/export',
    needs: READ,
    success: [200],
    bodyLimit: 256 * KB,
  },
  'GET /runs/:id/findings': { url: '/runs/RUN_ID/findings', needs: READ, success: [200], bodyLimit: 256 * KB },
  'POST /validate': {
    url: '/validate',
    body: { files: [{ path: 'raw/a.yaml', content: sg('validate-me') }] },
    needs: READ,
    success: [200],
    bodyLimit: 16 * MB,
  },
  'POST /webhooks/github': { url: '/webhooks/github', needs: 'signature', success: [200], bodyLimit: 5 * MB },
};

/** The routes registered on the plugin's express router, as "METHOD /path". */
function registeredRoutes(): string[] {
  const router = createRouter({ service: {} as any, store: {} as any, httpAuth: {} as any, permissions: {} as any, auditor: {} as any, logger: {} as any });
  const out: string[] = [];
  for (const layer of (router as any).stack) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (method !== '_all') out.push(`${method.toUpperCase()} ${layer.route.path}`);
    }
  }
  return out;
}

const concrete = (spec: RouteSpec) => spec.url.replace('RUN_ID', runs.get('gitea-ok')?.id ?? 'x');

function call(key: string, spec: RouteSpec, user?: string, body?: unknown, signatureSecret?: string) {
  const method = key.split(' ')[0].toLowerCase() as 'get' | 'post';
  let req = request(backend.server)[method](`/api/hedgehog${concrete(spec)}`);
  if (user) req = req.set('Authorization', authHeader(user));
  if (spec.needs === 'signature') {
    const raw = Buffer.from(JSON.stringify(body ?? { zen: 'hi', hook_id: 2 }));
    req = req
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'ping')
      .set('X-GitHub-Delivery', crypto.randomUUID());
    if (signatureSecret) {
      req = req.set('X-Hub-Signature-256', `sha256=${crypto.createHmac('sha256', signatureSecret).update(raw).digest('hex')}`);
    }
    return req.send(raw.toString('utf8'));
  }
  return body === undefined ? req : req.send(body as object);
}

describe('section 2: every route × {no credentials, without the permission, with it}', () => {
  const registered = registeredRoutes();

  it(
    'the table covers every route registered on the router (and nothing else)',
    summary.track('route table complete', async () => {
      expect(registered.length).toBeGreaterThan(5);
      expect(registered.filter(r => !(r in ROUTES))).toEqual([]);
      expect(Object.keys(ROUTES).filter(r => !registered.includes(r))).toEqual([]);
    }),
  );

  for (const key of registered.filter(r => r in ROUTES)) {
    const spec = ROUTES[key];
    it(
      `${key}: 401 without credentials, 403 without ${spec.needs}, success with it`,
      summary.track(`route ${key}`, async () => {
        const none = record(await call(key, spec, undefined, spec.body));
        expect([key, 'none', none.status]).toEqual([key, 'none', 401]);
        if (spec.needs === 'signature') {
          // a signed-in user is not GitHub: without the secret's signature it is refused
          const user = record(await call(key, spec, 'user:default/operator', undefined));
          expect([key, 'user', user.status]).toEqual([key, 'user', 401]);
          const wrong = record(await call(key, spec, undefined, undefined, 'not-the-secret'));
          expect([key, 'wrong signature', wrong.status]).toEqual([key, 'wrong signature', 401]);
          const ok = record(await call(key, spec, undefined, undefined, CANARY));
          expect([key, 'signed', ok.status]).toEqual([key, 'signed', 200]);
          return;
        }
        const without = record(await call(key, spec, `user:default/but-${spec.needs}`, spec.body));
        expect([key, 'without', without.status]).toEqual([key, 'without', 403]);
        expect(without.body.error?.message).toContain(spec.needs);
        const withIt = record(await call(key, spec, `user:default/only-${spec.needs}`, spec.body));
        if (spec.success === 'authorized') {
          expect([key, 'with', withIt.status]).toEqual([key, 'with', expect.any(Number)]);
          expect([401, 403].includes(withIt.status) || withIt.status >= 500).toBe(false);
          // eslint-disable-next-line no-console
          console.log(`[reliability] ${key} with ${spec.needs}: ${withIt.status} ${withIt.status >= 400 ? withIt.body?.error?.message : ''}`);
        } else {
          expect([key, 'with', spec.success.includes(withIt.status) ? 'ok' : `${withIt.status} ${withIt.text}`]).toEqual([key, 'with', 'ok']);
        }
      }),
    );
  }

  it(
    'every route refuses a body over its limit with 413 (and never reads it into a 5xx)',
    summary.track('body size limits', async () => {
      for (const key of registered.filter(r => r in ROUTES)) {
        const spec = ROUTES[key];
        const size = spec.bodyLimit + 64 * KB;
        const big = { files: [{ path: 'raw/big.yaml', content: 'x'.repeat(size) }] };
        const method = key.split(' ')[0].toLowerCase() as 'get' | 'post';
        const res = await request(backend.server)
          [method](`/api/hedgehog${concrete(spec)}`)
          .set('Authorization', authHeader('user:default/operator'))
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(big));
        record(res);
        expect([key, res.status]).toEqual([key, 413]);
      }
      // /validate also bounds the content it parses (5 MB), below the body limit
      const many = { files: Array.from({ length: 6 }, (_, i) => ({ path: `raw/${i}.yaml`, content: 'y'.repeat(MB) })) };
      const res = record(await backend.post('/validate', many));
      expect(res.status).toBe(400);
    }),
  );

  const BAD_NAMES = [
    '..',
    '..%2F..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    '%2e%2e%2f%2e%2e%2fetc',
    '..%5C..%5Cwindows',
    'UPPER',
    'under_score',
    'has%20space',
    'a'.repeat(300),
    'x%00y',
    '%E2%80%AEevil',
    '-leading-dash',
    'repos',
  ];

  it(
    'path parameters that are not valid names are rejected (no path traversal)',
    summary.track('path parameters validated', async () => {
      let tried = 0;
      for (const key of registered.filter(r => r in ROUTES && r.includes('/:'))) {
        const spec = ROUTES[key];
        const template = key.split(' ')[1];
        const params = template.split('/').filter(s => s.startsWith(':'));
        const good = concrete(spec).split('/');
        for (const param of params) {
          const index = template.split('/').indexOf(param);
          for (const bad of BAD_NAMES) {
            if (param === ':fabric' && bad === 'repos') continue; // a valid label: 404
            const parts = [...good];
            parts[index] = bad;
            const method = key.split(' ')[0].toLowerCase() as 'get' | 'post';
            const res = record(
              await request(backend.server)
                [method](`/api/hedgehog${parts.join('/')}`)
                .set('Authorization', authHeader('user:default/operator'))
                .send(spec.body as object),
            );
            tried++;
            expect([key, param, bad, res.status < 500 && res.status >= 400]).toEqual([key, param, bad, true]);
            expect(res.text).not.toMatch(/root:x:0:0|\[core\]|BEGIN .*PRIVATE KEY/);
          }
        }
      }
      expect(tried).toBeGreaterThan(50);
      // nothing under the working directory was created or touched by those requests
      const work = path.join(root, 'work');
      const entries = await fs.readdir(work);
      expect(entries.sort()).toEqual(expect.arrayContaining(['repos']));
      // probes/: where POST /fabrics/probe made its throw-away clones, each removed after its probe
      expect(entries.filter(e => !(e === 'repos' || e === 'probes' || e.startsWith('askpass-')))).toEqual([]);
      if (entries.includes('probes')) expect(await fs.readdir(path.join(work, 'probes'))).toEqual([]);
    }),
  );

  it(
    'no response of this file held the canary',
    summary.track('canary not in route-table responses', async () => {
      expect(responses.filter(r => r.includes(CANARY))).toEqual([]);
      expect(logs.filter(l => l.includes(CANARY))).toEqual([]);
    }),
  );
});
