import { TreeEntry } from '../gitops/tree';
import { TreeChangeSet } from '../gitops/treeAfter';

/** A change to a directory of the repository, paths relative to it. */
export type TreeChange = TreeChangeSet;

/** Runs git in the repository with stdin and extra environment; resolves to stdout. */
export type GitRunner = (args: string[], input?: string | Buffer, env?: Record<string, string>) => Promise<Buffer>;

export interface BuildCommitInput {
  /** The parent commit; undefined makes a root commit. */
  base: string | undefined;
  /** The directory the change's paths are relative to ('' for the root). */
  dirPath: string;
  change: TreeChange;
  message: string;
  author: { name: string; email: string };
  /** The directory's entries at `base` (only read when the change moves files). */
  entriesAtBase: () => Promise<TreeEntry[]>;
}

/** The ref the commits are built on (the push sends the commit, not the ref). */
const COMMIT_REF = 'refs/hedgehog/commit';
/**
 * glibc malloc settings for fast-import: by default glibc gives the ~270 KB zlib
 * buffers of every blob back to the kernel and takes them again (4 brk calls and
 * ~70 zero-filled pages per blob), which made fast-import of 5,000 blobs take
 * 0.6 s instead of 0.15 s, growing with the repository's size (benchmarks,
 * test/bench). Ignored where the C library is not glibc.
 */
const KEEP_MALLOC_TOP = 'glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=16777216';

/**
 * Builds one commit with `git fast-import` fed from memory: the blobs go into one
 * pack (no temporary file per blob, no loose objects for the push to compress
 * again) and only the trees along the changed paths are read, so the cost does
 * not grow with the rest of the repository. Returns the commit id.
 */
export async function buildCommit(git: GitRunner, input: BuildCommitInput): Promise<string> {
  const { base, change } = input;
  const prefix = input.dirPath ? `${input.dirPath}/` : '';
  // The parts are copied once, into one buffer: no intermediate buffer per file.
  const stream: Array<string | Buffer> = [];
  const add = (s: string | Buffer) => stream.push(s);
  change.writes.forEach((w, i) => {
    add(`blob\nmark :${i + 1}\ndata ${byteLength(w.content)}\n`);
    add(w.content);
    add('\n');
  });
  // Later operations win, so deletions of moved-away paths come first.
  const ops: string[] = change.deletes.map(p => `D ${quotePath(prefix + p)}`);
  if (change.moves.length > 0) {
    const entries = new Map((await input.entriesAtBase()).map(e => [e.path, e]));
    for (const m of change.moves) {
      const entry = entries.get(m.from);
      if (!entry) throw new Error(`cannot move ${m.from}: not in the tree`);
      ops.push(`D ${quotePath(prefix + m.from)}`, `M ${entry.mode} ${entry.blobId} ${quotePath(prefix + m.to)}`);
    }
  }
  change.writes.forEach((w, i) => ops.push(`M 100644 :${i + 1} ${quotePath(prefix + w.path)}`));
  // blobs the repository holds already (restored files): their mode and id as they are
  for (const c of change.copies ?? []) ops.push(`M ${c.mode} ${c.blobId} ${quotePath(prefix + c.path)}`);
  const { name, email } = input.author;
  const who = `${name.replace(/[<>\n]/g, '')} <${email.replace(/[<>\n]/g, '')}> now`;
  const mark = change.writes.length + 1;
  // A private ref, reset first: without a base the commit is a root commit.
  add(`reset ${COMMIT_REF}\ncommit ${COMMIT_REF}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\ndata ${byteLength(input.message)}\n`);
  add(input.message);
  add(`\n${base ? `from ${base}\n` : ''}${ops.map(o => `${o}\n`).join('')}\n`);
  // The commit's id, written to stdout (no marks file to write, read and remove).
  add(`get-mark :${mark}\ndone\n`);
  const out = await git(
    // Small commits stay one pack: unpacking them into loose objects (the default below
    // 100 objects) runs `git unpack-objects` after fast-import, 9 of a one-file commit's
    // 13 ms (benchmarks, test/bench). Git's automatic maintenance after a fetch repacks
    // once there are more than gc.autoPackLimit packs.
    ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet', '--done', '--force', '--date-format=now'],
    concat(stream),
    { GLIBC_TUNABLES: [process.env.GLIBC_TUNABLES, KEEP_MALLOC_TOP].filter(Boolean).join(':') },
  );
  const id = out.toString('utf8').trim().split('\n').pop() ?? '';
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(id)) throw new Error('git fast-import did not report the commit it made');
  return id;
}

function byteLength(s: string | Buffer): number {
  return typeof s === 'string' ? Buffer.byteLength(s, 'utf8') : s.length;
}

/** Strings (as UTF-8) and buffers, in one buffer. */
function concat(parts: Array<string | Buffer>): Buffer {
  let total = 0;
  for (const p of parts) total += byteLength(p);
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const p of parts) at += typeof p === 'string' ? out.write(p, at, 'utf8') : p.copy(out, at);
  return out;
}

/** A path for a fast-import command: C-style quoted when it starts with a quote or holds a line break. */
function quotePath(p: string): string {
  if (!p.startsWith('"') && !/[\n\r]/.test(p)) return p;
  return `"${p.replace(/[\\"]/g, c => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}
