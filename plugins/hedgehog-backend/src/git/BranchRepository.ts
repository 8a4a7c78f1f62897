import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import { TreeEntry } from '../gitops/tree';
import { BlobRead, CachedRepository, RemoteOptions } from './CachedRepository';
import { withCloneLock } from './cloneLock';
import { TreeChange, buildCommit } from './commitBuilder';
import { askpassIn } from './askpass';
import { parseLsTree } from './gitPlumbing';
import { GitCommandError, lastLines } from './runGit';

export interface BranchRepositoryOptions extends RemoteOptions {
  /** Root folder for cached repositories (the plugin's working directory). */
  cacheDir: string;
}

/** Where fetched pull request heads go: scratch refs, deleted after each use. */
const SCRATCH_REFS = 'refs/hedgehog/pull/';

/** Caches whose scratch refs left by an earlier process were removed by this one. */
const pruned = new Set<string>();

/**
 * A cached bare repository of a Git URL for work on refs other than a fabric's
 * branch: review branches (force-pushed with a lease), pull request heads
 * (`refs/pull/<n>/head`) and single commits such as an adoption. Like
 * GitWorkspace it reads Git objects only (no work tree), builds commits with the
 * same fast-import builder and hands credentials to git through an askpass helper's
 * environment, never the URL or argv. It keeps its own cache so that it never
 * races a sync on the fabric's workspace.
 */
export class BranchRepository extends CachedRepository {
  private constructor(
    dir: string,
    askpass: string,
    private readonly options: BranchRepositoryOptions,
  ) {
    super(dir, askpass, options, false);
  }

  /** The scratch refs this use fetched (see fetch). */
  private readonly fetchedScratch: string[] = [];

  /** Opens (or creates) the cache of a URL and runs `fn` while no other caller of this process uses it. */
  static async use<T>(options: BranchRepositoryOptions, fn: (repo: BranchRepository) => Promise<T>): Promise<T> {
    const id = createHash('sha256').update(options.url).digest('hex').slice(0, 16);
    const base = path.join(options.cacheDir, 'branches');
    const dir = path.join(base, `${id}.git`);
    return withCloneLock(dir, async () => {
      const askpass = await askpassIn(options.cacheDir);
      const repo = new BranchRepository(dir, askpass, options);
      await repo.init();
      if (!pruned.has(dir)) {
        // left by a process that ended before deleting them
        await repo.deleteScratchRefs(await repo.scratchRefs());
        pruned.add(dir);
      }
      try {
        return await fn(repo);
      } finally {
        // when this fails, the next use prunes them all
        await repo.deleteScratchRefs(repo.fetchedScratch).catch(() => pruned.delete(dir));
      }
    });
  }

  private async init() {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    try {
      await fs.access(path.join(this.dir, 'HEAD'));
    } catch {
      await this.git(['init', '--bare', '--quiet', '.']);
    }
    const remote = await this.run(['remote', 'get-url', 'origin']);
    if (remote.code !== 0) await this.git(['remote', 'add', 'origin', this.options.url]);
    else if (remote.stdout.toString().trim() !== this.options.url) {
      await this.git(['remote', 'set-url', 'origin', this.options.url]);
    }
  }

  /** The remote's value of each ref (full names, e.g. `refs/heads/main`); absent refs are missing from the map. */
  async lsRemote(refs: string[]): Promise<Map<string, string>> {
    const result = await this.run(['-c', 'credential.helper=', 'ls-remote', '--refs', 'origin', ...refs], { network: true });
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

  /**
   * Fetches refs of the remote (full names) into local refs under `refs/hedgehog/`;
   * returns their commits. Pull request heads (`refs/pull/…`, and the refs named in
   * `scratch`) go under `refs/hedgehog/pull/` and are deleted when the use ends.
   */
  async fetch(refs: string[], opts: { scratch?: string[] } = {}): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (refs.length === 0) return result;
    const local = (r: string) =>
      opts.scratch?.includes(r) && !r.startsWith('refs/pull/') ? `${SCRATCH_REFS}${r.replace(/^refs\//, '')}` : this.localRef(r);
    const specs = refs.map(r => `+${r}:${local(r)}`);
    const out = await this.run(['-c', 'credential.helper=', 'fetch', '--quiet', '--no-tags', 'origin', ...specs], { network: true });
    if (out.code !== 0) {
      throw new GitCommandError(
        `fetching ${refs.join(', ')} of ${this.options.url} failed: ${lastLines(out.stderr)}`,
        out.code,
        out.stderr,
      );
    }
    for (const r of refs) {
      const ref = local(r);
      if (ref.startsWith(SCRATCH_REFS)) this.fetchedScratch.push(ref);
      result.set(r, (await this.git(['rev-parse', '--verify', `${ref}^{commit}`])).toString().trim());
    }
    return result;
  }

  /** The scratch refs (fetched pull request heads) in the cache. */
  private async scratchRefs(): Promise<string[]> {
    const out = await this.git(['for-each-ref', '--format=%(refname)', SCRATCH_REFS]);
    return out.toString('utf8').split('\n').filter(Boolean);
  }

  /** Deletes scratch refs: a pull request's head is not kept once it was read. */
  private async deleteScratchRefs(refs: string[]) {
    const unique = [...new Set(refs)];
    if (unique.length === 0) return;
    await this.git(['update-ref', '--no-deref', '--stdin'], unique.map(r => `delete ${r}\n`).join(''));
    refs.length = 0;
  }

  /** The files of a folder at a commit, paths relative to the folder ('' for the root). */
  async listTree(commit: string, dirPath: string): Promise<TreeEntry[]> {
    const prefix = dirPath ? `${dirPath}/` : '';
    const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
    if (prefix) args.push('--', prefix);
    return parseLsTree((await this.git(args)).toString('utf8'), prefix);
  }

  /** Reads blobs by id; those over `maxBytes` are not read, only their sizes are returned. */
  async readBlobs(ids: string[], maxBytes: number): Promise<BlobRead> {
    return this.catFileBatch([...new Set(ids)], maxBytes);
  }

  /** Whether `head` changes anything below `dirPath` since where it forked from `base`. */
  async changesBelow(base: string, head: string, dirPath: string): Promise<boolean> {
    const mergeBase = await this.run(['merge-base', base, head]);
    const from = mergeBase.code === 0 ? mergeBase.stdout.toString().trim() : base;
    const args = ['diff', '--quiet', '--no-renames', from, head];
    if (dirPath) args.push('--', `${dirPath}/`);
    const r = await this.run(args);
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
   * the remote still holds `expected` (undefined: the branch must not exist).
   * Returns 'rejected' when the remote moved; throws on any other failure.
   */
  async push(commit: string, branch: string, opts: { force?: boolean; expected?: string } = {}): Promise<'pushed' | 'rejected'> {
    return this.pushToBranch(commit, branch, opts.force ? { expected: opts.expected } : undefined);
  }

  private localRef(remoteRef: string) {
    return `refs/hedgehog/${remoteRef.replace(/^refs\//, '')}`;
  }
}
