/* A file's history from `git log --follow -p` (the format below), parsed and bounded. Pure but for the arguments. */

/** One commit that changed the file, with its diff of the file. */
export interface FileHistoryEntry {
  commit: string;
  author: string;
  date: string;
  message: string;
  /** The file's path in this commit. */
  path: string;
  diff: string;
  truncated: boolean;
}

export interface FileHistory {
  entries: FileHistoryEntry[];
  /** More commits changed the file than `entries` holds. */
  more: boolean;
}

const RECORD = '\u001e';
const FIELD = '\u001f';

/** The arguments of `git log` for the history of `file` from `commit`: one commit more than `limit`, to tell whether there are more. */
export function fileHistoryArgs(commit: string, file: string, limit: number): string[] {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new Error(`"${commit}" is not a commit id`);
  return [
    '-c', 'core.quotePath=false',
    'log', '--follow', '-M', '-p', '--no-color', '--no-ext-diff', '--no-textconv',
    `--max-count=${limit + 1}`,
    `--format=${'%x1e%H%x1f%an%x1f%aI%x1f%B%x1f'}`,
    commit, '--', file,
  ];
}

/**
 * The entries of `git log` output made with `fileHistoryArgs`: at most `limit`, each
 * diff cut at `maxDiffBytes`, all diffs together at most `maxBytes` (then the list
 * stops and says there is more).
 */
export function parseFileHistory(
  output: string,
  file: string,
  bounds: { limit: number; maxDiffBytes: number; maxBytes: number },
): FileHistory {
  const records = output.split(RECORD).slice(1);
  const entries: FileHistoryEntry[] = [];
  let left = bounds.maxBytes;
  let more = records.length > bounds.limit;
  for (const record of records.slice(0, bounds.limit)) {
    const [commit, author, date, message, ...rest] = record.split(FIELD);
    const patch = rest.join(FIELD).replace(/^\n+/, '');
    if (left <= 0) {
      more = true;
      break;
    }
    const cap = Math.min(bounds.maxDiffBytes, left);
    const diff = cutBytes(patch, cap);
    left -= Buffer.byteLength(diff);
    entries.push({
      commit,
      author,
      date,
      message: message.trim(),
      path: pathOf(patch) ?? file,
      diff,
      truncated: diff.length < patch.length,
    });
  }
  return { entries, more };
}

/** The file's path after the commit, from the diff's header. */
function pathOf(patch: string): string | undefined {
  const renamed = /^rename to (.+)$/m.exec(patch);
  if (renamed) return renamed[1];
  const header = /^diff --git a\/.+ b\/(.+)$/m.exec(patch);
  return header?.[1];
}

/** The text cut at a whole line within `maxBytes` (UTF-8). */
function cutBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  const line = cut.lastIndexOf('\n');
  return line > 0 ? cut.slice(0, line + 1) : cut;
}
