import { promises as fs } from 'fs';
import { createHash, randomBytes } from 'crypto';
import os from 'os';
import path from 'path';
import { TreeEntry } from '../gitops/tree';
import { GitCommandError, GitCredentials, git, runGit } from './runGit';

/** A change to the fabric directory, paths relative to it. */
export interface TreeChange {
  writes: Array<{ path: string; content: string | Buffer }>;
  moves: Array<{ from: string; to: string }>;
  deletes: string[];
}

export interface GitWorkspaceOptions {
  /** Root folder for cached repositories. */
  cacheDir: string;
  url: string;
  branch: string;
  /** The fabric directory inside the repository ('' for the root). */
  dirPath: string;
  credentials?: GitCredentials;
  author: { name: string; email: string };
  timeoutMs: number;
}

const ZERO_SHA = '0000000000000000000000000000000000000000';
/** Clones whose `origin` this process has already checked or set: dir -> url. */
const ORIGINS = new Map<string, string>();

/**
 * A cached bare clone of a fabric's repository. Reads come from Git objects, never
 * from a work tree, so symbolic links are never followed; commits are built
 * through a temporary index.
 */
export class GitWorkspace {
  private constructor(
    private readonly dir: string,
    private readonly askpass: string,
    private readonly options: GitWorkspaceOptions,
  ) {}

  static async open(options: GitWorkspaceOptions): Promise<GitWorkspace> {
    const id = createHash('sha256').update(`${options.url}\n${options.branch}`).digest('hex').slice(0, 16);
    const dir = path.join(options.cacheDir, 'repos', `${id}.git`);
    const askpass = await writeAskpass(options.cacheDir);
    const ws = new GitWorkspace(dir, askpass, options);
    await fs.mkdir(dir, { recursive: true });
    try {
      await fs.access(path.join(dir, 'HEAD'));
    } catch {
      ORIGINS.delete(dir);
      await ws.git(['init', '--bare', '--quiet', '.']);
    }
    // Checked once per process (a git process less on every later run).
    if (ORIGINS.get(dir) !== options.url) {
      const remote = await runGit(['remote', 'get-url', 'origin'], ws.opts());
      if (remote.code !== 0) {
        await ws.git(['remote', 'add', 'origin', options.url]);
      } else if (remote.stdout.toString().trim() !== options.url) {
        await ws.git(['remote', 'set-url', 'origin', options.url]);
      }
      ORIGINS.set(dir, options.url);
    }
    return ws;
  }

  /** Fetches the branch; returns its head, or undefined when the branch does not exist yet. */
  async fetch(): Promise<string | undefined> {
    const ref = this.remoteRef();
    const result = await runGit(
      ['-c', 'credential.helper=', 'fetch', '--quiet', '--no-tags', '--prune', 'origin', `+refs/heads/${this.options.branch}:${ref}`],
      this.opts({ network: true }),
    );
    if (result.code !== 0) {
      if (/couldn't find remote ref/i.test(result.stderr)) {
        await runGit(['update-ref', '-d', ref], this.opts());
        return undefined;
      }
      throw new GitCommandError(
        `fetching branch ${this.options.branch} of ${this.options.url} failed: ${lastLines(result.stderr)}`,
        result.code,
        result.stderr,
      );
    }
    // The loose ref fetch just wrote (or left) is the head; rev-parse only when the ref is packed.
    const loose = await fs.readFile(path.join(this.dir, ref), 'utf8').catch(() => '');
    if (/^[0-9a-f]{40}\n?$/.test(loose)) return loose.trim();
    return (await this.git(['rev-parse', '--verify', `${ref}^{commit}`])).toString().trim();
  }

  /** The files of the fabric directory at a commit, paths relative to that directory. */
  async listTree(commit: string | undefined): Promise<TreeEntry[]> {
    if (!commit) return [];
    const prefix = this.options.dirPath ? `${this.options.dirPath}/` : '';
    const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
    if (prefix) args.push('--', prefix);
    const out = (await this.git(args)).toString('utf8');
    const entries: TreeEntry[] = [];
    for (const record of out.split('\0')) {
      if (!record) continue;
      const tab = record.indexOf('\t');
      const [mode, , blobId] = record.slice(0, tab).split(' ');
      const full = record.slice(tab + 1);
      if (!full.startsWith(prefix)) continue;
      entries.push({ path: full.slice(prefix.length), mode, blobId });
    }
    return entries;
  }

  /** Reads blobs by id, in one git process. */
  async readBlobs(ids: string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(ids)];
    const result = new Map<string, Buffer>();
    if (unique.length === 0) return result;
    const out = await this.git(['cat-file', '--batch'], `${unique.join('\n')}\n`);
    let pos = 0;
    while (pos < out.length) {
      const eol = out.indexOf(0x0a, pos);
      const header = out.subarray(pos, eol).toString();
      const [id, type, size] = header.split(' ');
      if (type === 'missing') {
        pos = eol + 1;
        continue;
      }
      const len = Number(size);
      result.set(id, out.subarray(eol + 1, eol + 1 + len));
      pos = eol + 1 + len + 1;
    }
    return result;
  }

  /** Builds one commit on top of `base` with the given changes; returns its id. */
  async commit(base: string | undefined, change: TreeChange, message: string): Promise<string> {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-commit-'));
    try {
      const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
      if (base) await this.git(['read-tree', base], undefined, env);
      const prefix = this.options.dirPath ? `${this.options.dirPath}/` : '';
      const records: string[] = [];
      for (const p of change.deletes) records.push(`0 ${ZERO_SHA}\t${prefix}${p}`);
      if (change.moves.length > 0) {
        const entries = new Map((await this.listTree(base)).map(e => [e.path, e]));
        for (const m of change.moves) {
          const entry = entries.get(m.from);
          if (!entry) throw new Error(`cannot move ${m.from}: not in the tree`);
          records.push(`0 ${ZERO_SHA}\t${prefix}${m.from}`);
          records.push(`${entry.mode} ${entry.blobId}\t${prefix}${m.to}`);
        }
      }
      if (change.writes.length > 0) {
        // Every blob in one `git fast-import` fed from memory: one pack, no temporary
        // file per blob and no loose objects for the push to compress again.
        const marks = path.join(tmp, 'marks');
        const stream: Buffer[] = [];
        change.writes.forEach((w, i) => {
          const bytes = typeof w.content === 'string' ? Buffer.from(w.content, 'utf8') : w.content;
          stream.push(Buffer.from(`blob\nmark :${i + 1}\ndata ${bytes.length}\n`), bytes, Buffer.from('\n'));
        });
        stream.push(Buffer.from('done\n'));
        await this.git(['fast-import', '--quiet', '--done', `--export-marks=${marks}`], Buffer.concat(stream));
        const ids = new Map(
          (await fs.readFile(marks, 'utf8'))
            .split('\n')
            .filter(Boolean)
            .map(line => [Number(line.slice(1, line.indexOf(' '))), line.slice(line.indexOf(' ') + 1)]),
        );
        change.writes.forEach((w, i) => {
          const id = ids.get(i + 1);
          if (!id) throw new Error(`git fast-import did not store ${w.path}`);
          records.push(`100644 ${id}\t${prefix}${w.path}`);
        });
      }
      // Later records win, so deletions of moved-away paths come first.
      await this.git(['update-index', '-z', '--index-info'], records.map(r => `${r}\0`).join(''), env);
      const tree = (await this.git(['write-tree'], undefined, env)).toString().trim();
      const args = ['commit-tree', tree, '-F', '-'];
      if (base) args.splice(2, 0, '-p', base);
      return (await this.git(args, message, this.authorEnv())).toString().trim();
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  /**
   * Whether the fabric directory is the same tree in two commits (one git process).
   * False when either commit or the directory is missing here.
   */
  async sameFabricTree(a: string, b: string): Promise<boolean> {
    const spec = (c: string) => (this.options.dirPath ? `${c}:${this.options.dirPath}` : `${c}^{tree}`);
    const result = await runGit(['rev-parse', spec(a), spec(b)], this.opts());
    if (result.code !== 0) return false;
    const [ta, tb] = result.stdout.toString().trim().split('\n');
    return Boolean(ta) && ta === tb;
  }

  /** The tree id of a commit (to tell whether a commit changes anything). */
  async treeOf(commit: string): Promise<string> {
    return (await this.git(['rev-parse', `${commit}^{tree}`])).toString().trim();
  }

  /**
   * Pushes a commit to the branch. Returns 'rejected' when the remote moved (the
   * caller re-plans on the new head); throws on any other failure.
   */
  async push(commit: string): Promise<'pushed' | 'rejected'> {
    const result = await runGit(
      ['-c', 'credential.helper=', 'push', '--quiet', '--porcelain', 'origin', `${commit}:refs/heads/${this.options.branch}`],
      this.opts({ network: true }),
    );
    if (result.code === 0) {
      await this.git(['update-ref', this.remoteRef(), commit]);
      return 'pushed';
    }
    const text = `${result.stdout.toString()}\n${result.stderr}`;
    if (/\[rejected\]|non-fast-forward|fetch first|\[remote rejected\].*(cannot lock ref|failed to update ref)/i.test(text)) {
      return 'rejected';
    }
    throw new GitCommandError(
      `pushing to branch ${this.options.branch} of ${this.options.url} failed: ${lastLines(result.stderr || text)}`,
      result.code,
      result.stderr,
    );
  }

  private remoteRef() {
    return `refs/remotes/origin/${this.options.branch}`;
  }

  private opts(extra: { network?: boolean } = {}) {
    const env: Record<string, string> = {};
    const secrets: string[] = [];
    if (extra.network) {
      env.GIT_ASKPASS = this.askpass;
      env.GIT_HTTP_LOW_SPEED_LIMIT = '1000';
      env.GIT_HTTP_LOW_SPEED_TIME = String(Math.max(5, Math.round(this.options.timeoutMs / 1000)));
      if (this.options.credentials) {
        env.HEDGEHOG_GIT_USERNAME = this.options.credentials.username;
        env.HEDGEHOG_GIT_PASSWORD = this.options.credentials.password;
        secrets.push(this.options.credentials.password);
      }
    }
    return { cwd: this.dir, env, timeoutMs: this.options.timeoutMs, secrets };
  }

  private authorEnv(): Record<string, string> {
    const { name, email } = this.options.author;
    return {
      GIT_AUTHOR_NAME: name,
      GIT_AUTHOR_EMAIL: email,
      GIT_COMMITTER_NAME: name,
      GIT_COMMITTER_EMAIL: email,
    };
  }

  private git(args: string[], input?: string | Buffer, env?: Record<string, string>) {
    const o = this.opts();
    return git(args, { ...o, env: { ...o.env, ...env }, input });
  }
}

/** Writes the askpass helper: it answers git's prompts from environment variables. */
async function writeAskpass(cacheDir: string): Promise<string> {
  const file = path.join(cacheDir, 'git-askpass.sh');
  const content = [
    '#!/bin/sh',
    '# Answers git credential prompts from the environment of the git process.',
    'case "$1" in',
    '  Username*) printf "%s\\n" "$HEDGEHOG_GIT_USERNAME" ;;',
    '  *) printf "%s\\n" "$HEDGEHOG_GIT_PASSWORD" ;;',
    'esac',
    '',
  ].join('\n');
  await fs.mkdir(cacheDir, { recursive: true });
  const current = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (current !== content) {
    // Unique per call: workspaces of several fabrics open at the same time, and a
    // shared temporary name would be renamed away under another call.
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, content, { mode: 0o700 });
    await fs.rename(tmp, file);
  }
  return file;
}

function lastLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('hint:'));
  return lines.slice(-2).join(' | ') || 'no output';
}
