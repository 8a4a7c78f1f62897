import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { existingLockIn, lockFailure, removeStaleLock } from './staleLocks';

describe('stale lock files', () => {
  it('finds the lock file in git\'s message', () => {
    expect(
      existingLockIn(
        "error: cannot lock ref 'refs/remotes/origin/main': Unable to create '/srv/c/r.git/refs/remotes/origin/main.lock': File exists.\n\nAnother git process seems to be running",
      ),
    ).toBe('/srv/c/r.git/refs/remotes/origin/main.lock');
    expect(existingLockIn('fatal: could not read Username')).toBeUndefined();
    expect(lockFailure("fatal: Unable to create '/c/repos/0a1b.git/packed-refs.lock': File exists.")).toMatch(
      /^the lock file packed-refs\.lock of the clone exists: .* removed once it is older than the git timeout/,
    );
    expect(lockFailure("error: Unable to create './refs/remotes/origin/main.lock': File exists.")).toMatch(
      /^the lock file refs\/remotes\/origin\/main\.lock of the clone/,
    );
    expect(lockFailure('fatal: could not read Username')).toBeUndefined();
  });

  it('removes only an old lock file inside the repository', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-locks-'));
    try {
      const repo = path.join(root, 'r.git');
      await fs.mkdir(path.join(repo, 'refs'), { recursive: true });
      const inside = path.join(repo, 'refs', 'x.lock');
      const outside = path.join(root, 'elsewhere.lock');
      const old = new Date(Date.now() - 120_000);
      for (const f of [inside, outside]) {
        await fs.writeFile(f, '');
        await fs.utimes(f, old, old);
      }
      const message = (f: string) => `fatal: Unable to create '${f}': File exists.`;
      expect(await removeStaleLock(message(outside), repo, 60_000)).toBe(false);
      expect(await removeStaleLock(message(path.join(repo, '..', 'elsewhere.lock')), repo, 60_000)).toBe(false);
      await expect(fs.access(outside)).resolves.toBeUndefined();
      expect(await removeStaleLock(message(inside), repo, 600_000)).toBe(false); // younger than that
      expect(await removeStaleLock(message(inside), repo, 60_000)).toBe(true);
      await expect(fs.access(inside)).rejects.toThrow();
      expect(await removeStaleLock('fatal: something else', repo, 60_000)).toBe(false);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
