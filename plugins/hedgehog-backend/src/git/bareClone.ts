import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import { git } from './runGit';
import { isProcessAlive } from './processes';

/** What Git needs to take a folder for a bare repository: HEAD, objects/ and refs/. */
export async function isBareRepository(dir: string): Promise<boolean> {
  const present = await Promise.all(
    ['HEAD', 'objects', 'refs'].map(p => fs.access(path.join(dir, p)).then(() => true, () => false)),
  );
  return present.every(Boolean);
}

/**
 * Makes `dir` an empty bare clone whose `origin` is `url`. It is built aside and
 * moved into place, so a backend killed meanwhile leaves either no clone or a
 * whole one (a half-made one, e.g. HEAD without objects/, made every later git
 * command fail with "not a git repository"). What was at `dir` is removed: the
 * clone is a cache of the remote.
 */
export async function createBareClone(dir: string, url: string, timeoutMs: number): Promise<void> {
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true, mode: 0o700 });
  await removeAbandoned(dir);
  const tmp = `${dir}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await git(['init', '--bare', '--quiet', tmp], { cwd: parent, timeoutMs });
    // also configures the fetch refspec +refs/heads/*:refs/remotes/origin/*
    await git(['remote', 'add', 'origin', url], { cwd: tmp, timeoutMs });
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** Removes clones of `dir` that a killed process left half-made (their process is gone). */
async function removeAbandoned(dir: string) {
  const prefix = `${path.basename(dir)}.`;
  const names = await fs.readdir(path.dirname(dir)).catch(() => [] as string[]);
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (m && !isProcessAlive(Number(m[1]))) await fs.rm(path.join(path.dirname(dir), name), { recursive: true, force: true });
  }
}
