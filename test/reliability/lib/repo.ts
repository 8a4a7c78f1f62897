/* Reading what a bare repository holds, for the reliability suite's checks. */
import { execFile } from 'node:child_process';
import { parseCatFileBatch } from '@fabric-gitops/plugin-hedgehog-backend/src/git/gitPlumbing';
import { gitBlobId } from '@fabric-gitops/plugin-hedgehog-backend/src/gitops/blobId';
import { readRemoteTree, TreeEntry } from '../../servers';

export type { TreeEntry };

/** The Git blob id of some bytes (what `git hash-object` prints). */
export const blobId = gitBlobId;

/** The files under `prefix/` of the branch, keyed by path relative to `prefix`. */
export async function fabricTree(repo: string, prefix: string, branch = 'main'): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  for (const [p, e] of await readRemoteTree(repo, branch)) {
    if (p.startsWith(`${prefix}/`)) out.set(p.slice(prefix.length + 1), e);
  }
  return out;
}

function git(repo: string, args: string[], input?: string, maxBuffer = 512 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [`--git-dir=${repo}`, ...args],
      { encoding: 'buffer', maxBuffer, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } },
      (err, stdout, stderr) => (err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(stdout)),
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end(input ?? '');
  });
}

/** The bytes of blobs by id (one `cat-file --batch`). */
export async function readBlobs(repo: string, ids: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  return parseCatFileBatch(await git(repo, ['cat-file', '--batch'], `${unique.join('\n')}\n`));
}

/** Whether any object of the repository (reachable or not) contains `needle`. */
export async function anyObjectContains(repo: string, needle: string): Promise<boolean> {
  const out = await git(repo, ['cat-file', '--batch-all-objects', '--batch', '--unordered']);
  return out.includes(needle);
}

/** Commit ids of the branch, oldest first. */
export async function commits(repo: string, branch = 'main'): Promise<string[]> {
  const out = (await git(repo, ['rev-list', '--reverse', `refs/heads/${branch}`])).toString();
  return out.split('\n').filter(Boolean);
}

/** `git fsck --full` of a repository; throws with its output on any problem. */
export async function fsck(repo: string): Promise<void> {
  await git(repo, ['fsck', '--full', '--no-dangling']);
}

/** Parent count and subject of a commit. */
export async function commitInfo(repo: string, id: string): Promise<{ parents: string[]; subject: string }> {
  const out = (await git(repo, ['log', '-1', '--format=%P%n%s', id])).toString().split('\n');
  return { parents: out[0].split(' ').filter(Boolean), subject: out[1] };
}
