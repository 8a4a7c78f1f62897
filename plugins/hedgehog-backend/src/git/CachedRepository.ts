import { networkEnv, parseBatchCheck, parseCatFileBatch, pushOutcome } from './gitPlumbing';
import { GitCredentials, GitResult, RunGitOptions, git, runGit } from './runGit';

/** Blobs read with a size limit: those within it, and the sizes of those over it (never read). */
export interface BlobRead {
  blobs: Map<string, Buffer>;
  tooLarge: Map<string, number>;
}

/** The remote a cached repository mirrors, and how git talks to it. */
export interface RemoteOptions {
  url: string;
  credentials?: GitCredentials;
  author: { name: string; email: string };
  timeoutMs: number;
}

/**
 * A bare repository in the plugin's working directory that caches one remote:
 * the one way this plugin runs git in it (sanitized environment, timeouts,
 * credentials through the askpass helper's environment — never the URL or argv —
 * and secrets scrubbed from all output) and pushes to it. GitWorkspace (a fabric's
 * branch) and BranchRepository (review branches, pull request heads, adoptions)
 * build on it.
 */
export abstract class CachedRepository {
  protected constructor(
    protected readonly dir: string,
    private readonly askpass: string,
    protected readonly remote: RemoteOptions,
    /** Whether lock files left by a killed git process may be removed (see runGit). */
    private readonly clearsStaleLocks: boolean,
  ) {}

  /** Options of a git process in the repository; `network` adds the askpass environment. */
  protected opts(extra: { network?: boolean } = {}): RunGitOptions {
    const { env, secrets } = extra.network
      ? networkEnv(this.askpass, this.remote.credentials, this.remote.timeoutMs)
      : { env: {}, secrets: [] };
    return {
      cwd: this.dir,
      env,
      timeoutMs: this.remote.timeoutMs,
      secrets,
      ...(this.clearsStaleLocks ? { staleLocksIn: this.dir } : {}),
    };
  }

  /** Whether a commit is present in the repository. */
  async has(commit: string): Promise<boolean> {
    const r = await this.run(['cat-file', '-e', `${commit}^{commit}`]);
    return r.code === 0;
  }

  /** Runs git in the repository; resolves with its exit code and output. */
  protected run(args: string[], extra: { network?: boolean } = {}): Promise<GitResult> {
    return runGit(args, this.opts(extra));
  }

  /** Runs git in the repository and throws a readable error on a non-zero exit code. */
  protected git(args: string[], input?: string | Buffer, env?: Record<string, string>): Promise<Buffer> {
    const o = this.opts();
    return git(args, { ...o, env: { ...o.env, ...env }, input });
  }

  /**
   * Reads blobs by id: their sizes with one `git cat-file --batch-check`, then the
   * content of those of at most `maxBytes` with one `git cat-file --batch`, so a blob
   * over the limit is never read. Ids the repository lacks are left out.
   */
  protected async catFileBatch(ids: string[], maxBytes: number): Promise<BlobRead> {
    const read: BlobRead = { blobs: new Map(), tooLarge: new Map() };
    if (ids.length === 0) return read;
    const sizes = parseBatchCheck(await this.git(['cat-file', '--batch-check'], `${ids.join('\n')}\n`));
    const fit: string[] = [];
    for (const [id, { size }] of sizes) {
      if (size > maxBytes) read.tooLarge.set(id, size);
      else fit.push(id);
    }
    if (fit.length > 0) read.blobs = parseCatFileBatch(await this.git(['cat-file', '--batch'], `${fit.join('\n')}\n`));
    return read;
  }

  /**
   * Pushes a commit to a branch of the remote. With `lease`, the branch is
   * overwritten provided the remote still holds `lease.expected` (undefined: the
   * branch must not exist), so a concurrent writer is never overwritten blindly.
   * Returns 'rejected' when the remote moved (the caller decides whether to
   * retry); throws on any other failure.
   */
  protected async pushToBranch(commit: string, branch: string, lease?: { expected?: string }): Promise<'pushed' | 'rejected'> {
    const ref = `refs/heads/${branch}`;
    const args = ['-c', 'credential.helper=', 'push', '--quiet', '--porcelain'];
    if (lease) args.push(`--force-with-lease=${ref}:${lease.expected ?? ''}`);
    args.push('origin', `${commit}:${ref}`);
    const result = await this.run(args, { network: true });
    return pushOutcome(result, `branch ${branch} of ${this.remote.url}`);
  }
}
