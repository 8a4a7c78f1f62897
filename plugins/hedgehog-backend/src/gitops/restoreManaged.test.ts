import { managedRestore, restoreCommitMessage } from './restoreManaged';
import { treeAfter } from './treeAfter';
import { TreeEntry } from './tree';

const file = (path: string, blobId: string, mode = '100644'): TreeEntry => ({ path, mode, blobId });

describe('managedRestore', () => {
  const target = [
    file('.gitops/manifest.yaml', 'm1'),
    file('managed/vpcs/a.yaml', 'a1'),
    file('managed/vpcs/b.yaml', 'b1'),
    file('managed/vpcs/c.yaml', 'c1', '100755'),
    file('raw/old.yaml', 'r1'),
  ];
  const current = [
    file('.gitops/manifest.yaml', 'm2'),
    file('managed/switches/s1.yaml', 's1'),
    file('managed/vpcs/a.yaml', 'a1'),
    file('managed/vpcs/b.yaml', 'b2'),
    file('managed/vpcs/c.yaml', 'c1'),
    file('raw/new.yaml', 'r2'),
    file('unmanaged/x.yaml', 'u1'),
  ];

  it('adds, changes and removes files of managed/ only, and says which', () => {
    const { files, change } = managedRestore(current, target);
    expect(files).toEqual([
      { path: 'managed/switches/s1.yaml', change: 'removed' },
      { path: 'managed/vpcs/b.yaml', change: 'changed' },
      { path: 'managed/vpcs/c.yaml', change: 'changed' },
    ]);
    expect(change.deletes).toEqual(['managed/switches/s1.yaml']);
    expect(change.writes).toEqual([]);
    expect(change.copies).toEqual([file('managed/vpcs/b.yaml', 'b1'), file('managed/vpcs/c.yaml', 'c1', '100755')]);
  });

  it('gives a tree whose managed/ is the target\'s and whose other folders are the current ones', () => {
    const after = treeAfter(current, managedRestore(current, target).change);
    const under = (entries: TreeEntry[], dir: string) => entries.filter(e => e.path.startsWith(`${dir}/`));
    expect(under(after, 'managed')).toEqual(under(target, 'managed'));
    for (const dir of ['raw', 'unmanaged', '.gitops']) expect(under(after, dir)).toEqual(under(current, dir));
  });

  it('lists a file of managed/ the current tree lacks as added', () => {
    expect(managedRestore([], [file('managed/vpcs/a.yaml', 'a1')]).files).toEqual([{ path: 'managed/vpcs/a.yaml', change: 'added' }]);
  });

  it('changes nothing when managed/ is already the target\'s', () => {
    const same = managedRestore(current, current);
    expect(same.files).toEqual([]);
    expect(same.change).toEqual({ writes: [], moves: [], deletes: [], copies: [] });
  });
});

describe('restoreCommitMessage', () => {
  it('names the fabric, the short commit, the files and who asked', () => {
    const message = restoreCommitMessage('lab', 'abcdef0123456789abcdef0123456789abcdef01', [
      { path: 'managed/vpcs/a.yaml', change: 'added' },
      { path: 'managed/vpcs/b.yaml', change: 'removed' },
    ], 'user:default/alice');
    expect(message.split('\n')[0]).toBe('hedgehog(lab): restore managed/ to abcdef012345');
    expect(message).toContain('1 file(s) added, 0 changed, 1 removed');
    expect(message).toContain('- removed managed/vpcs/b.yaml');
    expect(message).toContain('Requested in Backstage by user:default/alice.');
  });
});
