/*
 * Section 4b — a queued run whose lock holder died. Two backend processes
 * (lib/childBackend.ts: real service, router and Backstage scheduler) on one
 * PostgreSQL database. Replica A takes a sync and freezes in the middle of it
 * (kill point plan:readBlobs) holding the fabric's lock; a request to replica B
 * queues a run behind it (B finds the lock taken). A is killed with SIGKILL,
 * together with its git children. Without any new request, B closes A's
 * interrupted run and runs the queued one, within the lock's time to live plus
 * a bound; the remote gets exactly one ingest commit.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { createBareRepo, GitHttpServer, pushFiles, startGitHttpServer } from '../servers';
import { Child, postToChild, spawnChild, stopChildren } from './lib/children';
import { sg } from './lib/corpus';
import { commits } from './lib/repo';
import { ScratchDatabase, createScratchDatabase } from './lib/scratchDatabase';
import { SectionSummary } from './lib/summary';

jest.setTimeout(180_000);

const summary = new SectionSummary("section 4b (concurrency: a dead lock holder's queued run is resumed)");
const TTL = 4000;
/** After the lock expires: one resume interval (TTL / 4) plus the time to claim and start the run. */
const BOUND = 3000;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

let root: string;
let scratch: ScratchDatabase;
let db: Knex;
let server: GitHttpServer;
let repo: string;
let a: Child;
let b: Child;
const outcome = {
  first: undefined as any,
  queued: undefined as any,
  killedAt: 0,
  samples: 0,
  maxRunning: 0,
  requestsAfterKill: 0,
};

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-takeover-'));
  scratch = await createScratchDatabase('hedgehog_rel_takeover');
  db = scratch.db;
  server = await startGitHttpServer({ projectRoot: root });
  repo = await createBareRepo(path.join(root, 'fabric.git'));
  await pushFiles(`file://${repo}`, {
    'fabric/raw/groups.yaml': Array.from({ length: 20 }, (_, i) => sg(`group-${i}`)).join('---\n'),
  });
  const common = {
    action: 'serve' as const,
    db: { pg: scratch.url },
    fabrics: [{ name: 'lab', url: server.url('fabric.git') }],
    lockTtlMs: TTL,
  };
  // A migrates first; B starts on the migrated database.
  a = spawnChild({ ...common, workingDirectory: path.join(root, 'work-a'), killAt: 'plan:readBlobs' });
  const portA = Number((await a.waitFor(/^LISTENING \d+/, 90_000)).split(' ')[1]);
  b = spawnChild({ ...common, workingDirectory: path.join(root, 'work-b') });
  const portB = Number((await b.waitFor(/^LISTENING \d+/, 90_000)).split(' ')[1]);

  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const running = await db('hedgehog_runs').where({ fabric: 'lab', status: 'running' }).count({ n: '*' });
      outcome.samples++;
      outcome.maxRunning = Math.max(outcome.maxRunning, Number(running[0].n));
      await sleep(20);
    }
  })();
  try {
    // A runs the sync and freezes holding the lock
    const first = await postToChild(portA, '/api/hedgehog/fabrics/lab/sync');
    if (first.status !== 202) throw new Error(`POST sync to A -> ${first.status}`);
    await a.waitFor(/^POINT plan:readBlobs/, 60_000);
    // a request to B queues a run behind it: B cannot take the lock
    const second = await postToChild(portB, '/api/hedgehog/fabrics/lab/sync');
    if (second.status !== 202 || second.body.runId === first.body.runId) throw new Error(`POST sync to B -> ${second.status} ${JSON.stringify(second.body)}`);
    await sleep(500);
    const queued = await db('hedgehog_runs').where({ id: second.body.runId }).first();
    if (queued.status !== 'queued') throw new Error(`the second run is ${queued.status}, not queued behind A's`);
    // A dies (with its git children); nobody sends another request
    a.kill(true);
    outcome.killedAt = Date.now();
    await a.exited;
    const deadline = outcome.killedAt + TTL + BOUND + 60_000;
    for (;;) {
      const row = await db('hedgehog_runs').where({ id: second.body.runId }).first();
      if (['succeeded', 'partial', 'failed'].includes(row.status)) break;
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    outcome.first = await db('hedgehog_runs').where({ id: first.body.runId }).first();
    outcome.queued = await db('hedgehog_runs').where({ id: second.body.runId }).first();
    outcome.requestsAfterKill = Number((await db('hedgehog_runs').where({ fabric: 'lab' }).count({ n: '*' }))[0].n) - 2;
  } finally {
    sampling = false;
    await sampler;
  }
});

afterAll(async () => {
  await stopChildren([a, b]);
  await scratch?.drop();
  await server?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe("section 4b: the queued run of a dead lock holder's fabric", () => {
  it(
    'the surviving replica ran the queued run without a new request, within the lock TTL plus a bound',
    summary.track('queued run resumed after SIGKILL of the lock holder', async () => {
      const { queued, killedAt } = outcome;
      const startedAfter = Number(queued.started_at) - killedAt;
      // eslint-disable-next-line no-console
      console.log(`[reliability] section 4b: queued run started ${startedAfter} ms after the SIGKILL (lock TTL ${TTL} ms), ${queued.status}; ${outcome.samples} samples of the runs table`);
      expect(queued.status).toBe('succeeded');
      expect(startedAfter).toBeGreaterThan(0);
      expect(startedAfter).toBeLessThan(TTL + BOUND);
      // no other run appeared: nothing triggered it but the resume
      expect(Number(outcome.requestsAfterKill)).toBe(0);
      expect(queued.trigger).toBe('api');
    }),
  );

  it(
    "the dead holder's run was closed as interrupted before the queued run started",
    summary.track('interrupted run closed first', async () => {
      const { first, queued } = outcome;
      expect(first.status).toBe('failed');
      expect(first.error).toMatch(/interrupted/);
      expect(Number(first.finished_at)).toBeLessThanOrEqual(Number(queued.started_at));
      expect(outcome.samples).toBeGreaterThan(20);
      expect(outcome.maxRunning).toBeLessThanOrEqual(1);
    }),
  );

  it(
    'the remote received exactly one ingest commit and the lock was released',
    summary.track('one commit, lock released', async () => {
      const list = await commits(repo);
      expect(list).toHaveLength(2);
      const state = await db('hedgehog_fabrics').where({ name: 'lab' }).first();
      expect(state.last_synced_commit).toBe(list[1]);
      expect(state.lock_owner).toBeNull();
      expect(b.lines.some(l => /closed 1 interrupted run/.test(l))).toBe(true);
    }),
  );
});
