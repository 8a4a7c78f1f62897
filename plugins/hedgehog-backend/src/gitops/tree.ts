/** Git file modes the planner cares about. */
export const MODE_FILE = '100644';
export const MODE_EXECUTABLE = '100755';
export const MODE_SYMLINK = '120000';
export const MODE_GITLINK = '160000';

/** One file of a fabric directory as Git stores it. */
export interface TreeEntry {
  /** Path relative to the fabric directory, '/'-separated. */
  path: string;
  mode: string;
  blobId: string;
}

/** Whether an entry is a regular file whose bytes can be read and parsed. */
export function isRegularFile(entry: TreeEntry): boolean {
  return entry.mode === MODE_FILE || entry.mode === MODE_EXECUTABLE;
}

/** Git's order of paths in a tree listing (`ls-tree -r`): full paths compared by their UTF-8 bytes. */
export function compareGitPaths(a: string, b: string): number {
  // UTF-16 order is UTF-8 byte order except from surrogates (U+D800..) up; below that, compare in place.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 || y >= 0xd800) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
    return x < y ? -1 : 1;
  }
  // One is a prefix of the other (or they are equal): the shorter comes first.
  return Math.sign(a.length - b.length);
}
