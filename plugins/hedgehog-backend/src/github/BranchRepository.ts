import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import { TreeChange, buildCommit } from '../git/commitBuilder';
import { GitCommandError, GitCredentials, git, lastLines, runGit } from '../git/runGit';
import { TreeEntry } from '../gitops/tree';
import { networkEnv, parseCatFileBatch, parseLsTree, pushOutcome, writeAskpass } from '../git/gitPlumbing';

export interface BranchRepositoryOptions {
  /** Root folder for cached repositories (the plugin's working directory). */
  cacheDir: string;
  url: string;
  credentials?: GitCredentials;
  author: { name: string; email: string };
  timeoutMs: number;
}

/** Serializes the operations on one cached repository within this process. */
const locks = new Map<string, Promise<unknown>>();

/**
 * A cached bare repository of a Git URL for work on refs other than a fabric's
 * branch: review branches (force-pushed with a lease), pull request heads
 * (`refs/pull/<n>/head`) and single commits such as an adoption. Like
 * GitWorkspace it reads Git objects only (no work tree), builds commits with the
 * same fast-import builder and hands credentials to git through an askpass helper's
 * environment, never the URL or argv. It keeps its own cache so that it never
 * races a sync on the fabric's workspace.
 */
export class BranchRepository {
  private constructor(
    private readonly dir: string,
    private readonly askpass: string,
    private readonly options: BranchRepositoryOptions,
  ) {}

  /** Opens (or creates) the cache of a URL and runs `fn` while no other caller of this process uses it. */
  static async use<T>(options: BranchRepositoryOptions, fn: (repo: BranchRepository) => Promise<T>): Promise<T> {
    const id = createHash('sha256').update(options.url).digest('hex').slice(0, 16);
    const base = path.join(options.cacheDir, 'branches');
    const dir = path.join(base, `${id}.git`);
    const previous = locks.get(dir) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      const askpass = await writeAskpass(base);
      const repo = new BranchRepository(dir, askpass, options);
      await repo.init();
      return fn(repo);
    });
    const settled = run.catch(() => undefined);
    locks.set(dir, settled);
    try {
      return await run;
    } finally {
      if (locks.get(dir) === settled) locks.delete(dir);
    }
  }

  private async init() {
    await fs.mkdir(this.dir, { recursive: true });
    try {
      await fs.access(path.join(this.dir, 'HEAD'));
    } catch {
      await this.git(['init', '--bare', '--quiet', '.']);
    }
    const remote = await runGit(['remote', 'get-url', 'origin'], this.opts());
    if (remote.code !== 0) await this.git(['remote', 'add', 'origin', this.options.url]);
    else if (remote.stdout.toString().trim() !== this.options.url) {
      await this.git(['remote', 'set-url', 'origin', this.options.url]);
    }
  }

  /** The remote's value of each ref (full names, e.g. `refs/heads/main`); absent refs are missing from the map. */
  async lsRemote(refs: string[]): Promise<Map<string, string>> {
    const result = await runGit(
      ['-c', 'credential.helper=', 'ls-remote', '--refs', 'origin', ...refs],
      this.opts({ network: true }),
    );
    if (result.code !== 0) {
      throw new GitCommandError(
        `reading the refs of ${this.options.url} failed: ${lastLines(result.stderr)}`,
        result.code,
        result.stderr,
      );
    }
    const found = new Map<string, string>();
    for (const line of result.stdout.toString('utf8').split('\n')) {
      const [sha, ref] = line.split('\t');
      if (sha && ref && refs.includes(ref)) found.set(ref, sha);
    }
    return found;
  }

  /** Fetches refs of the remote (full names) into local refs under `refs/hedgehog/`; returns their commits. */
  async fetch(refs: string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (refs.length === 0) return result;
    const specs = refs.map(r => `+${r}:${this.localRef(r)}`);
    const out = await runGit(
      ['-c', 'credential.helper=', 'fetch', '--quiet', '--no-tags', 'origin', ...specs],
      this.opts({ network: true }),
    );
    if (out.code !== 0) {
      throw new GitCommandError(
        `fetching ${refs.join(', ')} of ${this.options.url} failed: ${lastLines(out.stderr)}`,
        out.code,
        out.stderr,
      );
    }
    for (const r of refs) {
      result.set(r, (await this.git(['rev-parse', '--verify', `${this.localRef(r)}^{commit}`])).toString().trim());
    }
    return result;
  }

  /** Whether a commit is present in the cache. */
  async has(commit: string): Promise<boolean> {
    const r = await runGit(['cat-file', '-e', `${commit}^{commit}`], this.opts());
    return r.code === 0;
  }

  /** The files of a folder at a commit, paths relative to the folder ('' for the root). */
  async listTree(commit: string, dirPath: string): Promise<TreeEntry[]> {
    const prefix = dirPath ? `${dirPath}/` : '';
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

  /** Whether `head` changes anything below `dirPath` since where it forked from `base`. */
  async changesBelow(base: string, head: string, dirPath: string): Promise<boolean> {
    const mergeBase = await runGit(['merge-base', base, head], this.opts());
    const from = mergeBase.code === 0 ? mergeBase.stdout.toString().trim() : base;
    const args = ['diff', '--quiet', '--no-renames', from, head];
    if (dirPath) args.push('--', `${dirPath}/`);
    const r = await runGit(args, this.opts());
    if (r.code > 1) throw new GitCommandError(`git diff failed: ${lastLines(r.stderr)}`, r.code, r.stderr);
    return r.code === 1;
  }

  /** The tree and parents of a commit. */
  async describe(commit: string): Promise<{ tree: string; parents: string[] }> {
    const out = (await this.git(['show', '-s', '--format=%T %P', commit])).toString().trim().split(' ');
    return { tree: out[0], parents: out.slice(1).filter(Boolean) };
  }

  /** Builds one commit on top of `base` with changes below `dirPath`; returns its id. */
  async commit(base: string, dirPath: string, change: TreeChange, message: string): Promise<string> {
    return buildCommit((args, input, env) => this.git(args, input, env), {
      base,
      dirPath,
      change,
      message,
      author: this.options.author,
      entriesAtBase: () => this.listTree(base, dirPath),
    });
  }

  /**
   * Pushes a commit to a branch. With `force`, the branch is overwritten provided
   * the remote still holds `expected` (undefined: the branch must not exist), so
   * a concurrent writer is never overwritten blindly. Returns 'rejected' when the
   * remote moved; throws on any other failure.
   */
  async push(commit: string, branch: string, opts: { force?: boolean; expected?: string } = {}): Promise<'pushed' | 'rejected'> {
    const ref = `refs/heads/${branch}`;
    const args = ['-c', 'credential.helper=', 'push', '--quiet', '--porcelain'];
    if (opts.force) args.push(`--force-with-lease=${ref}:${opts.expected ?? ''}`);
    args.push('origin', `${commit}:${ref}`);
    const result = await runGit(args, this.opts({ network: true }));
    return pushOutcome(result, `branch ${branch} of ${this.options.url}`);
  }

  private localRef(remoteRef: string) {
    return `refs/hedgehog/${remoteRef.replace(/^refs\//, '')}`;
  }

  private opts(extra: { network?: boolean } = {}) {
    const { env, secrets } = extra.network
      ? networkEnv(this.askpass, this.options.credentials, this.options.timeoutMs)
      : { env: {}, secrets: [] };
    return { cwd: this.dir, env, timeoutMs: this.options.timeoutMs, secrets };
  }

  private git(args: string[], input?: string | Buffer, env?: Record<string, string>) {
    const o = this.opts();
    return git(args, { ...o, env: { ...o.env, ...env }, input });
  }
}


