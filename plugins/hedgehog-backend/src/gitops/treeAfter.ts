import { gitBlobId } from './blobId';
import { MODE_FILE, TreeEntry, compareGitPaths } from './tree';

/** The changes of one commit to a fabric directory (an IngestPlan is one). */
export interface TreeChangeSet {
  writes: Array<{ path: string; content: string | Buffer }>;
  moves: Array<{ from: string; to: string }>;
  deletes: string[];
  /** Entries set to a blob the repository already holds (mode and blob kept), e.g. files restored from an earlier commit. */
  copies?: TreeEntry[];
}

/**
 * The fabric directory's entries after a commit that applied `change` to
 * `entries`, computed instead of listed from Git: what `git fast-import` makes of
 * the same change (deletions first, then moves keeping blob and mode, then writes
 * as regular files, then copies of existing blobs), in Git's path order. A path that becomes a file replaces a
 * folder of that name and the other way round, as in Git.
 */
export function treeAfter(entries: TreeEntry[], change: TreeChangeSet): TreeEntry[] {
  const byPath = new Map(entries.map(e => [e.path, e]));
  const folders = new Set<string>();
  for (const e of entries) {
    for (let i = e.path.indexOf('/'); i > 0; i = e.path.indexOf('/', i + 1)) folders.add(e.path.slice(0, i));
  }
  const remove = (p: string) => {
    if (byPath.delete(p) || !folders.has(p)) return;
    // a folder: everything under it
    for (const k of [...byPath.keys()]) if (k.startsWith(`${p}/`)) byPath.delete(k);
  };
  const put = (entry: TreeEntry) => {
    remove(entry.path);
    // a file where a parent folder's name was a file: that file goes
    for (let i = entry.path.indexOf('/'); i > 0; i = entry.path.indexOf('/', i + 1)) {
      byPath.delete(entry.path.slice(0, i));
    }
    byPath.set(entry.path, entry);
  };
  const moved = change.moves.map(m => {
    const from = byPath.get(m.from);
    if (!from) throw new Error(`cannot move ${m.from}: not in the tree`);
    return { ...from, path: m.to };
  });
  for (const p of change.deletes) remove(p);
  for (const m of change.moves) remove(m.from);
  for (const m of moved) put(m);
  for (const w of change.writes) put({ path: w.path, mode: MODE_FILE, blobId: gitBlobId(w.content) });
  for (const c of change.copies ?? []) put({ ...c });
  return [...byPath.values()].sort((a, b) => compareGitPaths(a.path, b.path));
}
