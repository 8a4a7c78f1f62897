/*
 * Section 4 — concurrency: two backend processes (lib/childBackend.ts, real
 * service, router and Backstage scheduler) on one PostgreSQL database (a fresh
 * database on the local PostgreSQL 15). 10 sync requests go to each of them at
 * the same moment for the same fabric, at the moment the fabric's scheduled
 * sync (a real global task of the Backstage scheduler in both processes) falls
 * due; then 10 more to each while the first run is active. A sampler reads the
 * runs table every few milliseconds meanwhile. At most one run is active per
 * fabric at any time, the extra requests are coalesced into one queued run,
 * every request gets the id of a run that completes, the scheduled sync ran
 * once and is recorded with its trigger, and the remote receives exactly one
 * ingest commit.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { createBareRepo, GitHttpServer, pushFiles, startGitHttpServer } from '../servers';
import { Child, postToChild, spawnChild, stopChildren } from './lib/children';
import { sg } from './lib/corpus';
import { commitInfo, commits, fabricTree } from './lib/repo';
import { ScratchDatabase, createScratchDatabase } from './lib/scratchDatabase';
import { SectionSummary } from './lib/summary';

jest.setTimeout(180_000);

const summary = new SectionSummary('section 4 (concurrency: two backends on one PostgreSQL database)');
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

let root: string;
let scratch: ScratchDatabase;
let db: Knex;
let server: GitHttpServer;
let repo: string;
const children: Child[] = [];
const ports: number[] = [];
const samples = { count: 0, maxRunning: 0, maxQueued: 0, overlaps: [] as string[] };
let responses: Array<{ from: string; status: number; body: any }> = [];
let runs: any[] = [];
let activeAtSecondBurst: string | undefined;
/** Log line of the plugin's scheduled task (scheduleFabrics) when it queues its sync. */
const SCHEDULED = /hedgehog: scheduled sync of fabric lab: (queued run|joined the queued run) (\S+)/;
let scheduledSyncAt: number;
let burstAt: number;
const scheduled: Array<{ line: string; at: number }> = [];
let task: any;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-concurrency-'));
  scratch = await createScratchDatabase('hedgehog_rel_conc');
  db = scratch.db;

  // Every Git request is delayed, so a sync lasts long enough for requests to pile up.
  server = await startGitHttpServer({ projectRoot: root, delayMs: 150 });
  repo = await createBareRepo(path.join(root, 'fabric.git'));
  await pushFiles(`file://${repo}`, {
    'fabric/raw/groups.yaml': Array.from({ length: 40 }, (_, i) => sg(`group-${i}`)).join('---\n'),
  });

  const startAt = Date.now() + 10_000;
  // the scheduled sync falls due in both processes at the moment of the first burst
  scheduledSyncAt = startAt + 15_000;
  for (const name of ['a', 'b']) {
    const child = spawnChild({
      startAt,
      scheduledSyncAt,
      action: 'serve',
      db: { pg: scratch.url },
      workingDirectory: path.join(root, `work-${name}`),
      fabrics: [{ name: 'lab', url: server.url('fabric.git') }],
      lockTtlMs: 5000,
    });
    children.push(child);
  }
  // both start at the same moment on the fresh database, and migrate it at once
  for (const child of children) ports.push(Number((await child.waitFor(/^LISTENING \d+/, 90_000)).split(' ')[1]));
  if (Date.now() > scheduledSyncAt - 500) throw new Error('the backends started too slowly for the scheduled sync to fall due with the burst');
  const fired = children.map(c =>
    c.waitFor(SCHEDULED, 120_000).then(
      line => scheduled.push({ line, at: Date.now() }),
      () => {},
    ),
  );

  // Sample the runs table while the burst is handled.
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rows = await db('hedgehog_runs').where({ fabric: 'lab' }).select('status');
      const running = rows.filter(r => r.status === 'running').length;
      const queued = rows.filter(r => r.status === 'queued').length;
      samples.count++;
      samples.maxRunning = Math.max(samples.maxRunning, running);
      samples.maxQueued = Math.max(samples.maxQueued, queued);
      await sleep(5);
    }
  })();

  try {
    // 10 requests to each backend and the scheduled run on both, all at once
    const burst = (wave: number) => {
      const all: Array<Promise<{ from: string; status: number; body: any }>> = [];
      for (let i = 0; i < 10; i++) {
        for (const [j, port] of ports.entries()) {
          all.push(postToChild(port, '/api/hedgehog/fabrics/lab/sync').then(r => ({ from: `${wave} ${'ab'[j]} api`, ...r })));
        }
      }
      return Promise.all(all);
    };
    await sleep(scheduledSyncAt - Date.now());
    burstAt = Date.now();
    responses = await burst(1);
    // the same again while the first run is active: these must queue (once), not run
    for (let i = 0; ; i++) {
      const running = await db('hedgehog_runs').where({ fabric: 'lab', status: 'running' }).first('id');
      if (running) {
        activeAtSecondBurst = running.id;
        break;
      }
      if (i > 2000) throw new Error('no run started');
      await sleep(5);
    }
    responses.push(...(await burst(2)));
    // then wait until every run has ended
    const t0 = Date.now();
    for (;;) {
      const open = await db('hedgehog_runs').whereIn('status', ['queued', 'running']).count({ n: '*' });
      if (Number(open[0].n) === 0) break;
      if (Date.now() - t0 > 90_000) throw new Error('runs did not end within 90 s');
      await sleep(100);
    }
    // the losing replica's scheduler never fires (global task): give it a moment to prove it
    await Promise.race([Promise.all(fired), sleep(2000)]);
  } finally {
    sampling = false;
    await sampler;
  }
  runs = await db('hedgehog_runs').where({ fabric: 'lab' }).orderBy('started_at', 'asc').select();
  task = await db('backstage_backend_tasks__tasks').where({ id: 'hedgehog-sync:lab' }).first();
});

afterAll(async () => {
  await stopChildren(children);
  await scratch?.drop();
  await server?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 4: two backends, one database, a burst of requests', () => {
  it(
    'every request was accepted with the id of a run that completed',
    summary.track('all requests accepted, all runs completed', async () => {
      expect(responses).toHaveLength(40);
      expect(responses.filter(r => r.status !== 202)).toEqual([]);
      const ids = new Set(responses.map(r => r.body.runId));
      for (const id of ids) expect(runs.find(r => r.id === id)?.status).toBe('succeeded');
      expect(runs.every(r => r.status === 'succeeded')).toBe(true);
      // eslint-disable-next-line no-console
      console.log(
        `[reliability] section 4: 40 requests in two bursts and the scheduled sync -> ${ids.size} run(s) (${runs.map(r => `${r.trigger}:${r.status}`).join(', ')}); ${samples.count} samples of the runs table; scheduler: ${scheduled.map(f => `${f.line.replace(/^.*hedgehog: /, '')} at ${f.at - scheduledSyncAt} ms`).join('; ')}`,
      );
    }),
  );

  it(
    'at most one run was active for the fabric at any time',
    summary.track('at most one active run', async () => {
      expect(samples.count).toBeGreaterThan(20);
      expect(samples.maxRunning).toBeLessThanOrEqual(1);
      for (let i = 1; i < runs.length; i++) {
        expect(Number(runs[i].started_at)).toBeGreaterThanOrEqual(Number(runs[i - 1].finished_at));
      }
    }),
  );

  it(
    'the extra requests were coalesced into one queued run',
    summary.track('extra requests coalesced', async () => {
      expect(samples.maxQueued).toBeLessThanOrEqual(1);
      // the first burst became one run; the second, sent while it ran, one queued run
      // (a third only if a burst outlasted a whole run)
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.length).toBeLessThanOrEqual(3);
      // none of the second burst joined the active run; they share one queued run
      const second = new Set(responses.filter(r => r.from.startsWith('2 ')).map(r => r.body.runId));
      expect(activeAtSecondBurst).toBeDefined();
      expect(second.has(activeAtSecondBurst)).toBe(false);
      expect(second.size).toBeLessThanOrEqual(2);
    }),
  );

  it(
    'the remote received exactly one ingest commit',
    summary.track('no duplicate commits', async () => {
      const list = await commits(repo);
      expect(list).toHaveLength(2);
      expect((await commitInfo(repo, list[1])).parents).toEqual([list[0]]);
      const tree = await fabricTree(repo, 'fabric');
      expect([...tree.keys()].filter(p => p.startsWith('managed/switchgroups/') && p.endsWith('.yaml'))).toHaveLength(40);
      const committed = runs.filter(r => JSON.parse(r.stages).some((s: any) => s.name === 'commit' && s.counts?.commits === 1));
      expect(committed).toHaveLength(1);
      const state = await db('hedgehog_fabrics').where({ name: 'lab' }).first();
      expect(state.last_synced_commit).toBe(list[1]);
      expect(state.lock_owner).toBeNull();
    }),
  );

  it(
    'the scheduled sync fell due with the burst, ran once across both replicas and is recorded with its trigger',
    summary.track('real scheduled run recorded with its trigger', async () => {
      // a global task: one of the two schedulers ran it, once, in the burst's window
      expect(scheduled).toHaveLength(1);
      const [fired] = scheduled;
      expect(fired.at - burstAt).toBeLessThan(5000);
      const [, how, runId] = SCHEDULED.exec(fired.line)!;
      const run = runs.find(r => r.id === runId);
      expect(run?.status).toBe('succeeded');
      // its own run carries the trigger "schedule"; joined, the API run queued first records it as a joined request
      const triggers = [run.trigger, ...JSON.parse(run.coalesced ?? '[]').map((r: { trigger: string }) => r.trigger)];
      expect(triggers.filter(t => t === 'schedule')).toHaveLength(1);
      expect(run.trigger).toBe(how === 'queued run' ? 'schedule' : 'api');
      expect(run.requested_by ?? null).toBe(how === 'queued run' ? null : 'user:default/operator');
      // every request of the bursts is accounted for: a run's own trigger or a joined request
      const served = runs.reduce((n, r) => n + 1 + JSON.parse(r.coalesced ?? '[]').length, 0);
      expect(served).toBe(responses.filter(r => r.status === 202).length + 1);
      // runs come from the API and the schedule only
      expect(new Set(runs.map(r => r.trigger))).toEqual(new Set(['api', ...(how === 'queued run' ? ['schedule'] : [])]));
      // the scheduler recorded the task run as ended without error, next due a frequency later
      expect(task.current_run_ticket).toBeNull();
      expect(task.last_run_ended_at).not.toBeNull();
      expect(task.last_run_error_json).toBeNull();
      expect(new Date(task.next_run_start_at).getTime()).toBeGreaterThan(scheduledSyncAt + 25 * 60_000);
    }),
  );
});
