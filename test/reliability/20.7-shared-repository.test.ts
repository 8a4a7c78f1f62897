/*
 * Section 7 — fabrics of one repository and branch. Four fabrics live in four
 * folders of one repository (one branch, `git http-backend` on loopback), so
 * the backend keeps one cached clone for all of them. Ten rounds: the user
 * pushes one commit with a new raw file in each fabric's folder, then the four
 * fabrics are synced at the same moment (as their schedules would). Every run
 * succeeds, the branch gets exactly one ingest commit per fabric per round, no
 * run or log line speaks of a ref git could not lock, every fabric's last
 * synced commit holds its own ingested files, and the database matches the
 * repository folder by folder (the object reader and the listings are shared by
 * the clone's fabrics).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { createBareRepo, GitHttpServer, pushFiles, remoteHead, startGitHttpServer } from '../servers';
import { sg } from './lib/corpus';
import { commitInfo, commits, fabricTree, fsck } from './lib/repo';
import { buildService, BuiltService, fabricDef, sqliteFile } from './lib/service';
import { SectionSummary } from './lib/summary';

jest.setTimeout(300_000);

const summary = new SectionSummary('section 20.7 (fabrics of one repository and branch synced at the same time)');
const FABRICS = ['f1', 'f2', 'f3', 'f4'];
const ROUNDS = 10;
const LOCK_FAILURE = /cannot lock ref|unable to update local ref|unable to create '.*\.lock'|lock file .* exists/i;

let root: string;
let server: GitHttpServer;
let repo: string;
let knex: Knex;
let env: BuiltService;
/** The tree id of a fabric's folder at a commit of the remote. */
const folderTree = (commit: string, fabric: string) =>
  execFileSync('git', [`--git-dir=${repo}`, 'rev-parse', `${commit}:fabrics/${fabric}`], { encoding: 'utf8' }).trim();
/** Per round: the runs of each fabric, and the commits the branch got. */
const rounds: Array<{ runs: Array<{ fabric: string; status: string; error?: string; commitAfter?: string }>; before: number; after: number }> = [];

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-shared-'));
  server = await startGitHttpServer({ projectRoot: root });
  repo = await createBareRepo(path.join(root, 'fabrics.git'));
  const url = server.url('fabrics.git');
  await pushFiles(`file://${repo}`, Object.fromEntries(FABRICS.map(f => [`fabrics/${f}/raw/base.yaml`, sg(`${f}-base`)])), {
    message: 'user: four fabrics',
  });
  knex = await sqliteFile(path.join(root, 'db.sqlite'));
  env = await buildService({
    knex,
    fabrics: FABRICS.map(f => fabricDef(f, url, { git: { url, branch: 'main', path: `fabrics/${f}`, writeMode: 'push' } })),
  });
  for (let round = 0; round < ROUNDS; round++) {
    await pushFiles(`file://${repo}`, Object.fromEntries(FABRICS.map(f => [`fabrics/${f}/raw/round-${round}.yaml`, sg(`${f}-r${round}`)])), {
      message: `user: round ${round}`,
    });
    const before = (await commits(repo)).length;
    // the four syncs at the same moment, each draining its fabric's queue
    const service = env;
    const runs = await Promise.all(FABRICS.map(f => service.sync(f)));
    rounds.push({
      runs: runs.map(r => ({ fabric: r.fabric, status: r.status, error: r.error, commitAfter: r.commitAfter })),
      before,
      after: (await commits(repo)).length,
    });
  }
});

afterAll(async () => {
  await env?.close();
  await knex?.destroy();
  await server?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 7: fabrics of one repository and branch', () => {
  it(
    `${ROUNDS} rounds of ${FABRICS.length} concurrent syncs all succeed`,
    summary.track('every run succeeded', async () => {
      const failed = rounds.flatMap((r, i) => r.runs.filter(x => x.status !== 'succeeded').map(x => `round ${i} ${x.fabric}: ${x.status} ${x.error}`));
      // eslint-disable-next-line no-console
      console.log(`[reliability] section 7: ${rounds.length * FABRICS.length} runs, ${failed.length} not succeeded${failed.length ? `:\n${failed.join('\n')}` : ''}`);
      expect(rounds).toHaveLength(ROUNDS);
      expect(failed).toEqual([]);
    }),
  );

  it(
    'no run and no log line reports a ref or lock file git could not take',
    summary.track('no "cannot lock ref"', async () => {
      const errors = rounds.flatMap(r => r.runs.map(x => x.error ?? '')).filter(e => LOCK_FAILURE.test(e));
      expect(errors).toEqual([]);
      expect(env.logs.filter(l => LOCK_FAILURE.test(l))).toEqual([]);
    }),
  );

  it(
    'each round the branch got the user commit and exactly one ingest commit per fabric, each on a single parent',
    summary.track('one commit per fabric per round', async () => {
      expect(rounds.map(r => r.after - r.before)).toEqual(rounds.map(() => FABRICS.length));
      await fsck(repo);
      const list = await commits(repo);
      // the first user commit, then per round: the user's and one per fabric
      expect(list).toHaveLength(1 + ROUNDS * (1 + FABRICS.length));
      for (const id of list.slice(1)) expect((await commitInfo(repo, id)).parents).toHaveLength(1);
    }),
  );

  it(
    "every fabric's folder holds all its resources managed, and the database matches it",
    summary.track('repository and database agree per fabric', async () => {
      const head = await remoteHead(repo);
      for (const f of FABRICS) {
        const tree = await fabricTree(repo, `fabrics/${f}`);
        const managed = [...tree.keys()].filter(p => p.startsWith('managed/') && p.endsWith('.yaml')).sort();
        const names = [`${f}-base`, ...Array.from({ length: ROUNDS }, (_, r) => `${f}-r${r}`)];
        expect(managed).toEqual(names.map(n => `managed/switchgroups/${n}.yaml`).sort());
        expect([...tree.keys()].filter(p => p.startsWith('raw/') && !p.endsWith('.gitkeep'))).toEqual([]);
        const rows = await knex('hedgehog_resources').where({ fabric: f }).select('git_path', 'blob_id');
        expect(rows.map(r => [r.git_path, r.blob_id]).sort()).toEqual(managed.map(p => [p, tree.get(p)!.blobId]));
        const state = await env.store.getFabricState(f);
        // the last synced commit holds this fabric's folder as the branch's head does
        expect(folderTree(state!.lastSyncedCommit!, f)).toBe(folderTree(head, f));
      }
    }),
  );
});
