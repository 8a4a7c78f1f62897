import { promises as fs } from 'fs';
import path from 'path';

/** The lock file git names when it finds one already there ("Unable to create '<file>.lock': File exists"). */
export function existingLockIn(stderr: string): string | undefined {
  return /Unable to create '([^']+\.lock)': File exists/.exec(stderr)?.[1];
}

/** A readable reason for a git failure on an existing lock file; undefined for other failures. */
export function lockFailure(stderr: string): string | undefined {
  const lock = existingLockIn(stderr);
  if (!lock) return undefined;
  // git names it relative to the clone (./refs/...) or by its absolute path (.../<id>.git/refs/...)
  const inRepo = (/\.git\/(.+)$/.exec(lock)?.[1] ?? lock).replace(/^\.\//, '');
  return `the lock file ${inRepo} of the clone exists: another git process is at work in it, or one was killed and left it behind (it is removed once it is older than the git timeout)`;
}

/**
 * Removes the lock file git could not create because it exists, when it lies in
 * `repoDir` and is older than `olderThanMs`: a git process killed with the backend
 * (SIGKILL, OOM) leaves its locks behind, and every later fetch or push of the
 * clone would fail on them. Git processes of the plugin are killed after the git
 * timeout, so a lock older than that has no live owner. Returns whether it did.
 */
export async function removeStaleLock(stderr: string, repoDir: string, olderThanMs: number): Promise<boolean> {
  const named = existingLockIn(stderr);
  if (!named) return false;
  const file = path.resolve(repoDir, named);
  const relative = path.relative(path.resolve(repoDir), file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
  const stat = await fs.lstat(file).catch(() => undefined);
  if (!stat?.isFile() || Date.now() - stat.mtimeMs < olderThanMs) return false;
  await fs.rm(file, { force: true });
  return true;
}
