import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { parseLsTree } from '../git/gitPlumbing';
import { gitBlobId } from './blobId';
import { MODE_EXECUTABLE, MODE_FILE, MODE_SYMLINK, TreeEntry } from './tree';
import { TreeChangeSet, treeAfter } from './treeAfter';

const entry = (p: string, content: string, mode = MODE_FILE): TreeEntry => ({ path: p, mode, blobId: gitBlobId(content) });

describe('treeAfter', () => {
  const before = [
    entry('raw/a.yaml', 'a: 1\n'),
    entry('raw/tool.sh', 'echo\n', MODE_EXECUTABLE),
    entry('managed/vpcs/v1.yaml', 'v1\n'),
    entry('unmanaged/.gitkeep', ''),
  ];

  it('applies deletes, moves (keeping blob and mode) and writes, in path order', () => {
    const after = treeAfter(before, {
      deletes: ['raw/a.yaml'],
      moves: [{ from: 'raw/tool.sh', to: 'unmanaged/tool.sh' }],
      writes: [
        { path: 'managed/vpcs/v2.yaml', content: 'v2\n' },
        { path: 'managed/vpcs/v1.yaml', content: 'v1 changed\n' },
      ],
    });
    expect(after).toEqual([
      entry('managed/vpcs/v1.yaml', 'v1 changed\n'),
      entry('managed/vpcs/v2.yaml', 'v2\n'),
      entry('unmanaged/.gitkeep', ''),
      entry('unmanaged/tool.sh', 'echo\n', MODE_EXECUTABLE),
    ]);
  });

  it('leaves the input alone and changes nothing for an empty change', () => {
    const copy = JSON.parse(JSON.stringify(before));
    const after = treeAfter(before, { deletes: [], moves: [], writes: [] });
    expect(before).toEqual(copy);
    expect(after.map(e => e.path)).toEqual([...before.map(e => e.path)].sort());
  });

  it('replaces a folder by a file of its name and a file by a folder', () => {
    const after = treeAfter([entry('x/1.yaml', '1'), entry('x/2.yaml', '2'), entry('y', 'file')], {
      deletes: [],
      moves: [],
      writes: [
        { path: 'x', content: 'now a file' },
        { path: 'y/inside.yaml', content: 'now a folder' },
      ],
    });
    expect(after).toEqual([entry('x', 'now a file'), entry('y/inside.yaml', 'now a folder')]);
  });

  it('refuses to move what is not in the tree', () => {
    expect(() => treeAfter(before, { deletes: [], moves: [{ from: 'raw/none', to: 'unmanaged/none' }], writes: [] })).toThrow(
      'cannot move raw/none: not in the tree',
    );
  });

  it('lists what Git lists after the same change is committed', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-tree-after-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    try {
      git('init', '--quiet', '.');
      const files: Array<[string, string, string]> = [
        ['raw/a-b.yaml', 'x: 1\n', MODE_FILE],
        ['raw/a/b.yaml', 'x: 2\n', MODE_FILE],
        ['raw/a/c.yaml', 'x: 5\n', MODE_FILE],
        ['raw/a.yaml', 'x: 3\n', MODE_FILE],
        ['raw/run.sh', '#!/bin/sh\n', MODE_EXECUTABLE],
        ['raw/Ä-umlaut.yaml', 'x: 4\n', MODE_FILE],
        ['managed/vpcs/v.yaml', 'v\n', MODE_FILE],
      ];
      for (const [p, content, mode] of files) {
        await fs.mkdir(path.dirname(path.join(dir, p)), { recursive: true });
        await fs.writeFile(path.join(dir, p), content, { mode: mode === MODE_EXECUTABLE ? 0o755 : 0o644 });
      }
      await fs.symlink('a.yaml', path.join(dir, 'raw/link.yaml'));
      git('add', '-A');
      git('commit', '--quiet', '-m', 'before');
      const ls = () => parseLsTree(git('ls-tree', '-r', '-z', '--full-tree', 'HEAD').toString('utf8'), '');
      const entriesBefore = ls();
      expect(entriesBefore.find(e => e.path === 'raw/link.yaml')?.mode).toBe(MODE_SYMLINK);

      const change: TreeChangeSet = {
        deletes: ['raw/a/b.yaml'],
        moves: [
          { from: 'raw/run.sh', to: 'unmanaged/run.sh' },
          { from: 'raw/link.yaml', to: 'unmanaged/link.yaml' },
        ],
        writes: [
          { path: 'managed/vpcs/w.yaml', content: 'w\n' },
          { path: 'managed/vpcs/v.yaml', content: 'v2\n' },
          { path: 'unmanaged/run.sh.reason.yaml', content: 'why\n' },
        ],
      };
      git('rm', '--quiet', ...change.deletes);
      await fs.mkdir(path.join(dir, 'unmanaged'), { recursive: true });
      for (const m of change.moves) git('mv', m.from, m.to);
      for (const w of change.writes) await fs.writeFile(path.join(dir, w.path), w.content);
      git('add', '-A');
      git('commit', '--quiet', '-m', 'after');

      expect(treeAfter(entriesBefore, change)).toEqual(ls());
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
