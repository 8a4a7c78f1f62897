import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { GitWorkspace } from './GitWorkspace';
import { applyTreeChanges } from './treeDiff';

jest.setTimeout(60_000);

const AUTHOR = { name: 'Hedgehog', email: 'hedgehog@example.com' };
const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('GitWorkspace', () => {
  let root: string;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-ws-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function setup(name: string, dirPath: string) {
    const remote = await createBareRepo(path.join(root, `${name}.git`));
    const url = `file://${remote}`;
    const repos = path.join(root, `${name}-cache`, 'repos');
    /** The clone's folder (the only one in the cache), and the cache's folder of clones. */
    const clone = async () => ({ repos, dir: path.join(repos, (await fs.readdir(repos))[0]) });
    const open = () =>
      GitWorkspace.open({ cacheDir: path.join(root, `${name}-cache`), url, branch: 'main', dirPath, author: AUTHOR, timeoutMs: 30_000 });
    return { remote, url, open, clone };
  }

  it.each([
    ['a fabric folder', 'fabrics/f1'],
    ['the repository root', ''],
  ])('lists what changed since a remembered commit as ls-tree lists the new one (%s)', async (_what, dirPath) => {
    const { url, open } = await setup(`since-${dirPath ? 'dir' : 'root'}`, dirPath);
    const at = (p: string) => (dirPath ? `${dirPath}/${p}` : p);
    await pushFiles(url, {
      [at('raw/a.yaml')]: 'a: 1\n',
      [at('raw/b.yaml')]: 'b: 1\n',
      [at('x')]: 'a file that becomes a folder\n',
      [at('managed/vpcs/v1.yaml')]: 'v: 1\n',
      [at('z-ä.yaml')]: 'non-ASCII\n',
      'other/outside.yaml': 'o: 1\n',
    });
    const ws = await open();
    const first = (await ws.fetch())!;
    await ws.listTree(first);
    const steps: Array<Record<string, string | null>> = [
      { [at('raw/a.yaml')]: 'a: 2\n', [at('raw/b.yaml')]: null, [at('raw/a-b.yaml')]: 'ab\n', [at('raw/a/c.yaml')]: 'c\n' },
      { [at('x')]: null, [at('x/y.yaml')]: 'now a folder\n', [at('managed/vpcs/v0.yaml')]: 'v0\n', [at('é.yaml')]: 'é\n' },
      { 'other/outside.yaml': 'o: 2\n' },
      { [at('raw/a')]: null, [at('raw/a.yaml')]: null, [at('0.yaml')]: 'first\n' },
    ];
    let base = first;
    for (const files of steps) {
      await pushFiles(url, files);
      const head = (await ws.fetch())!;
      const since = await ws.listTreeSince(base, head);
      const fresh = await (await open()).listTree(head);
      const outside = Boolean(dirPath) && Object.keys(files).every(p => p.startsWith('other/'));
      expect(since).toEqual(outside ? 'same' : fresh);
      base = head;
    }
  });

  it('tells a fetch that followed a rewritten history (force-push) from one that moved ahead', async () => {
    const { remote, url, open } = await setup('rewritten', 'f');
    await pushFiles(url, { 'f/a.yaml': 'a\n' });
    const ws = await open();
    const first = await ws.fetchBranch();
    expect(first.rewritten).toBe(false);
    await pushFiles(url, { 'f/a.yaml': 'b\n' });
    expect(await ws.fetchBranch()).toEqual({ head: git(remote, ['rev-parse', 'main']), rewritten: false });
    // a user resets the branch to its first commit and force-pushes another change
    const user = path.join(root, 'rewritten-user');
    git(root, ['clone', '--quiet', url, user]);
    git(user, ['reset', '--quiet', '--hard', first.head!]);
    await fs.writeFile(path.join(user, 'f', 'a.yaml'), 'c\n');
    git(user, ['-c', `user.name=${AUTHOR.name}`, '-c', `user.email=${AUTHOR.email}`, 'commit', '--quiet', '-am', 'rewrite']);
    git(user, ['push', '--quiet', '--force', 'origin', 'HEAD:main']);
    const rewritten = await ws.fetchBranch();
    expect(rewritten).toEqual({ head: git(user, ['rev-parse', 'HEAD']), rewritten: true });
    // nothing moved since: no longer a rewrite
    expect(await ws.fetchBranch()).toEqual({ head: rewritten.head, rewritten: false });
  });

  it('lists nothing from memory for a commit it never listed', async () => {
    const { url, open } = await setup('unknown', 'f');
    await pushFiles(url, { 'f/a.yaml': 'a\n' });
    const ws = await open();
    const one = (await ws.fetch())!;
    await pushFiles(url, { 'f/a.yaml': 'b\n' });
    const two = (await ws.fetch())!;
    expect(await ws.listTreeSince(one, two)).toBeUndefined();
  });

  it('leaves the remote-tracking ref at the pushed commit, for the next no-op detection', async () => {
    const { remote, url, open, clone } = await setup('push', 'f');
    await pushFiles(url, { 'f/a.yaml': 'a\n' });
    const ws = await open();
    const head = (await ws.fetch())!;
    const commit = await ws.commit(head, { writes: [{ path: 'b.yaml', content: 'b\n' }], moves: [], deletes: [] }, 'add b');
    expect(await ws.push(commit)).toBe('pushed');
    expect(git(remote, ['rev-parse', 'refs/heads/main'])).toBe(commit);
    expect(git((await clone()).dir, ['rev-parse', 'refs/remotes/origin/main'])).toBe(commit);
    expect(await ws.fetch()).toBe(commit);
  });

  it('makes anew a clone that a killed backend left half-made, and removes what such a backend left aside', async () => {
    const { url, open, clone: cloneOf } = await setup('half', 'f');
    await pushFiles(url, { 'f/a.yaml': 'a\n' });
    const head = (await (await open()).fetch())!;
    const { repos, dir: clone } = await cloneOf();
    const name = path.basename(clone);
    // git init killed after HEAD, before objects/: every git command in it said "not a git repository"
    await fs.rm(clone, { recursive: true });
    await fs.mkdir(clone);
    await fs.writeFile(path.join(clone, 'HEAD'), 'ref: refs/heads/main\n');
    // a clone being made aside by a process that is gone (beyond Linux's largest pid), and by one that runs
    await fs.mkdir(`${clone}.4194305-0a0b.tmp`);
    await fs.mkdir(`${clone}.${process.pid}-0c0d.tmp`);

    const ws = await open();
    expect(await ws.fetch()).toBe(head);
    expect(await ws.listTree(head)).toEqual([expect.objectContaining({ path: 'a.yaml' })]);
    expect(git(clone, ['config', '--get-all', 'remote.origin.fetch'])).toBe('+refs/heads/*:refs/remotes/origin/*');
    expect((await fs.readdir(repos)).sort()).toEqual([name, `${name}.${process.pid}-0c0d.tmp`]);
  });

  it('removes a lock file that a killed git left in the clone, once it is older than the git timeout', async () => {
    const { remote, url, open, clone: cloneOf } = await setup('locks', 'f');
    await pushFiles(url, { 'f/a.yaml': 'a\n' });
    const ws = await open();
    await ws.fetch();
    const clone = (await cloneOf()).dir;
    await pushFiles(url, { 'f/a.yaml': 'b\n' });
    const lock = path.join(clone, 'refs', 'remotes', 'origin', 'main.lock');
    const exists = (p: string) => fs.access(p).then(() => true, () => false);
    // a recent lock may belong to a git process still at work: left alone, the fetch fails naming it
    await fs.writeFile(lock, '');
    await expect(ws.fetch()).rejects.toThrow(/the lock file refs\/remotes\/origin\/main\.lock of the clone exists/);
    expect(await exists(lock)).toBe(true);
    // older than the git timeout (30 s here): nobody holds it
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    expect(await ws.fetch()).toBe(git(remote, ['rev-parse', 'refs/heads/main']));
    expect(await exists(lock)).toBe(false);
  });

  it('lets fabrics in different folders of one repository and branch fetch, commit and push through one clone at the same time', async () => {
    const { remote, url } = await setup('siblings', 'f0');
    const folders = ['f0', 'f1', 'f2', 'f3'];
    await pushFiles(url, Object.fromEntries(folders.map(f => [`${f}/a.yaml`, 'a\n'])));
    const cacheDir = path.join(root, 'siblings-cache');
    // opened at the same time too: the first opens make the clone
    const workspaces = await Promise.all(
      folders.map(dirPath => GitWorkspace.open({ cacheDir, url, branch: 'main', dirPath, author: AUTHOR, timeoutMs: 30_000 })),
    );
    expect(await fs.readdir(path.join(cacheDir, 'repos'))).toHaveLength(1);
    /** Commits a file to the folder on the head and pushes until the push goes through; returns how often it was rejected. */
    const commitUntilPushed = async (ws: GitWorkspace, folder: string, round: number) => {
      for (let rejections = 0; ; rejections++) {
        const head = await ws.fetch();
        const change = { writes: [{ path: `r${round}.yaml`, content: `${folder} ${round}\n` }], moves: [], deletes: [] };
        if ((await ws.push(await ws.commit(head, change, `${folder} round ${round}`))) === 'pushed') return rejections;
      }
    };
    let rejected = 0;
    for (let round = 0; round < 10; round++) {
      const counts = await Promise.all(workspaces.map((ws, i) => commitUntilPushed(ws, folders[i], round)));
      rejected += counts.reduce((a, b) => a + b, 0);
    }
    // every fetch, commit and push went through (a lock failure throws); one commit per folder and round
    expect(Number(git(remote, ['rev-list', '--count', 'main']))).toBe(1 + 10 * folders.length);
    for (const f of folders) expect(git(remote, ['ls-tree', '--name-only', `main:${f}`]).split('\n')).toHaveLength(11);
    // siblings moved the branch under each other: the remote rejected those pushes, nothing failed
    expect(rejected).toBeGreaterThan(0);
  });

  it('restores the tracking refspec of a clone whose origin lost it', async () => {
    const { url, open, clone: cloneOf } = await setup('refspec', 'f');
    await pushFiles(url, { 'f/a.yaml': 'a\n' });
    const head = (await (await open()).fetch())!;
    const clone = (await cloneOf()).dir;
    git(clone, ['config', '--unset-all', 'remote.origin.fetch']);
    // a new process (fresh module state) opens the clone of an older version
    let Fresh: typeof GitWorkspace | undefined;
    jest.isolateModules(() => {
      Fresh = require('./GitWorkspace').GitWorkspace;
    });
    const ws = await Fresh!.open({ cacheDir: path.join(root, 'refspec-cache'), url, branch: 'main', dirPath: 'f', author: AUTHOR, timeoutMs: 30_000 });
    expect(git(clone, ['config', '--get-all', 'remote.origin.fetch'])).toBe('+refs/heads/*:refs/remotes/origin/*');
    const commit = await ws.commit(head, { writes: [{ path: 'b.yaml', content: 'b\n' }], moves: [], deletes: [] }, 'add b');
    expect(await ws.push(commit)).toBe('pushed');
    expect(git(clone, ['rev-parse', 'refs/remotes/origin/main'])).toBe(commit);
  });
});

describe('applyTreeChanges', () => {
  it('puts additions where Git orders them, by bytes of the full path', () => {
    const e = (p: string) => ({ path: p, mode: '100644', blobId: p.padEnd(40, '0') });
    const entries = ['a-b', 'a/c', 'a0', 'z'].map(e);
    const out = applyTreeChanges(entries, [
      { path: 'a.', deleted: false, mode: '100644', blobId: '1'.repeat(40) },
      { path: 'z', deleted: true },
    ]);
    expect(out.map(x => x.path)).toEqual(['a-b', 'a.', 'a/c', 'a0']);
  });
});
