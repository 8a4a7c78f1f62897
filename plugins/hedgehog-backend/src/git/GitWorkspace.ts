import { promises as fs } from 'fs';
import { createHash } from 'crypto';
import os from 'os';
import path from 'path';
import { TreeEntry } from '../gitops/tree';
import { lastLines, parseCatFileBatch, parseLsTree, writeAskpass } from './gitPlumbing';
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

/** The ref `commit` builds its commits on (the push sends the commit, not the ref). */
const COMMIT_REF = 'refs/hedgehog/commit';
/**
 * glibc malloc settings for fast-import: by default glibc gives the ~270 KB zlib
 * buffers of every blob back to the kernel and takes them again (4 brk calls and
 * ~70 zero-filled pages per blob), which made fast-import of 5,000 blobs take
 * 0.6 s instead of 0.15 s, growing with the repository's size (benchmarks,
 * test/bench). Ignored where the C library is not glibc.
 */
const KEEP_MALLOC_TOP = 'glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=16777216';
/** Clones whose `origin` this process has already checked or set: dir -> url. */
const ORIGINS = new Map<string, string>();

/**
 * A cached bare clone of a fabric's repository. Reads come from Git objects, never
 * from a work tree, so symbolic links are never followed; commits are written
 * with `git fast-import`.
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
    return parseLsTree((await this.git(args)).toString('utf8'), prefix);
  }

  /** Reads blobs by id, in one git process. */
  async readBlobs(ids: string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    return parseCatFileBatch(await this.git(['cat-file', '--batch'], `${unique.join('\n')}\n`));
  }

  /**
   * Builds one commit on top of `base` with the given changes; returns its id. One
   * `git fast-import` fed from memory writes the blobs (one pack: no temporary file
   * per blob, no loose objects for the push to compress again) and the commit. It
   * reads only the trees along the changed paths, so its cost does not grow with the
   * rest of the repository (e.g. the other fabrics in it).
   */
  async commit(base: string | undefined, change: TreeChange, message: string): Promise<string> {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-commit-'));
    try {
      const prefix = this.options.dirPath ? `${this.options.dirPath}/` : '';
      const stream: Buffer[] = [];
      const add = (s: string | Buffer) => stream.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
      change.writes.forEach((w, i) => {
        const bytes = typeof w.content === 'string' ? Buffer.from(w.content, 'utf8') : w.content;
        add(`blob\nmark :${i + 1}\ndata ${bytes.length}\n`);
        add(bytes);
        add('\n');
      });
      // Later operations win, so deletions of moved-away paths come first.
      const ops: string[] = change.deletes.map(p => `D ${quotePath(prefix + p)}`);
      if (change.moves.length > 0) {
        const entries = new Map((await this.listTree(base)).map(e => [e.path, e]));
        for (const m of change.moves) {
          const entry = entries.get(m.from);
          if (!entry) throw new Error(`cannot move ${m.from}: not in the tree`);
          ops.push(`D ${quotePath(prefix + m.from)}`, `M ${entry.mode} ${entry.blobId} ${quotePath(prefix + m.to)}`);
        }
      }
      change.writes.forEach((w, i) => ops.push(`M 100644 :${i + 1} ${quotePath(prefix + w.path)}`));
      const { name, email } = this.options.author;
      const who = `${name.replace(/[<>\n]/g, '')} <${email.replace(/[<>\n]/g, '')}> now`;
      const text = Buffer.from(message, 'utf8');
      const mark = change.writes.length + 1;
      // A private ref, reset first: without a base the commit is a root commit.
      add(`reset ${COMMIT_REF}\ncommit ${COMMIT_REF}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\ndata ${text.length}\n`);
      add(text);
      add(`\n${base ? `from ${base}\n` : ''}${ops.map(o => `${o}\n`).join('')}\ndone\n`);
      const marks = path.join(tmp, 'marks');
      await this.git(
        ['fast-import', '--quiet', '--done', '--force', '--date-format=now', `--export-marks=${marks}`],
        Buffer.concat(stream),
        { GLIBC_TUNABLES: [process.env.GLIBC_TUNABLES, KEEP_MALLOC_TOP].filter(Boolean).join(':') },
      );
      const line = (await fs.readFile(marks, 'utf8')).split('\n').find(l => l.startsWith(`:${mark} `));
      if (!line) throw new Error('git fast-import did not report the commit it made');
      return line.slice(line.indexOf(' ') + 1).trim();
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

  private git(args: string[], input?: string | Buffer, env?: Record<string, string>) {
    const o = this.opts();
    return git(args, { ...o, env: { ...o.env, ...env }, input });
  }
}


/** A path for a fast-import command: C-style quoted when it starts with a quote or holds a line break. */
function quotePath(p: string): string {
  if (!p.startsWith('"') && !/[\n\r]/.test(p)) return p;
  return `"${p.replace(/[\\"]/g, c => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

