import { TestDatabases } from '@backstage/backend-test-utils';
import { commitCount, createBareRepo, pushFiles, readRemoteTree, startGitDaemon } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { GitWorkspace } from '../git/GitWorkspace';
import { HedgehogService } from '../service/HedgehogService';
import { createTestService, testFabric } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const samples = path.resolve(__dirname, '../../../../test/fixtures/samples');
const sample = (name: string) => fs.readFile(path.join(samples, name), 'utf8');

/** Resolves once `done()` holds, or after `ms` (then the caller's expectation fails). */
async function until(done: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise(r => setTimeout(r, 10));
}

describe('a pushing sync commits while it validates', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;
  let daemon: Awaited<ReturnType<typeof startGitDaemon>>;
  let repos = 0;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-overlap-it-'));
    daemon = await startGitDaemon(root);
  });
  afterAll(async () => {
    await daemon.stop();
    await fs.rm(root, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  async function setup() {
    const name = `fabric-${++repos}.git`;
    const dir = await createBareRepo(path.join(root, name));
    const url = daemon.url(name);
    await pushFiles(url, { 'fabrics/lab/raw/pre-demo.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml') });
    const env = await createTestService({ knex: await databases.init('SQLITE_3'), fabrics: [testFabric(url)] });
    return { dir, env };
  }

  it('pushes before validation ends, and imports the findings once both are done', async () => {
    const { dir, env } = await setup();
    try {
      let pushed = false;
      let pushedWhileValidating = false;
      let validating = false;
      const push = GitWorkspace.prototype.push;
      jest.spyOn(GitWorkspace.prototype, 'push').mockImplementation(async function (this: GitWorkspace, commit: string) {
        const outcome = await push.call(this, commit);
        pushedWhileValidating = validating;
        pushed = true;
        return outcome;
      });
      const inputs = HedgehogService.prototype.validationInputs;
      // Validation holds until the push is done: were they in sequence, it would wait 5 s for nothing.
      jest.spyOn(HedgehogService.prototype, 'validationInputs').mockImplementation(async function (this: HedgehogService, ...args) {
        validating = true;
        await until(() => pushed, 5_000);
        validating = false;
        return inputs.apply(this, args);
      });
      const run = await env.sync();
      expect(pushedWhileValidating).toBe(true);
      expect(run.status).toBe('succeeded');
      expect(run.stages.map(s => `${s.name}:${s.status}`)).toEqual([
        'fetch:succeeded',
        'plan:succeeded',
        'ingest:succeeded',
        'validate:succeeded',
        'commit:succeeded',
        'import:succeeded',
      ]);
      const stage = (n: string) => run.stages.find(s => s.name === n)!;
      expect(Date.parse(stage('commit').startedAt)).toBeLessThanOrEqual(Date.parse(stage('validate').finishedAt!));
      expect(Date.parse(stage('import').startedAt)).toBeGreaterThanOrEqual(Date.parse(stage('validate').finishedAt!));
      // the findings of the validation reached the imported resources
      const { warnings } = stage('validate').counts;
      expect(warnings).toBeGreaterThan(0);
      const resources = await env.store.listResources('lab', { offset: 0, limit: 1000 });
      expect(resources.items.reduce((n, r) => n + r.warnings, 0)).toBe(warnings);
      expect(await commitCount(dir)).toBe(2);
    } finally {
      await env.cleanup();
    }
  });

  it('fails the run when validation fails, imports nothing, and the next sync imports what was pushed', async () => {
    const { dir, env } = await setup();
    try {
      jest.spyOn(HedgehogService.prototype, 'validationInputs').mockRejectedValueOnce(new Error('validation inputs broke'));
      const run = await env.sync();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/validation inputs broke/);
      expect(run.stages.find(s => s.name === 'validate')?.status).toBe('failed');
      expect(run.stages.find(s => s.name === 'import')).toBeUndefined();
      expect((await env.store.listResources('lab', { offset: 0, limit: 10 })).totalItems).toBe(0);
      // the commit went out beside the failing validation; the next sync has nothing to commit and imports it
      expect(await commitCount(dir)).toBe(2);
      const next = await env.sync();
      expect(next.stages.find(s => s.name === 'commit')?.status).toBe('skipped');
      expect(next.stages.find(s => s.name === 'import')?.status).toBe('succeeded');
      expect((await env.store.listResources('lab', { offset: 0, limit: 10 })).totalItems).toBeGreaterThan(0);
      expect((await readRemoteTree(dir)).has('fabrics/lab/raw/pre-demo.yaml')).toBe(false);
      expect(await commitCount(dir)).toBe(2);
    } finally {
      await env.cleanup();
    }
  });
});
