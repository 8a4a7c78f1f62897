import { TreeDiffChange } from './treeDiff';

/** One entry of a Git tree object. */
export interface TreeObjectEntry {
  /** As Git stores it: '40000' for a tree, '100644', '100755', '120000', '160000'. */
  mode: string;
  name: string;
  id: string;
}

const TREE_MODE = '40000';

/** Parses a tree object's content (`<mode> <name>\0<binary id>` entries). */
export function parseTreeObject(content: Buffer, idBytes = 20): TreeObjectEntry[] {
  const entries: TreeObjectEntry[] = [];
  let pos = 0;
  while (pos < content.length) {
    const space = content.indexOf(0x20, pos);
    const nul = content.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + idBytes > content.length) throw new Error('a tree object is truncated');
    entries.push({
      mode: content.toString('latin1', pos, space),
      name: content.toString('utf8', space + 1, nul),
      id: content.toString('hex', nul + 1, nul + 1 + idBytes),
    });
    pos = nul + 1 + idBytes;
  }
  return entries;
}

/** Reads tree objects by id; a tree it cannot read makes it throw. */
export type TreeReader = (ids: string[]) => Promise<Map<string, TreeObjectEntry[]>>;

/**
 * The changed files between two trees (undefined: no tree), paths relative to
 * them, as `git diff-tree -r --no-renames` reports them: only subtrees whose ids
 * differ are read, level by level, each level in one request.
 */
export async function diffTrees(read: TreeReader, a: string | undefined, b: string | undefined): Promise<TreeDiffChange[]> {
  const changes: TreeDiffChange[] = [];
  let level: Array<{ dir: string; a?: string; b?: string }> = a === b ? [] : [{ dir: '', a, b }];
  while (level.length > 0) {
    const ids = [...new Set(level.flatMap(p => [p.a, p.b]).filter((id): id is string => Boolean(id)))];
    const trees = await read(ids);
    const tree = (id: string | undefined) => {
      if (!id) return new Map<string, TreeObjectEntry>();
      const entries = trees.get(id);
      if (!entries) throw new Error(`tree ${id} could not be read`);
      return new Map(entries.map(e => [e.name, e]));
    };
    const next: typeof level = [];
    for (const pair of level) {
      const before = tree(pair.a);
      const after = tree(pair.b);
      for (const name of new Set([...before.keys(), ...after.keys()])) {
        const x = before.get(name);
        const y = after.get(name);
        if (x && y && x.id === y.id && x.mode === y.mode) continue;
        const path = pair.dir + name;
        const xTree = x?.mode === TREE_MODE ? x.id : undefined;
        const yTree = y?.mode === TREE_MODE ? y.id : undefined;
        if (xTree || yTree) next.push({ dir: `${path}/`, a: xTree, b: yTree });
        if (y && !yTree) changes.push({ path, deleted: false, mode: y.mode, blobId: y.id });
        else if (x && !xTree) changes.push({ path, deleted: true });
      }
    }
    level = next;
  }
  return changes;
}

/** Walks from a root tree down a '/'-separated directory path; undefined when it is not a tree there. */
export async function subtreeId(read: TreeReader, root: string, dirPath: string): Promise<string | undefined> {
  let id = root;
  for (const name of dirPath.split('/').filter(Boolean)) {
    const entries = (await read([id])).get(id);
    if (!entries) throw new Error(`tree ${id} could not be read`);
    const entry = entries.find(e => e.name === name);
    if (!entry || entry.mode !== TREE_MODE) return undefined;
    id = entry.id;
  }
  return id;
}
