import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import { askpassIn } from './askpass';
import { CachedRepository, RemoteOptions } from './CachedRepository';
import { git, lastLines } from './runGit';

/** The most files of a directory a probe lists (the rest is counted as truncated). */
export const PROBE_MAX_FILES = 20_000;

/** What a probe saw of a repository's branch. */
export type ProbeListing =
  | { reachable: false; error: string }
  | { reachable: true; branchExists: false; branches: string[] }
  | { reachable: true; branchExists: true; commit: string; paths: string[]; truncated: boolean };

/**
 * A throw-away bare repository that looks at one branch of a remote before it
 * becomes a fabric: `ls-remote` (is it reachable, with the credentials of
 * `integrations`? does the branch exist?), then a shallow fetch of the branch's
 * last commit and a listing of the directory's file names. Nothing is read but
 * names; the repository is removed afterwards. Credentials go through the
 * askpass helper's environment as for every other git process of the plugin.
 */
export class RepositoryProbe extends CachedRepository {
  private constructor(dir: string, askpass: string, remote: RemoteOptions) {
    super(dir, askpass, remote, false);
  }

  /** Probes `branch` of the remote and lists `dirPath` ('' for the root) at its head. */
  static async list(
    workingDirectory: string,
    remote: RemoteOptions,
    branch: string,
    dirPath: string,
  ): Promise<ProbeListing> {
    const parent = path.join(workingDirectory, 'probes');
    await fs.mkdir(parent, { recursive: true, mode: 0o700 });
    const dir = path.join(parent, `${process.pid}-${randomBytes(6).toString('hex')}.git`);
    try {
      await git(['init', '--bare', '--quiet', dir], { cwd: parent, timeoutMs: remote.timeoutMs });
      await git(['remote', 'add', 'origin', remote.url], { cwd: dir, timeoutMs: remote.timeoutMs });
      const probe = new RepositoryProbe(dir, await askpassIn(workingDirectory), remote);
      return await probe.listBranch(branch, dirPath);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  private async listBranch(branch: string, dirPath: string): Promise<ProbeListing> {
    const heads = await this.run(['-c', 'credential.helper=', 'ls-remote', '--heads', 'origin'], { network: true });
    if (heads.code !== 0) return { reachable: false, error: lastLines(heads.stderr, 3) };
    const branches = heads.stdout
      .toString('utf8')
      .split('\n')
      .map(l => /^[0-9a-f]{40,64}\trefs\/heads\/(.+)$/.exec(l)?.[1])
      .filter((b): b is string => Boolean(b));
    if (!branches.includes(branch)) return { reachable: true, branchExists: false, branches: branches.slice(0, 50) };
    const ref = 'refs/probe/head';
    const fetched = await this.run(
      ['-c', 'credential.helper=', 'fetch', '--quiet', '--no-tags', '--depth=1', 'origin', `+refs/heads/${branch}:${ref}`],
      { network: true },
    );
    if (fetched.code !== 0) return { reachable: false, error: lastLines(fetched.stderr, 3) };
    const commit = (await this.git(['rev-parse', '--verify', `${ref}^{commit}`])).toString('utf8').trim();
    const prefix = dirPath ? `${dirPath}/` : '';
    const args = ['ls-tree', '-r', '-z', '--name-only', '--full-tree', ref];
    if (prefix) args.push('--', prefix);
    const names = (await this.git(args)).toString('utf8').split('\0').filter(Boolean);
    const paths = names.slice(0, PROBE_MAX_FILES).map(n => n.slice(prefix.length));
    return { reachable: true, branchExists: true, commit, paths, truncated: names.length > PROBE_MAX_FILES };
  }
}
