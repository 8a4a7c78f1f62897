import { GIT_ASKPASS_SCRIPT } from '@fabric-gitops/plugin-hedgehog-node';
import { promises as fs } from 'fs';
import path from 'path';
import { checkWorkingDirectory, notPrivate } from './privateDirectory';
import { isProcessAlive } from './processes';

/** The askpass helper (`GIT_ASKPASS_SCRIPT` of -node); it runs with the credentials in its environment, so nobody but this process may write it. */
const CONTENT = GIT_ASKPASS_SCRIPT;

const FILE = 'git-askpass.sh';
const PREFIX = 'askpass-';

/** The helper of each working directory this process uses: root -> its file. */
const helpers = new Map<string, Promise<string>>();

/**
 * The askpass helper of this process in the working directory `root`: made once
 * per process in a folder of its own (mode 0700, a fresh unique name) with
 * O_EXCL, so no file someone else prepared is ever used, and checked before
 * every use (owner, mode, content). A helper that disappeared (the working
 * directory was cleared) is made anew; one that changed is refused.
 */
export async function askpassIn(root: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    let pending = helpers.get(root);
    if (!pending) {
      pending = createHelper(root);
      helpers.set(root, pending);
    }
    const file = await pending.catch(e => {
      if (helpers.get(root) === pending) helpers.delete(root);
      throw e;
    });
    const problem = await checkHelper(file);
    if (!problem) return file;
    if (problem === 'missing' && attempt === 0) {
      if (helpers.get(root) === pending) helpers.delete(root);
      continue;
    }
    throw new Error(`the git askpass helper ${file} is not the one this process wrote (${problem}); refusing to hand it credentials`);
  }
}

/** Removes the helpers this process made (at shutdown). */
export async function removeAskpassHelpers(): Promise<void> {
  const files = await Promise.all([...helpers.values()].map(p => p.catch(() => undefined)));
  helpers.clear();
  await Promise.all(files.map(f => (f ? fs.rm(path.dirname(f), { recursive: true, force: true }) : undefined)));
}

async function createHelper(root: string): Promise<string> {
  await checkWorkingDirectory(root);
  await removeAbandoned(root);
  const dir = await fs.mkdtemp(path.join(root, `${PREFIX}${process.pid}-`));
  const file = path.join(dir, FILE);
  const handle = await fs.open(file, 'wx', 0o700);
  try {
    await handle.writeFile(CONTENT);
  } finally {
    await handle.close();
  }
  return file;
}

/** Why the helper is not the one this process wrote, 'missing' when it is gone, or undefined when it is fine. */
async function checkHelper(file: string): Promise<string | undefined> {
  const stats = await fs.lstat(file).catch(e => {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  });
  if (!stats) return 'missing';
  const folder = await notPrivate(path.dirname(file)).catch(() => 'its folder cannot be read');
  if (folder) return `its folder: ${folder}`;
  if (!stats.isFile()) return 'not a regular file';
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && stats.uid !== uid) return `owned by uid ${stats.uid}`;
  if (uid !== undefined && (stats.mode & 0o077) !== 0) return `mode ${(stats.mode & 0o777).toString(8)}`;
  if ((await fs.readFile(file, 'utf8')) !== CONTENT) return 'its content changed';
  return undefined;
}

/**
 * Removes what earlier processes left in the working directory: their helper
 * folders (their process is gone, or has this process's id: a restart in a
 * container) and the shared helper files of earlier versions of the plugin.
 */
async function removeAbandoned(root: string) {
  await Promise.all([fs.rm(path.join(root, FILE), { force: true }), fs.rm(path.join(root, 'branches', FILE), { force: true })]);
  for (const name of await fs.readdir(root).catch(() => [] as string[])) {
    const m = name.startsWith(PREFIX) ? /^(\d+)-/.exec(name.slice(PREFIX.length)) : null;
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !isProcessAlive(pid)) await fs.rm(path.join(root, name), { recursive: true, force: true });
  }
}
