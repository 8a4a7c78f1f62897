import { TreeEntry, compareGitPaths } from '../gitops/tree';

/** A changed file between two trees (renames not detected): removed, or its new mode and blob. */
export type TreeDiffChange = { path: string; deleted: true } | { path: string; deleted: false; mode: string; blobId: string };

/**
 * The entries of a tree after the changes diffTrees found against it, in Git's
 * order (full paths by their bytes), as `git ls-tree -r` lists them.
 */
export function applyTreeChanges(entries: TreeEntry[], changes: TreeDiffChange[]): TreeEntry[] {
  const changed = new Map(changes.map(c => [c.path, c]));
  const out: TreeEntry[] = [];
  for (const e of entries) {
    const c = changed.get(e.path);
    if (!c) {
      out.push(e);
      continue;
    }
    changed.delete(e.path);
    if (!c.deleted) out.push({ path: e.path, mode: c.mode, blobId: c.blobId });
  }
  // what is left are additions: inserted in place (few, so a binary search each)
  for (const c of changed.values()) {
    if (c.deleted) continue;
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareGitPaths(out[mid].path, c.path) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, { path: c.path, mode: c.mode, blobId: c.blobId });
  }
  return out;
}
