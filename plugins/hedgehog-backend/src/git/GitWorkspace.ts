import { promises as fs } from 'fs';
import { createHash } from 'crypto';
import path from 'path';
import { TreeEntry } from '../gitops/tree';
import { TreeChange, buildCommit } from './commitBuilder';
import { recalled, remember } from './listings';
import { createBareClone, isBareRepository } from './bareClone';
import { withCloneLock } from './cloneLock';
import { closeObjectReaders, objectReaderFor } from './ObjectReader';
import { applyTreeChanges } from './treeDiff';
import { TreeObjectEntry, TreeReader, diffTrees, parseTreeObject, subtreeId } from './treeObjects';
import { BlobRead, CachedRepository, RemoteOptions } from './CachedRepository';
import { askpassIn } from './askpass';
import { parseLsTree, parseRemoteConfig } from './gitPlumbing';
import { FileHistory, fileHistoryArgs, parseFileHistory } from './fileHistory';
import { GitCommandError, lastLines } from './runGit';

export type { TreeChange } from './commitBuilder';

export interface GitWorkspaceOptions extends RemoteOptions {
  /** Root folder for cached repositories. */
  cacheDir: string;
  branch: string;
  /** The fabric directory inside the repository ('' for the root). */
  dirPath: string;
}

/** The fetch refspec `git remote add` configures; it maps pushed branches to their remote-tracking refs. */
const TRACKING_REFSPEC = '+refs/heads/*:refs/remotes/origin/*';

/**
 * The largest tree object read (about 150,000 entries in one folder): a larger one
 * is not read, and the listing since the last sync comes from `git ls-tree` instead.
 */
const MAX_TREE_BYTES = 10 * 1024 * 1024;

/** Clones whose `origin` this process has already checked or set: dir -> url. */
const ORIGINS = new Map<string, string>();

/**
 * A fabric's view of the cached bare clone of its repository and branch (shared by
 * every fabric in a folder of that branch). Reads come from Git objects, never
 * from a work tree, so symbolic links are never followed; commits are written
 * with `git fast-import`. The listings it remembers are per folder; the object
 * reader is the clone's.
 */
export class GitWorkspace extends CachedRepository {
  private constructor(
    dir: string,
    askpass: string,
    private readonly options: GitWorkspaceOptions,
  ) {
    super(dir, askpass, options, true);
  }

  /**
   * Opens the clone of the fabric's repository and branch (made on first use).
   * The fabrics of one repository and branch share it: its git writes (fetch,
   * commit, push, making the clone) take the clone's lock (withCloneLock), reads
   * do not.
   */
  static async open(options: GitWorkspaceOptions): Promise<GitWorkspace> {
    const id = createHash('sha256').update(`${options.url}\n${options.branch}`).digest('hex').slice(0, 16);
    const dir = path.join(options.cacheDir, 'repos', `${id}.git`);
    const askpass = await askpassIn(options.cacheDir);
    const ws = new GitWorkspace(dir, askpass, options);
    await withCloneLock(dir, () => ws.prepare());
    return ws;
  }

  /** Makes the clone when it is missing or half-made, and checks its origin. */
  private async prepare() {
    const { dir, options } = this;
    if (!(await isBareRepository(dir))) {
      ORIGINS.delete(dir);
      closeObjectReaders(dir);
      await createBareClone(dir, options.url, options.timeoutMs);
      ORIGINS.set(dir, options.url);
    }
    // Checked once per process (a git process less on every later run).
    if (ORIGINS.get(dir) !== options.url) {
      const config = await this.run(['config', '--get-regexp', '^remote\\.origin\\.(url|fetch)$']);
      const remote = parseRemoteConfig(config.code === 0 ? config.stdout.toString('utf8') : '');
      if (remote.url === undefined) {
        await this.git(['remote', 'add', 'origin', options.url]);
      } else {
        if (remote.url !== options.url) await this.git(['remote', 'set-url', 'origin', options.url]);
        // The push updates the remote-tracking ref itself through this refspec (no update-ref after it).
        if (!remote.fetch.includes(TRACKING_REFSPEC)) await this.git(['config', '--add', 'remote.origin.fetch', TRACKING_REFSPEC]);
      }
      ORIGINS.set(dir, options.url);
    }
  }

  /** Fetches the branch; returns its head, or undefined when the branch does not exist yet. */
  async fetch(): Promise<string | undefined> {
    return (await this.fetchBranch()).head;
  }

  /**
   * Fetches the branch: its head (undefined when the branch does not exist yet), and
   * whether its history was rewritten since the clone last saw it (a force-push:
   * the commits seen before are no longer in it), as git's fetch reports.
   */
  fetchBranch(): Promise<{ head: string | undefined; rewritten: boolean }> {
    return withCloneLock(this.dir, () => this.fetchUnlocked());
  }

  private async fetchUnlocked(): Promise<{ head: string | undefined; rewritten: boolean }> {
    const ref = this.remoteRef();
    // Not --quiet: git's one line per updated ref says "(forced update)" (LC_ALL=C).
    const result = await this.run(
      ['-c', 'credential.helper=', 'fetch', '--no-progress', '--no-tags', '--prune', 'origin', `+refs/heads/${this.options.branch}:${ref}`],
      { network: true },
    );
    if (result.code !== 0) {
      if (/couldn't find remote ref/i.test(result.stderr)) {
        await this.run(['update-ref', '-d', ref]);
        return { head: undefined, rewritten: false };
      }
      throw new GitCommandError(
        `fetching branch ${this.options.branch} of ${this.options.url} failed: ${lastLines(result.stderr)}`,
        result.code,
        result.stderr,
      );
    }
    const rewritten = /\(forced update\)/.test(result.stderr);
    // The loose ref fetch just wrote (or left) is the head; rev-parse only when the ref is packed.
    const loose = await fs.readFile(path.join(this.dir, ref), 'utf8').catch(() => '');
    if (/^[0-9a-f]{40}\n?$/.test(loose)) return { head: loose.trim(), rewritten };
    return { head: (await this.git(['rev-parse', '--verify', `${ref}^{commit}`])).toString().trim(), rewritten };
  }

  /** The files of the fabric directory at a commit, paths relative to that directory. */
  async listTree(commit: string | undefined): Promise<TreeEntry[]> {
    if (!commit) return [];
    const prefix = this.options.dirPath ? `${this.options.dirPath}/` : '';
    const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
    if (prefix) args.push('--', prefix);
    const entries = parseLsTree((await this.git(args)).toString('utf8'), prefix);
    remember(this.listingKey(), commit, entries.slice());
    return entries;
  }

  /**
   * The files of the fabric directory at `head`, from those remembered at `base` (by
   * listTree or remember) and the trees that differ between the two commits:
   * 'same' when the directory did not change, undefined when nothing is remembered
   * at `base` or Git cannot compare.
   */
  async listTreeSince(base: string, head: string): Promise<TreeEntry[] | 'same' | undefined> {
    const known = recalled(this.listingKey(), base);
    if (!known) return undefined;
    const changes = await this.reading(async () => {
      const [a, b] = await this.fabricTrees([base, head]);
      return diffTrees(this.readTrees, a, b);
    }).catch(() => undefined);
    if (!changes) return undefined;
    if (changes.length === 0) return 'same';
    const entries = applyTreeChanges(known, changes);
    remember(this.listingKey(), head, entries);
    return entries.slice();
  }

  /**
   * The commits from `commit` back that changed a file of the fabric directory (path
   * relative to it), newest first, following renames (`git log --follow`), each with
   * its diff of the file, bounded (see parseFileHistory). A read: no lock, no network.
   */
  async fileHistory(
    commit: string,
    file: string,
    bounds: { limit: number; maxDiffBytes: number; maxBytes: number },
  ): Promise<FileHistory> {
    const full = this.options.dirPath ? `${this.options.dirPath}/${file}` : file;
    const out = await this.git(fileHistoryArgs(commit, full, bounds.limit));
    const prefix = this.options.dirPath ? `${this.options.dirPath}/` : '';
    const history = parseFileHistory(out.toString('utf8'), full, bounds);
    for (const e of history.entries) if (prefix && e.path.startsWith(prefix)) e.path = e.path.slice(prefix.length);
    return history;
  }

  /** Remembers the fabric directory's files at a commit (e.g. one this process made) for listTreeSince. */
  remember(commit: string, entries: TreeEntry[]) {
    remember(this.listingKey(), commit, entries.slice());
  }

  /**
   * Reads blobs by id from the clone's object reader; what it could not read, with
   * git processes of its own. Blobs over `maxBytes` are never read: only their sizes
   * are returned. Left out: ids the clone does not have.
   */
  async readBlobs(ids: string[], maxBytes: number): Promise<BlobRead> {
    const unique = [...new Set(ids)];
    const read: BlobRead = { blobs: new Map(), tooLarge: new Map() };
    if (unique.length === 0) return read;
    const objects = await this.reading(() => this.reader().read(unique, maxBytes)).catch(() => []);
    const rest: string[] = [];
    unique.forEach((id, i) => {
      const o = objects[i];
      if (!o) rest.push(id);
      else if (o.content) read.blobs.set(id, o.content);
      else read.tooLarge.set(id, o.size);
    });
    if (rest.length === 0) return read;
    // The reader may be out of step with the folder (e.g. made anew under it): a fresh one next time.
    closeObjectReaders(this.dir);
    const more = await this.catFileBatch(rest, maxBytes);
    for (const [id, content] of more.blobs) read.blobs.set(id, content);
    for (const [id, size] of more.tooLarge) read.tooLarge.set(id, size);
    return read;
  }

  /** Builds one commit on top of `base` (none: a root commit) with the given changes; returns its id. */
  async commit(base: string | undefined, change: TreeChange, message: string): Promise<string> {
    // Read before the lock: the listing needs no lock, and the clone's other fabrics need not wait for it.
    const atBase = change.moves.length > 0 ? (base && recalled(this.listingKey(), base)) || (await this.listTree(base)) : [];
    return withCloneLock(this.dir, () =>
      buildCommit((args, input, env) => this.git(args, input, env), {
        base,
        dirPath: this.options.dirPath,
        change,
        message,
        author: this.options.author,
        entriesAtBase: async () => atBase,
      }),
    );
  }

  /**
   * Whether the fabric directory is the same tree in two commits. False when
   * either commit or the directory is missing here.
   */
  async sameFabricTree(a: string, b: string): Promise<boolean> {
    const trees = await this.reading(() => this.fabricTrees([a, b])).catch(() => undefined);
    return Boolean(trees?.[0]) && trees![0] === trees![1];
  }

  /**
   * Pushes a commit to the branch. Returns 'rejected' when the remote moved (the
   * caller re-plans on the new head); throws on any other failure.
   */
  push(commit: string): Promise<'pushed' | 'rejected'> {
    // The configured fetch refspec (TRACKING_REFSPEC) makes git move the remote-tracking
    // ref to the pushed commit, which the next fetch and no-op detection start from.
    return withCloneLock(this.dir, () => this.pushToBranch(commit, this.options.branch));
  }

  private reader() {
    return objectReaderFor(this.dir, this.options.timeoutMs);
  }

  /** Runs reads of the object reader; when they fail, the reader is closed (the next read starts a new one). */
  private async reading<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (e) {
      closeObjectReaders(this.dir);
      throw e;
    }
  }

  private readonly readTrees: TreeReader = async ids => {
    // a tree over the limit is left out: the caller cannot diff it and lists with git instead
    const objects = await this.reader().read(ids, MAX_TREE_BYTES);
    const trees = new Map<string, TreeObjectEntry[]>();
    objects.forEach((o, i) => {
      if (o?.type === 'tree' && o.content) trees.set(ids[i], parseTreeObject(o.content, o.id.length / 2));
    });
    return trees;
  };

  /** The fabric directory's tree at each commit; undefined where the directory is not there. Throws for a commit the clone lacks. */
  private async fabricTrees(commits: string[]): Promise<Array<string | undefined>> {
    // only the root trees' ids (subtreeId reads the trees it walks)
    const roots = await this.reader().read(commits.map(c => `${c}^{tree}`), 0);
    return Promise.all(
      roots.map((root, i) => {
        if (!root) throw new Error(`commit ${commits[i]} is not in the clone`);
        return subtreeId(this.readTrees, root.id, this.options.dirPath);
      }),
    );
  }

  private listingKey() {
    return `${this.dir}\u0000${this.options.dirPath}`;
  }

  private remoteRef() {
    return `refs/remotes/origin/${this.options.branch}`;
  }
}
