import { Stats, promises as fs } from 'fs';
import path from 'path';

/** The folders of the working directory the plugin uses (checked like the directory itself when they exist). */
export const WORKING_SUBFOLDERS = ['repos', 'branches'] as const;

/** The user this process runs as; undefined where the platform has no POSIX owners (Windows). */
function processUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/**
 * Why a folder is not private to this process's user, or undefined when it is: it
 * must be a directory (a symbolic link only when its owner is this user or root),
 * owned by this user, and neither group- nor world-writable.
 */
export async function notPrivate(dir: string): Promise<string | undefined> {
  const uid = processUid();
  const link = await fs.lstat(dir);
  let stats: Stats = link;
  if (link.isSymbolicLink()) {
    if (uid !== undefined && link.uid !== uid && link.uid !== 0) {
      return `it is a symbolic link owned by another user (uid ${link.uid}), who could point it elsewhere`;
    }
    stats = await fs.stat(dir);
  }
  if (!stats.isDirectory()) return 'it is not a directory';
  if (uid === undefined) return undefined;
  if (stats.uid !== uid) return `it is owned by another user (uid ${stats.uid}; this process runs as uid ${uid})`;
  if ((stats.mode & 0o022) !== 0) {
    return `it is writable by ${stats.mode & 0o002 ? 'every user' : 'its group'} (mode ${(stats.mode & 0o777).toString(8)})`;
  }
  return undefined;
}

/**
 * Makes `dir` a private folder: created with mode 0700 when missing (its missing
 * parents too), and refused with a clear error naming `what` when it exists and
 * another user owns it or could write to it (they could swap what the plugin runs
 * or reads there).
 */
export async function ensurePrivateDirectory(dir: string, what: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 }).catch(e => {
    // something else is there: said below
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  });
  const why = await notPrivate(dir);
  if (why) {
    throw new Error(
      `${what} ${dir} is not private to this process's user: ${why}. ` +
        'Remove it or give it to this user with mode 0700 (chown, chmod 700), or configure another folder.',
    );
  }
}

/**
 * Checks the plugin's working directory at start: the directory itself (created
 * 0700 when missing) and those of its folders the plugin uses that exist.
 */
export async function checkWorkingDirectory(root: string): Promise<void> {
  await ensurePrivateDirectory(root, 'the hedgehog working directory (hedgehog.workingDirectory)');
  for (const name of WORKING_SUBFOLDERS) {
    const dir = path.join(root, name);
    const exists = await fs.lstat(dir).then(() => true, () => false);
    if (exists) await ensurePrivateDirectory(dir, `the folder ${name}/ of the hedgehog working directory`);
  }
}
