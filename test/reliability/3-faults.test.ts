/*
 * Section 3 — faults: every run converges.
 *
 *  - SIGKILL: a backend process (lib/childBackend.ts, real service on an SQLite
 *    file) is killed at 20 points of a sync — 13 named points (before/while
 *    fetching, planning, validating, between commit and push, while pushing,
 *    after the push, inside the import transaction, while closing the run) and 7
 *    random moments — half of them together with its git children. A new backend
 *    on the same database and working directory then syncs: the run completes,
 *    the stale run is closed, the remote holds exactly one ingest commit on top
 *    of the user's (fsck clean), and the database matches the repository.
 *  - The remote moves during a run (concurrent pushes): re-plan, retry, keep the
 *    user's commits; a remote that keeps moving ends the run with a clear error.
 *  - The Git remote is down, hangs, hangs only on push, or is slow (a TCP proxy
 *    in front of git http-backend): bounded timeouts, clear errors, no run left
 *    running, the next run succeeds.
 *  - The cluster answers 500, never answers, or drops the connection during an
 *    apply (a fault-injecting HTTPS proxy in front of the real test API server):
 *    per-object errors, the other objects applied, the run partial; the next
 *    apply finishes the job.
 *  - PostgreSQL restarts during a run (a throw-away instance on its own port):
 *    the run fails cleanly and the next one succeeds.
 */
import { KEEP_FILE } from '@fabric-gitops/plugin-hedgehog-common';
import { GitWorkspace } from '@fabric-gitops/plugin-hedgehog-backend/src/git/GitWorkspace';
import { kubeRequest, lockTestCluster, startTestCluster, TestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBareRepo, GitHttpServer, pushFiles, remoteHead, startGitHttpServer } from '../servers';
import { KILL_POINTS } from './lib/childBackend';
import { processesMentioning, runProcessesMentioning, spawnChild } from './lib/children';
import { sg } from './lib/corpus';
import { startKubeProxy } from './lib/kubeProxy';
import { pgAvailable, PgInstance, startPgInstance } from './lib/pgCluster';
import { commitInfo, commits, fabricTree, fsck } from './lib/repo';
import { buildService, BuiltService, fabricDef, postgres, sqliteFile } from './lib/service';
import { SectionSummary } from './lib/summary';
import { startTcpProxy, TcpProxy } from './lib/tcpProxy';

jest.setTimeout(300_000);

const summary = new SectionSummary('section 3 (faults: SIGKILL, moving remote, Git down/slow, cluster faults, database restart)');
const TTL = 1500;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const TERMINAL = ['succeeded', 'partial', 'failed'];
let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-faults-'));
});
afterAll(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true });
});

/** The user's content of every fault case: 30 resources and a file that stays unmanaged. */
const USER_FILES = {
  'fabric/raw/groups.yaml': Array.from({ length: 30 }, (_, i) => sg(`group-${String(i).padStart(2, '0')}`)).join('---\n'),
  'fabric/raw/nested/gateway.yaml': 'apiVersion: gateway.githedgehog.com/v1alpha1\nkind: VPCInfo\nmetadata:\n  name: gw\nspec: {}\n',
};

async function userRepo(name: string) {
  const repo = await createBareRepo(path.join(root, `${name}.git`));
  await pushFiles(`file://${repo}`, USER_FILES, { message: 'user: add the fabric' });
  return repo;
}

/** Runs queued work of a fabric until the run ends (the lock of a dead process expires first). */
async function finish(env: BuiltService, runId: string, timeoutMs = 30_000) {
  const t0 = Date.now();
  for (;;) {
    await env.service.coordinator.drain('lab');
    const run = await env.store.getRun(runId);
    if (run && TERMINAL.includes(run.status)) return run;
    if (Date.now() - t0 > timeoutMs) throw new Error(`run ${runId} still ${run?.status} after ${timeoutMs} ms`);
    await sleep(150);
  }
}

/** The remote and the database agree, and the content of USER_FILES is all there. */
async function expectConverged(env: BuiltService, repo: string, userCommits: number) {
  await fsck(repo);
  const list = await commits(repo);
  // the user's commits, then exactly one ingest commit: no duplicate, no partial one
  expect(list).toHaveLength(userCommits + 1);
  const last = await commitInfo(repo, list[list.length - 1]);
  expect(last.parents).toHaveLength(1);
  const tree = await fabricTree(repo, 'fabric');
  const managed = [...tree.keys()].filter(p => p.startsWith('managed/') && p.endsWith('.yaml')).sort();
  expect(managed).toEqual(Array.from({ length: 30 }, (_, i) => `managed/switchgroups/group-${String(i).padStart(2, '0')}.yaml`));
  expect(tree.has('unmanaged/nested/gateway.yaml')).toBe(true);
  expect(tree.has('unmanaged/nested/gateway.yaml.reason.yaml')).toBe(true);
  expect([...tree.keys()].filter(p => p.startsWith('raw/') && p !== `raw/${KEEP_FILE}`)).toEqual([]);
  // the database matches the repository
  const state = await env.store.getFabricState('lab');
  expect(state?.lastSyncedCommit).toBe(await remoteHead(repo));
  const rows = await env.knex('hedgehog_resources').where({ fabric: 'lab' }).select('git_path', 'blob_id');
  expect(rows.map(r => [r.git_path, r.blob_id]).sort()).toEqual(managed.map(p => [p, tree.get(p)!.blobId]));
  const unmanaged = await env.store.listUnmanaged('lab');
  expect(unmanaged.items.map(u => u.path)).toEqual(['unmanaged/nested/gateway.yaml']);
  // nothing is left queued or running
  expect(await env.knex('hedgehog_runs').whereIn('status', ['queued', 'running']).select('id', 'status')).toEqual([]);
}

// ---- SIGKILL -------------------------------------------------------------------------

type Trial = { name: string; killAt?: string; afterMs?: number; tree: boolean };
const trials: Trial[] = [];
const trialResults = new Map<string, { ok: boolean; error?: string; note: string }>();

async function killTrial(t: Trial, index: number) {
  const dir = path.join(root, `kill-${index}`);
  await fs.mkdir(dir);
  const repo = await userRepo(`kill-${index}`);
  const url = `file://${repo}`;
  const db = path.join(dir, 'db.sqlite');
  const wd = path.join(dir, 'wd');
  const child = spawnChild({ action: 'sync', db: { sqlite: db }, workingDirectory: wd, fabrics: [{ name: 'lab', url }], lockTtlMs: TTL, killAt: t.killAt });
  let note: string;
  if (t.killAt) {
    const line = await child.waitFor(/^(POINT|DONE|FATAL)/, 90_000);
    if (!line.startsWith('POINT')) throw new Error(`the sync never reached ${t.killAt}: ${line}`);
    if (t.killAt.startsWith('~')) await sleep(crypto.randomInt(0, 40));
    child.kill(t.tree);
    note = `killed at ${t.killAt}`;
  } else {
    await child.waitFor(/^READY/, 90_000);
    await sleep(t.afterMs!);
    const done = child.lines.some(l => l.startsWith('DONE'));
    child.kill(t.tree);
    note = done ? `killed ${t.afterMs} ms after start, after the run ended` : `killed ${t.afterMs} ms after start`;
  }
  await child.exited;
  // git processes the kill left behind (when only node was killed) finish on their own
  const t0 = Date.now();
  while (processesMentioning(wd).length > 0) {
    if (Date.now() - t0 > 30_000) throw new Error(`git processes of the killed backend still run: ${processesMentioning(wd)}`);
    await sleep(100);
  }
  const knex = await sqliteFile(db);
  const env = await buildService({ knex, fabrics: [fabricDef('lab', url)], lockTtlMs: TTL, workingDirectory: wd });
  try {
    const killed = await knex('hedgehog_runs').select('id', 'status');
    const { runId } = await env.service.requestSync('lab', 'api');
    const run = await finish(env, runId);
    expect([run.status, run.error]).toEqual(['succeeded', undefined]);
    // the killed run, if it had started, was closed (it did not stay running)
    for (const k of killed) {
      const r = await env.store.getRun(k.id);
      if (r!.id === runId) continue;
      expect([r!.status, r!.error]).toEqual(
        r!.status === 'succeeded' ? ['succeeded', undefined] : ['failed', expect.stringMatching(/interrupted/)],
      );
    }
    await expectConverged(env, repo, 1);
    // the working copy the killed process left still works
    await pushFiles(url, { 'fabric/raw/later.yaml': sg('later') }, { message: 'user: later' });
    const next = await env.sync('lab');
    expect(next.status).toBe('succeeded');
    expect(next.stages.find(s => s.name === 'commit')?.counts.commits).toBe(1);
    return `${note}; ${killed.length ? `stale run ${killed[0].status}` : 'no run recorded yet'}, recovered in ${run.stages.length} stages`;
  } finally {
    await env.close();
    await knex.destroy();
  }
}

describe('section 3: the backend killed with SIGKILL during a sync (20 trials)', () => {
  KILL_POINTS.forEach((p, i) => trials.push({ name: `point ${p}`, killAt: p, tree: i % 2 === 0 }));
  for (let i = 0; trials.length < 20; i++) trials.push({ name: `random moment #${i + 1}`, tree: i % 2 === 1 });

  beforeAll(async () => {
    // A baseline sync in a child process measures how long a sync takes; the
    // random kills are spread over that time.
    const dir = path.join(root, 'baseline');
    await fs.mkdir(dir);
    const repo = await userRepo('baseline');
    const child = spawnChild({ action: 'sync', db: { sqlite: path.join(dir, 'db.sqlite') }, workingDirectory: path.join(dir, 'wd'), fabrics: [{ name: 'lab', url: `file://${repo}` }], lockTtlMs: TTL });
    await child.waitFor(/^READY/, 90_000);
    const t0 = Date.now();
    const done = await child.waitFor(/^DONE/, 90_000);
    const duration = Date.now() - t0;
    // eslint-disable-next-line jest/no-standalone-expect -- the baseline the kill times are drawn from must be a good run
    expect(done).toMatch(/succeeded$/);
    const random = trials.filter(t => !t.killAt);
    random.forEach(t => (t.afterMs = Math.round(crypto.randomInt(0, 1000) / 1000 * duration * 0.95)));
    random.sort((a, b) => a.afterMs! - b.afterMs!);

    let next = 0;
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        while (next < trials.length) {
          const i = next++;
          const t = trials[i];
          try {
            const note = await killTrial(t, i);
            trialResults.set(t.name, { ok: true, note });
          } catch (e) {
            trialResults.set(t.name, { ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e), note: '' });
          }
        }
      }),
    );
  });

  it('ran 20 trials', () => expect(trials).toHaveLength(20));
  for (const t of trials) {
    it(
      `${t.name} (${t.tree ? 'with its git children' : 'node only'}): the next run completes and everything converges`,
      summary.track(`SIGKILL ${t.name}`, async () => {
        const r = trialResults.get(t.name);
        expect(r).toBeDefined();
        if (!r!.ok) throw new Error(r!.error);
        // eslint-disable-next-line no-console
        console.log(`[reliability] SIGKILL ${t.name}: ${r!.note}`);
      }),
    );
  }
});

// ---- the remote moves ----------------------------------------------------------------

describe('section 3: the remote moves during a run', () => {
  let server: GitHttpServer;
  beforeAll(async () => {
    server = await startGitHttpServer({ projectRoot: root });
  });
  afterAll(() => server?.stop());

  async function withEnv(name: string, fn: (env: BuiltService, repo: string, url: string) => Promise<void>) {
    const repo = await userRepo(name);
    const url = server.url(`${name}.git`);
    const knex = await sqliteFile(':memory:');
    const env = await buildService({ knex, fabrics: [fabricDef('lab', url)], lockTtlMs: TTL });
    try {
      await fn(env, repo, url);
    } finally {
      jest.restoreAllMocks();
      await env.close();
      await knex.destroy();
    }
  }

  it(
    'a concurrent push of another raw file: the run re-plans, retries and keeps the user commit',
    summary.track('concurrent push of a new file', () =>
      withEnv('moves-1', async (env, repo, url) => {
        const push = GitWorkspace.prototype.push;
        let raced = 0;
        jest.spyOn(GitWorkspace.prototype, 'push').mockImplementation(async function pushAfterUserPush(this: GitWorkspace, commit: string) {
          if (raced++ === 0) await pushFiles(url, { 'fabric/raw/concurrent.yaml': sg('concurrent') }, { message: 'user: concurrent' });
          return push.call(this, commit);
        });
        const run = await env.sync('lab');
        expect(run.status).toBe('succeeded');
        expect(run.stages.find(s => s.name === 'commit')?.counts).toMatchObject({ commits: 1, attempts: 2 });
        const list = await commits(repo);
        expect(list).toHaveLength(3);
        expect((await commitInfo(repo, list[1])).subject).toBe('user: concurrent');
        const tree = await fabricTree(repo, 'fabric');
        expect(tree.has('managed/switchgroups/concurrent.yaml')).toBe(true);
        expect(tree.has('raw/concurrent.yaml')).toBe(false);
        expect((await env.store.getFabricState('lab'))?.lastSyncedCommit).toBe(list[2]);
      }),
    ),
  );

  it(
    'a concurrent edit of the same raw file: the new content wins, nothing is lost',
    summary.track('concurrent edit of the raw file', () =>
      withEnv('moves-2', async (env, repo, url) => {
        const push = GitWorkspace.prototype.push;
        let raced = 0;
        const edited = USER_FILES['fabric/raw/groups.yaml'].replace(/team: netops/g, 'team: edited');
        jest.spyOn(GitWorkspace.prototype, 'push').mockImplementation(async function pushAfterUserEdit(this: GitWorkspace, commit: string) {
          if (raced++ === 0) await pushFiles(url, { 'fabric/raw/groups.yaml': edited }, { message: 'user: edit' });
          return push.call(this, commit);
        });
        const run = await env.sync('lab');
        expect(run.status).toBe('succeeded');
        expect(run.stages.find(s => s.name === 'commit')?.counts).toMatchObject({ commits: 1, attempts: 2 });
        expect(await commits(repo)).toHaveLength(3);
        const detail = await env.store.getResource('lab', 'SwitchGroup', 'group-00');
        expect((detail as any).desired.metadata.labels).toEqual({ team: 'edited' });
      }),
    ),
  );

  it(
    'a remote that keeps moving: the run fails after 3 attempts with a clear error, the remote only has user commits, the next run succeeds',
    summary.track('remote keeps moving', () =>
      withEnv('moves-3', async (env, repo, url) => {
        const push = GitWorkspace.prototype.push;
        let n = 0;
        jest.spyOn(GitWorkspace.prototype, 'push').mockImplementation(async function pushWhileRemoteMoves(this: GitWorkspace, commit: string) {
          await pushFiles(url, { [`fabric/notes/${n++}.txt`]: 'busy\n' }, { message: `user: busy ${n}` });
          return push.call(this, commit);
        });
        const run = await env.sync('lab');
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(/the push was rejected 3 times because the branch main kept moving; the remote is unchanged/);
        const list = await commits(repo);
        expect(list).toHaveLength(4);
        for (const c of list) expect((await commitInfo(repo, c)).subject).toMatch(/^user: /);
        jest.restoreAllMocks();
        const next = await env.sync('lab');
        expect(next.status).toBe('succeeded');
        expect(await commits(repo)).toHaveLength(5);
        expect(await env.knex('hedgehog_runs').whereIn('status', ['queued', 'running'])).toEqual([]);
      }),
    ),
  );
});

// ---- Git remote down or slow -----------------------------------------------------------

describe('section 3: the Git remote is down, hangs or is slow', () => {
  let server: GitHttpServer;
  let proxy: TcpProxy;
  const TIMEOUT_MS = 4000;
  beforeAll(async () => {
    server = await startGitHttpServer({ projectRoot: root });
    proxy = await startTcpProxy(server.port, 400);
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });

  async function scenario(name: string, fault: 'down' | 'hang' | 'hang-push', expectError: RegExp, failedStage: string) {
    const repo = await userRepo(name);
    const url = `http://127.0.0.1:${proxy.port}/${name}.git`;
    const knex = await sqliteFile(':memory:');
    const env = await buildService({ knex, fabrics: [fabricDef('lab', url)], lockTtlMs: TTL, timeoutMs: TIMEOUT_MS });
    const before = await commits(repo);
    try {
      await proxy.setMode(fault);
      const t0 = Date.now();
      const run = await env.sync('lab');
      const took = Date.now() - t0;
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(expectError);
      expect(run.stages.find(s => s.status === 'failed')?.name).toBe(failedStage);
      // bounded: the git timeout (4 s) plus the work around it
      expect(took).toBeLessThan(TIMEOUT_MS * 3 + 10_000);
      expect((await env.service.getFabric('lab')).status).toBe('error');
      expect(await env.knex('hedgehog_runs').whereIn('status', ['queued', 'running'])).toEqual([]);
      expect(await commits(repo)).toEqual(before);
      // nothing of the failed run is left running
      expect(runProcessesMentioning(env.workingDirectory)).toEqual([]);
      await proxy.setMode('pass');
      const next = await env.sync('lab');
      expect([next.status, next.error]).toEqual(['succeeded', undefined]);
      await expectConverged(env, repo, 1);
      return took;
    } finally {
      await proxy.setMode('pass');
      await env.close();
      await knex.destroy();
    }
  }

  it(
    'down (connection refused): a clear error at once; the next run succeeds',
    summary.track('Git remote down', async () => {
      const took = await scenario('down', 'down', /fetching branch main of http:\/\/127\.0\.0\.1:\d+\/down\.git failed: .*(Failed to connect|Connection refused|Could not connect)/i, 'fetch');
      expect(took).toBeLessThan(10_000);
    }),
  );

  it(
    'accepts connections and never answers: the fetch times out, the run fails clearly; the next run succeeds',
    summary.track('Git remote hangs', async () => {
      await scenario('hang', 'hang', /timed out after 4 s/, 'fetch');
    }),
  );

  it(
    'hangs only on push: the commit stage times out, the remote is untouched; the next run succeeds',
    summary.track('Git remote hangs on push', async () => {
      await scenario('hang-push', 'hang-push', /timed out after 4 s/, 'commit');
    }),
  );

  it(
    'slow (every connection delayed): the run succeeds',
    summary.track('Git remote slow', async () => {
      const repo = await userRepo('slow');
      const knex = await sqliteFile(':memory:');
      const env = await buildService({ knex, fabrics: [fabricDef('lab', `http://127.0.0.1:${proxy.port}/slow.git`)], lockTtlMs: TTL, timeoutMs: TIMEOUT_MS });
      try {
        await proxy.setMode('slow');
        const before = proxy.connections;
        const run = await env.sync('lab');
        expect([run.status, run.error]).toEqual(['succeeded', undefined]);
        expect(proxy.connections - before).toBeGreaterThan(1);
        await expectConverged(env, repo, 1);
      } finally {
        await proxy.setMode('pass');
        await env.close();
        await knex.destroy();
      }
    }),
  );
});

// ---- cluster faults -----------------------------------------------------------------------

describe('section 3: the cluster fails during apply', () => {
  let cluster: TestCluster;
  const TAG = crypto.randomBytes(3).toString('hex');
  const names = Array.from({ length: 12 }, (_, i) => `fault-${TAG}-${String(i).padStart(2, '0')}`);
  const sgPath = (name = '') => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups${name ? `/${name}` : ''}`;

  // (the first start of the test cluster on a machine builds kube-apiserver: minutes)
  let release: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    // shared with other test files, some of which wipe or count whole kinds
    release = await lockTestCluster();
    cluster = await startTestCluster();
  }, 40 * 60_000);
  afterAll(async () => {
    for (const n of names) await kubeRequest(cluster, 'DELETE', sgPath(n)).catch(() => {});
    await release?.();
  });

  it(
    '500s, a request that never answers and dropped connections: per-object errors, others applied, run partial; the next apply finishes the job',
    summary.track('cluster faults during apply', async () => {
      const repo = await createBareRepo(path.join(root, 'cluster.git'));
      await pushFiles(`file://${repo}`, { 'fabric/raw/groups.yaml': names.map(n => sg(n)).join('---\n') });
      const proxy = await startKubeProxy({ upstream: cluster.url, upstreamCa: Buffer.from(cluster.caData, 'base64').toString('utf8') });
      const faultFor: Record<string, '500' | 'hang' | 'drop'> = {
        [names[1]]: '500',
        [names[4]]: '500',
        [names[2]]: 'hang',
        [names[7]]: 'hang',
        [names[3]]: 'drop',
        [names[10]]: 'drop',
      };
      proxy.setFault(req => (req.method === 'PATCH' ? faultFor[decodeURIComponent(req.url!.split('?')[0].split('/').pop()!)] : undefined));
      const knex = await sqliteFile(':memory:');
      const env = await buildService({
        knex,
        fabrics: [fabricDef('lab', `file://${repo}`, { cluster: 'lab' })],
        clusters: [{ name: 'lab', url: proxy.url, serviceAccountToken: cluster.adminToken, caData: proxy.ca, skipTLSVerify: false, requestTimeoutMs: 3000 }],
        lockTtlMs: TTL,
      });
      try {
        const t0 = Date.now();
        const first = await env.sync('lab', { apply: true });
        const took = Date.now() - t0;
        expect(first.status).toBe('partial');
        const apply = first.stages.find(s => s.name === 'apply')!;
        expect(apply.counts).toMatchObject({ applied: 6, failed: 6 });
        expect(apply.errors.map(e => e.file).sort()).toEqual(Object.keys(faultFor).map(n => `SwitchGroup/${n}`).sort());
        for (const e of apply.errors) expect(e.message).toMatch(/applying SwitchGroup .* on cluster lab .* failed: .+/);
        // bounded: a request that never answers is given up after the request timeout (3 s)
        expect(took).toBeLessThan(30_000);
        expect(apply.errors.filter(e => /no answer within 3 s/.test(e.message))).toHaveLength(2);
        expect(proxy.faults.filter(f => f.fault === 'hang').length).toBeGreaterThanOrEqual(2);
        const statuses = await env.store.listResources('lab', { offset: 0, limit: 100 });
        expect(statuses.items.filter(i => i.applyStatus === 'failed').map(i => i.name).sort()).toEqual(Object.keys(faultFor).sort());
        for (const n of names.filter(x => !(x in faultFor))) expect((await kubeRequest(cluster, 'GET', sgPath(n))).status).toBe(200);
        expect(await env.knex('hedgehog_runs').whereIn('status', ['queued', 'running'])).toEqual([]);

        // the cluster recovers: the next apply finishes the job
        proxy.setFault(undefined);
        const second = await env.clusterRun('apply', 'lab');
        expect([second.status, second.error]).toEqual(['succeeded', undefined]);
        expect(second.stages.find(s => s.name === 'apply')!.counts).toMatchObject({ applied: 6, unchanged: 6, failed: 0 });
        for (const n of names) expect((await kubeRequest(cluster, 'GET', sgPath(n))).status).toBe(200);
        const drift = second.stages.find(s => s.name === 'drift')!;
        expect(drift.counts).toMatchObject({ in_sync: 12 });
      } finally {
        await env.close();
        await knex.destroy();
        await proxy.stop();
      }
    }),
  );

  it(
    'the cluster fails the LISTs of an apply: the apply fails cleanly, drift is unknown; the next apply succeeds',
    summary.track('cluster LIST fails during apply', async () => {
      const repo = await createBareRepo(path.join(root, 'cluster-list.git'));
      await pushFiles(`file://${repo}`, { 'fabric/raw/groups.yaml': names.slice(0, 3).map(n => sg(n)).join('---\n') });
      const proxy = await startKubeProxy({ upstream: cluster.url, upstreamCa: Buffer.from(cluster.caData, 'base64').toString('utf8') });
      proxy.setFault(req => (req.method === 'GET' && /\/switchgroups(\?|$)/.test(req.url!) ? 'drop' : undefined));
      const knex = await sqliteFile(':memory:');
      const env = await buildService({
        knex,
        fabrics: [fabricDef('lab', `file://${repo}`, { cluster: 'lab' })],
        clusters: [{ name: 'lab', url: proxy.url, serviceAccountToken: cluster.adminToken, caData: proxy.ca, skipTLSVerify: false }],
        lockTtlMs: TTL,
      });
      try {
        const first = await env.sync('lab', { apply: true });
        expect(first.status).toMatch(/^(failed|partial)$/);
        expect(first.error ?? first.stages.map(s => s.errors.map(e => e.message).join()).join()).toMatch(/listing switchgroups on cluster lab .* failed/);
        expect(first.stages.find(s => s.name === 'import')?.status).toBe('succeeded');
        expect(await env.knex('hedgehog_runs').whereIn('status', ['queued', 'running'])).toEqual([]);
        proxy.setFault(undefined);
        const second = await env.clusterRun('apply', 'lab');
        expect([second.status, second.error]).toEqual(['succeeded', undefined]);
        expect(second.stages.find(s => s.name === 'drift')!.counts).toMatchObject({ in_sync: 3 });
      } finally {
        await env.close();
        await knex.destroy();
        await proxy.stop();
      }
    }),
  );
});

// ---- PostgreSQL restarts -----------------------------------------------------------------

describe('section 3: the database restarts during a run (PostgreSQL)', () => {
  let pg: PgInstance | undefined;
  beforeAll(async () => {
    if (await pgAvailable()) pg = await startPgInstance();
  });
  afterAll(async () => {
    await pg?.destroy();
  });

  async function pgService(name: string) {
    const admin = await postgres(pg!.connection, { min: 0, max: 1 });
    const db = `rel_${name.replace(/\W/g, '_')}_${crypto.randomBytes(3).toString('hex')}`;
    await admin.raw(`create database ${db}`);
    await admin.destroy();
    const repo = await userRepo(`pg-${name}`);
    const knex = await postgres(pg!.connection.replace(/\/postgres$/, `/${db}`), { min: 0, max: 4 });
    const env = await buildService({ knex, fabrics: [fabricDef('lab', `file://${repo}`)], lockTtlMs: TTL });
    return { env, knex, repo };
  }

  /** The run ends (as failed, or closed as stale when even that write was lost) and the next run succeeds. */
  async function expectRecovery(env: BuiltService, repo: string, runId: string) {
    let run = await env.store.getRun(runId);
    if (run?.status === 'running') {
      await sleep(TTL + 200);
      await env.service.coordinator.sweepStaleRuns();
      run = await env.store.getRun(runId);
    }
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/terminat|connection|interrupted|shut ?down|ECONNRESET|ECONNREFUSED|administrator/i);
    const next = await env.sync('lab');
    expect([next.status, next.error]).toEqual(['succeeded', undefined]);
    await expectConverged(env, repo, 1);
    return run!.error!;
  }

  it.each(['immediate', 'fast'] as const)(
    'restart (%s) inside the import transaction: the run fails cleanly, the next one succeeds',
    mode =>
      summary.track(`PostgreSQL restart (${mode}) during import`, async () => {
        expect(pg).toBeDefined();
        const { env, knex, repo } = await pgService(mode);
        try {
          let restarted = false;
          knex.on('query', (q: { sql: string }) => {
            if (!restarted && /^insert into "hedgehog_resources"/.test(q.sql)) {
              restarted = true;
              pg!.restartSync(mode); // blocks: the query goes out on a dead connection
            }
          });
          const { runId } = await env.service.requestSync('lab', 'api');
          await env.service.coordinator.drain('lab').catch(() => {});
          expect(restarted).toBe(true);
          const error = await expectRecovery(env, repo, runId);
          // eslint-disable-next-line no-console
          console.log(`[reliability] PostgreSQL restart (${mode}): the run failed with: ${error}`);
        } finally {
          await env.close();
          await knex.destroy();
        }
      })(),
  );

  it(
    'stopped between push and import, back 3 s later: the run is closed, the next one succeeds',
    summary.track('PostgreSQL down during a run', async () => {
      expect(pg).toBeDefined();
      const { env, knex, repo } = await pgService('down');
      let back: Promise<void> | undefined;
      try {
        const push = GitWorkspace.prototype.push;
        jest.spyOn(GitWorkspace.prototype, 'push').mockImplementationOnce(async function pushThenStopDatabase(this: GitWorkspace, commit: string) {
          const r = await push.call(this, commit);
          await pg!.stop();
          back = sleep(3000).then(() => pg!.start());
          return r;
        });
        const { runId } = await env.service.requestSync('lab', 'api');
        await env.service.coordinator.drain('lab').catch(() => {});
        jest.restoreAllMocks();
        await back;
        await expectRecovery(env, repo, runId);
      } finally {
        jest.restoreAllMocks();
        await back?.catch(() => {});
        await env.close();
        await knex.destroy();
      }
    }),
  );
});
