import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { ObjectReader } from './ObjectReader';
import { TreeDiffChange } from './treeDiff';
import { TreeReader, diffTrees, parseTreeObject, subtreeId } from './treeObjects';

jest.setTimeout(60_000);

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** What `git diff-tree -r -z --no-renames` reports between two trees: the reference. */
function diffTreeByGit(cwd: string, a: string, b: string): TreeDiffChange[] {
  const fields = execFileSync('git', ['diff-tree', '-r', '-z', '--no-renames', '--no-abbrev', a, b], { cwd, encoding: 'utf8' }).split('\0');
  const changes: TreeDiffChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, mode, , blobId, status] = fields[i].slice(1).split(' ');
    changes.push(status === 'D' ? { path: fields[i + 1], deleted: true } : { path: fields[i + 1], deleted: false, mode, blobId });
  }
  return changes;
}

const byPath = (changes: TreeDiffChange[]) => [...changes].sort((x, y) => x.path.localeCompare(y.path));

describe('tree objects', () => {
  let dir: string;
  let reader: ObjectReader;
  let read: TreeReader;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-trees-'));
    git(dir, ['init', '--quiet']);
    git(dir, ['config', 'user.name', 'T']);
    git(dir, ['config', 'user.email', 't@example.com']);
    reader = new ObjectReader(dir, { timeoutMs: 30_000, idleMs: 60_000 });
    read = async ids => {
      const objects = await reader.read(ids, Number.POSITIVE_INFINITY);
      return new Map(objects.flatMap((o, i) => (o?.type === 'tree' && o.content ? [[ids[i], parseTreeObject(o.content)]] : [])));
    };
  });
  afterAll(async () => {
    reader.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Applies file changes (null removes, 'link:' makes a symbolic link, 'exec:' an executable) and commits; returns the tree. */
  async function commit(files: Record<string, string | null>): Promise<string> {
    for (const [p, content] of Object.entries(files)) {
      const file = path.join(dir, p);
      await fs.rm(file, { recursive: true, force: true });
      if (content === null) continue;
      await fs.mkdir(path.dirname(file), { recursive: true });
      if (content.startsWith('link:')) await fs.symlink(content.slice(5), file);
      else await fs.writeFile(file, content.replace(/^exec:/, ''), { mode: content.startsWith('exec:') ? 0o755 : 0o644 });
    }
    git(dir, ['add', '-A']);
    git(dir, ['commit', '--quiet', '--allow-empty', '-m', 'step']);
    return git(dir, ['rev-parse', 'HEAD^{tree}']);
  }

  it('parses a tree object as git ls-tree lists it', async () => {
    const tree = await commit({ 'a.yaml': 'a\n', 'sub/b.yaml': 'b\n', 'run.sh': 'exec:#!/bin/sh\n', 'ln': 'link:a.yaml', 'é x.yaml': 'é\n' });
    const [object] = await reader.read([tree], 1024);
    const content = object!.content!;
    const parsed = parseTreeObject(content).map(e => `${e.mode.padStart(6, '0')} ${e.id}\t${e.name}`);
    const listed = git(dir, ['-c', 'core.quotePath=false', 'ls-tree', tree]).split('\n').map(l => l.replace(/ (blob|tree) /, ' '));
    expect(parsed).toEqual(listed);
    expect(() => parseTreeObject(content.subarray(0, content.length - 3))).toThrow(/truncated/);
  });

  it('finds the changes git diff-tree -r finds, reading only the trees that differ', async () => {
    const steps: Array<Record<string, string | null>> = [
      { 'f/raw/a.yaml': 'a\n', 'f/raw/b.yaml': 'b\n', 'f/x': 'a file that becomes a folder\n', 'f/managed/vpcs/v1.yaml': 'v1\n', 'other/o.yaml': 'o\n' },
      { 'f/raw/a.yaml': 'a2\n', 'f/raw/b.yaml': null, 'f/raw/a/c.yaml': 'c\n' },
      { 'f/x': null, 'f/x/y.yaml': 'now a folder\n', 'f/managed/vpcs/v0.yaml': 'v0\n' },
      { 'f/raw/a.yaml': 'exec:a2\n', 'f/ln': 'link:raw/a.yaml' },
      { 'f/managed': null, 'f/raw/a/c.yaml': 'link:../a.yaml' },
      { 'other/o.yaml': 'o2\n' },
      { 'f/managed/vpcs/v1.yaml': 'v1\n', 'f/managed/vpcs/deep/er/z.yaml': 'z\n' },
    ];
    const requested: string[] = [];
    const counting: TreeReader = ids => {
      requested.push(...ids);
      return read(ids);
    };
    const subtrees = (tree: string) => git(dir, ['ls-tree', '-r', '-d', tree]).split('\n').map(l => l.split(/\s/)[2]);
    let before = await commit({});
    for (const files of steps) {
      const after = await commit(files);
      requested.length = 0;
      expect(byPath(await diffTrees(counting, before, after))).toEqual(byPath(diffTreeByGit(dir, before, after)));
      // never a tree both sides share
      const later = new Set(subtrees(after));
      const shared = subtrees(before).filter(id => later.has(id));
      expect(requested.filter(id => shared.includes(id))).toEqual([]);
      before = after;
    }
    expect(await diffTrees(read, before, before)).toEqual([]);
    // from nothing: every file added
    const all = await diffTrees(read, undefined, before);
    expect(all.map(c => c.path).sort()).toEqual(git(dir, ['-c', 'core.quotePath=false', 'ls-tree', '-r', '--name-only', before]).split('\n').sort());
  });

  it('walks down to a folder, and finds none where a file or nothing is', async () => {
    const tree = await commit({ 'fabrics/f1/raw/a.yaml': 'a\n', 'fabrics/file': 'f\n' });
    expect(await subtreeId(read, tree, 'fabrics/f1')).toBe(git(dir, ['rev-parse', `HEAD:fabrics/f1`]));
    expect(await subtreeId(read, tree, '')).toBe(tree);
    expect(await subtreeId(read, tree, 'fabrics/file')).toBeUndefined();
    expect(await subtreeId(read, tree, 'fabrics/f2')).toBeUndefined();
    await expect(subtreeId(read, '0'.repeat(40), 'fabrics')).rejects.toThrow(/could not be read/);
  });
});
