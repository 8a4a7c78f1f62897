import { TestDatabases } from '@backstage/backend-test-utils';
import { commitCount, createBareRepo, pushFiles, remoteHead } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { GitWorkspace } from '../git/GitWorkspace';
import { createTestService, testFabric } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const group = (name: string) => `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${name}\nspec: {}\n`;
const TTL = 2000;

/** Runs of a replica that is overtaken: the real service, store (SQLite) and Git; another replica is played by the test. */
describe('a sync that is overtaken', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-lostlock-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  async function setup(name: string) {
    const repo = await createBareRepo(path.join(root, `${name}.git`));
    const url = `file://${repo}`;
    await pushFiles(url, { 'fabrics/lab/raw/groups.yaml': [group('g1'), group('g2')].join('---\n') });
    const knex = await databases.init('SQLITE_3');
    const env = await createTestService({ knex, fabrics: [testFabric(url)], lockTtlMs: TTL });
    return { repo, knex, env };
  }

  it("stops at the next stage once another replica holds the fabric's lock: no push, no import, the fabric's status left alone", async () => {
    const { repo, knex, env } = await setup('taken');
    try {
      const readBlobs = GitWorkspace.prototype.readBlobs;
      jest.spyOn(GitWorkspace.prototype, 'readBlobs').mockImplementation(async function takenOver(this: GitWorkspace, ids: string[], maxBytes: number) {
        // while the run plans, another replica takes the lock (as after a stall), and a heartbeat finds it taken
        await knex('hedgehog_fabrics').where({ name: 'lab' }).update({ lock_owner: 'other-replica', lock_expires_at: Date.now() + 60_000 });
        await new Promise(r => setTimeout(r, TTL / 2));
        return readBlobs.call(this, ids, maxBytes);
      });
      const run = await env.sync();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(
        /^the run lost the lock of fabric lab \(another backend replica holds it now\) and stopped before the ingest stage: it writes nothing more/,
      );
      expect(run.stages.map(s => `${s.name}:${s.status}`)).toEqual(['fetch:succeeded', 'plan:succeeded']);
      expect(await commitCount(repo)).toBe(1);
      const state = await env.store.getFabricState('lab');
      expect(state).toMatchObject({ status: 'never_synced', importGeneration: 0 });
      expect(state?.error).toBeUndefined();
      expect(env.logs.some(l => /this replica lost the lock of fabric lab/.test(l))).toBe(true);
    } finally {
      await env.cleanup();
    }
  });

  it("refuses its import when another run imported since it planned, and leaves that run's commit and the fabric's status", async () => {
    const { repo, env } = await setup('overtaken');
    try {
      const push = GitWorkspace.prototype.push;
      let other: string | undefined;
      jest.spyOn(GitWorkspace.prototype, 'push').mockImplementation(async function overtaken(this: GitWorkspace, commit: string) {
        const pushed = await push.call(this, commit);
        // another replica's run imports (the same commit here) before this run's import
        other = commit;
        await env.store.importState('lab', { commit, resources: [], unmanaged: [], counts: {}, incomplete: {} });
        await env.store.updateFabricState('lab', { status: 'in_sync' });
        return pushed;
      });
      const run = await env.sync();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^the import of commit [0-9a-f]{12} into fabric lab was refused: another run imported since this run planned \(import 1, this run planned after import 0\)/);
      expect(run.stages.find(s => s.name === 'import')?.status).toBe('failed');
      expect(other).toBe(await remoteHead(repo));
      const state = await env.store.getFabricState('lab');
      expect(state).toMatchObject({ lastSyncedCommit: other, importGeneration: 1, status: 'in_sync', counts: {} });
      expect(state?.error).toBeUndefined();
    } finally {
      await env.cleanup();
    }
  });
});
