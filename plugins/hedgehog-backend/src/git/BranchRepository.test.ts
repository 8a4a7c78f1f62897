import { createBareRepo, pushFiles, runGit } from '@internal/fabric-gitops-test';
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { removeAskpassHelpers } from './askpass';
import { BranchRepository } from './BranchRepository';

describe('BranchRepository: fetched pull request heads are scratch refs', () => {
  let root: string;
  let url: string;
  let remote: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-branchrepo-'));
    remote = await createBareRepo(path.join(root, 'remote.git'));
    url = `file://${remote}`;
    await pushFiles(url, { 'fabric/raw/a.yaml': 'a: 1\n' });
    const feature = await pushFiles(url, { 'fabric/raw/b.yaml': 'b: 1\n' }, { branch: 'feature' });
    // as GitHub keeps them
    for (const n of [1, 2]) await runGit([`--git-dir=${remote}`, 'update-ref', `refs/pull/${n}/head`, feature]);
  });

  afterAll(async () => {
    await removeAskpassHelpers();
    await fs.rm(root, { recursive: true, force: true });
  });

  const options = (cacheDir: string) => ({
    cacheDir,
    url,
    author: { name: 'Test', email: 'test@example.com' },
    timeoutMs: 30_000,
  });
  const cacheOf = (cacheDir: string) =>
    path.join(cacheDir, 'branches', `${createHash('sha256').update(url).digest('hex').slice(0, 16)}.git`);
  /** The refs the cache keeps of its own (refs/hedgehog/). */
  const refsIn = async (cacheDir: string) =>
    (await runGit([`--git-dir=${cacheOf(cacheDir)}`, 'for-each-ref', '--format=%(refname)', 'refs/hedgehog/']))
      .stdout.toString('utf8')
      .split('\n')
      .filter(Boolean);

  it('deletes the pull request heads a use fetched when it ends, also when it fails; branches stay', async () => {
    const cacheDir = path.join(root, 'work-a');
    const head = await BranchRepository.use(options(cacheDir), async repo => {
      const fetched = await repo.fetch(['refs/pull/1/head', 'refs/heads/main']);
      expect(await refsIn(cacheDir)).toEqual(expect.arrayContaining(['refs/hedgehog/pull/1/head', 'refs/hedgehog/heads/main']));
      return fetched.get('refs/pull/1/head')!;
    });
    expect(await refsIn(cacheDir)).toEqual(['refs/hedgehog/heads/main']);
    // the objects are still there for the next use (a re-fetch sends nothing)
    await BranchRepository.use(options(cacheDir), async repo => expect(await repo.has(head)).toBe(true));

    // a pull request's branch fetched as its head is a scratch ref too
    await BranchRepository.use(options(cacheDir), async repo => {
      await repo.fetch(['refs/heads/feature'], { scratch: ['refs/heads/feature'] });
      expect(await refsIn(cacheDir)).toContain('refs/hedgehog/pull/heads/feature');
    });
    expect(await refsIn(cacheDir)).toEqual(['refs/hedgehog/heads/main']);

    await expect(
      BranchRepository.use(options(cacheDir), async repo => {
        await repo.fetch(['refs/pull/2/head']);
        throw new Error('validation failed');
      }),
    ).rejects.toThrow('validation failed');
    expect(await refsIn(cacheDir)).toEqual(['refs/hedgehog/heads/main']);
  });

  it('prunes pull request heads an earlier process left behind', async () => {
    const cacheDir = path.join(root, 'work-b');
    // a cache as a backend killed during a validation left it
    await BranchRepository.use(options(cacheDir), async repo => repo.fetch(['refs/heads/main']));
    const main = (await runGit([`--git-dir=${cacheOf(cacheDir)}`, 'rev-parse', 'refs/hedgehog/heads/main'])).stdout.toString().trim();
    const other = path.join(root, 'work-c');
    await fs.cp(cacheDir, other, { recursive: true });
    for (const n of [7, 8]) await runGit([`--git-dir=${cacheOf(other)}`, 'update-ref', `refs/hedgehog/pull/${n}/head`, main]);
    expect(await refsIn(other)).toHaveLength(3);
    await BranchRepository.use(options(other), async () => undefined);
    expect(await refsIn(other)).toEqual(['refs/hedgehog/heads/main']);
  });
});
