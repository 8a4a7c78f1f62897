/*
 * Section 8 — a run that loses its lock writes nothing more. Three backend
 * processes (lib/childBackend.ts: real service, router and Backstage scheduler)
 * on one PostgreSQL database. Two of them stall in the middle of a sync for
 * longer than the lock's time to live — the event loop blocked, as in a long GC
 * pause or a frozen VM, so no heartbeat renews the lock — and then go on:
 *
 *  - late import: A1 stalls right after pushing its ingest commit, before its
 *    import. The user pushes a new raw file; replica B takes the expired lock,
 *    closes A1's run, ingests the new file and imports the newer commit. When A1
 *    goes on, it must not import its older commit over B's.
 *  - late push: A2 stalls while planning, before any push. B takes over and
 *    syncs. When A2 goes on, it stops at its next stage boundary: no push
 *    (no request to the remote's receive-pack), no import.
 *
 * In both, the stalled run ends failed saying it lost the fabric's lock, the
 * fabric's state stays what B's run left, and its last synced commit is the
 * branch's head.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { createBareRepo, GitHttpServer, pushFiles, remoteHead, startGitHttpServer } from '../servers';
import { Child, postToChild, spawnChild, stopChildren } from './lib/children';
import { sg } from './lib/corpus';
import { commits, fabricTree } from './lib/repo';
import { ScratchDatabase, createScratchDatabase } from './lib/scratchDatabase';
import { SectionSummary } from './lib/summary';

jest.setTimeout(240_000);

const summary = new SectionSummary('section 20.8 (a run that lost its lock writes nothing more)');
const TTL = 3000;
const TERMINAL = ['succeeded', 'partial', 'failed'];
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

let root: string;
let scratch: ScratchDatabase;
let db: Knex;
let server: GitHttpServer;
const children: Child[] = [];

interface Case {
  fabric: string;
  repo: string;
  /** B's run, A's run, as the database holds them at the end. */
  late?: any;
  takeover?: any;
  fabricRow?: any;
  /** receive-pack requests to the repository after A was released. */
  pushesAfterRelease?: number;
  /** A's output after it was released. */
  linesAfterRelease?: string[];
}
const lateImport: Case = { fabric: 'lab1', repo: '' };
const latePush: Case = { fabric: 'lab2', repo: '' };

async function waitForRun(id: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const row = await db('hedgehog_runs').where({ id }).first();
    if (TERMINAL.includes(row?.status) || Date.now() > until) return row;
    await sleep(50);
  }
}

const receivePacks = (repoName: string) => server.log.filter(r => r.url.includes(`/${repoName}/`) && r.url.includes('receive-pack')).length;

/**
 * A syncs the case's fabric and stalls at `killAt`; `meanwhile` runs (the user's
 * push); B syncs the fabric once the lock expired; A is released and finishes.
 */
async function stallAndTakeOver(c: Case, a: Child, portA: number, portB: number, releaseFile: string, killAt: string, meanwhile?: () => Promise<void>) {
  const first = await postToChild(portA, `/api/hedgehog/fabrics/${c.fabric}/sync`);
  if (first.status !== 202) throw new Error(`POST sync to A -> ${first.status}`);
  await a.waitFor(new RegExp(`^POINT ${killAt}`), 60_000);
  await meanwhile?.();
  const second = await postToChild(portB, `/api/hedgehog/fabrics/${c.fabric}/sync`);
  if (second.status !== 202 || second.body.runId === first.body.runId) throw new Error(`POST sync to B -> ${second.status} ${JSON.stringify(second.body)}`);
  // B takes the lock once A's has expired (A renews nothing while it stalls), closes A's run and syncs
  c.takeover = await waitForRun(second.body.runId);
  const repoName = path.basename(c.repo);
  const pushesBefore = receivePacks(repoName);
  const linesBefore = a.lines.length;
  await fs.writeFile(releaseFile, '');
  await a.waitFor(/^RELEASED/, 10_000);
  // A goes on until its run ends (the log line of RunExecutor), then a moment for anything after it
  await a.waitFor(new RegExp(`hedgehog: sync ${first.body.runId} of ${c.fabric} (succeeded|partial|failed)`), 60_000);
  await sleep(1000);
  c.linesAfterRelease = a.lines.slice(linesBefore);
  c.pushesAfterRelease = receivePacks(repoName) - pushesBefore;
  c.late = await db('hedgehog_runs').where({ id: first.body.runId }).first();
  c.fabricRow = await db('hedgehog_fabrics').where({ name: c.fabric }).first();
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-lostlock-'));
  scratch = await createScratchDatabase('hedgehog_rel_lostlock');
  db = scratch.db;
  server = await startGitHttpServer({ projectRoot: root });
  for (const c of [lateImport, latePush]) {
    c.repo = await createBareRepo(path.join(root, `${c.fabric}.git`));
    await pushFiles(`file://${c.repo}`, {
      'fabric/raw/groups.yaml': Array.from({ length: 10 }, (_, i) => sg(`group-${i}`)).join('---\n'),
    }, { message: 'user: add the fabric' });
  }
  const fabric = (c: Case) => ({ name: c.fabric, url: server.url(`${c.fabric}.git`) });
  const common = { action: 'serve' as const, db: { pg: scratch.url }, lockTtlMs: TTL };
  // A1 migrates the database first; the others start on the migrated one.
  const a1 = spawnChild({ ...common, fabrics: [fabric(lateImport)], workingDirectory: path.join(root, 'work-a1'), killAt: 'push:after', releaseFile: path.join(root, 'release-a1') });
  children.push(a1);
  const portA1 = Number((await a1.waitFor(/^LISTENING \d+/, 90_000)).split(' ')[1]);
  const a2 = spawnChild({ ...common, fabrics: [fabric(latePush)], workingDirectory: path.join(root, 'work-a2'), killAt: 'plan:readBlobs', releaseFile: path.join(root, 'release-a2') });
  const b = spawnChild({ ...common, fabrics: [fabric(lateImport), fabric(latePush)], workingDirectory: path.join(root, 'work-b') });
  children.push(a2, b);
  const portA2 = Number((await a2.waitFor(/^LISTENING \d+/, 90_000)).split(' ')[1]);
  const portB = Number((await b.waitFor(/^LISTENING \d+/, 90_000)).split(' ')[1]);

  await stallAndTakeOver(lateImport, a1, portA1, portB, path.join(root, 'release-a1'), 'push:after', async () => {
    // the user adds a file after A1's ingest commit: B's commit will be the newer one
    await pushFiles(`file://${lateImport.repo}`, { 'fabric/raw/late.yaml': sg('late') }, { message: 'user: a later file' });
  });
  await stallAndTakeOver(latePush, a2, portA2, portB, path.join(root, 'release-a2'), 'plan:readBlobs');
});

afterAll(async () => {
  await stopChildren(children);
  await scratch?.drop();
  await server?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

async function expectLostLock(c: Case) {
  const head = await remoteHead(c.repo);
  // eslint-disable-next-line no-console
  console.log(
    `[reliability] section 8 ${c.fabric}: stalled run ${c.late?.status} (${c.late?.error}); takeover ${c.takeover?.status}; ` +
      `last synced commit ${c.fabricRow?.last_synced_commit === head ? 'is' : 'is NOT'} the head, import generation ${c.fabricRow?.import_generation}, ` +
      `${c.pushesAfterRelease} push request(s) after the stall`,
  );
  expect(c.takeover.status).toBe('succeeded');
  expect(c.late.status).toBe('failed');
  expect(c.late.error).toMatch(/lost the lock of fabric/);
  // the stalled run did not write the fabric's state over B's
  expect(c.fabricRow.status).toBe('in_sync');
  expect(c.fabricRow.error).toBeNull();
}

describe('section 8: a run that lost its lock', () => {
  it(
    'late import: the stalled run does not import its older commit over the newer one',
    summary.track('late import refused', async () => {
      const { repo } = lateImport;
      await expectLostLock(lateImport);
      const list = await commits(repo);
      // user, A1's ingest, the user's later file, B's ingest of it
      expect(list).toHaveLength(4);
      expect(lateImport.fabricRow.last_synced_commit).toBe(await remoteHead(repo));
      expect(lateImport.takeover.commit_after).toBe(list[3]);
      // one import: B's (A1's would have been a second)
      expect(Number(lateImport.fabricRow.import_generation)).toBe(1);
      const tree = await fabricTree(repo, 'fabric');
      const managed = [...tree.keys()].filter(p => p.startsWith('managed/') && p.endsWith('.yaml')).sort();
      const rows = await db('hedgehog_resources').where({ fabric: 'lab1' }).select('git_path', 'blob_id');
      expect(rows.map(r => [r.git_path, r.blob_id]).sort()).toEqual(managed.map(p => [p, tree.get(p)!.blobId]));
      expect(managed).toContain('managed/switchgroups/late.yaml');
      // the stalled run stopped before its import stage
      const stages = JSON.parse(lateImport.late.stages).map((s: any) => s.name);
      expect(stages).not.toContain('import');
    }),
  );

  it(
    'late push: the stalled run stops at its next stage boundary, pushes nothing and imports nothing',
    summary.track('late push stopped', async () => {
      const { repo } = latePush;
      await expectLostLock(latePush);
      expect(latePush.pushesAfterRelease).toBe(0);
      const list = await commits(repo);
      expect(list).toHaveLength(2);
      expect(latePush.fabricRow.last_synced_commit).toBe(list[1]);
      expect(Number(latePush.fabricRow.import_generation)).toBe(1);
      const stages = JSON.parse(latePush.late.stages).map((s: any) => s.name);
      expect(stages).toEqual(['fetch', 'plan']);
      expect(latePush.linesAfterRelease!.some(l => /lost the lock of fabric lab2/.test(l))).toBe(true);
    }),
  );
});
