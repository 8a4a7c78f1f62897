import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { promises as fs } from 'fs';
import path from 'path';

/** A folder inside the task workspace. */
export interface WorkspaceDir {
  /** Absolute path on disk. */
  abs: string;
  /** Normalized path relative to the workspace, '' for the workspace itself. */
  rel: string;
}

/**
 * Resolves a folder given relative to the task workspace; refuses absolute
 * paths, paths that leave the workspace (`..`) and symbolic links pointing out
 * of it, each with a message naming the input.
 */
export function resolveWorkspaceDir(
  workspacePath: string,
  dir: string | undefined,
  input = 'path',
): WorkspaceDir {
  const given = (dir ?? '').trim();
  if (given.includes('\0') || given.includes('\\')) {
    throw new InputError(
      `${input} "${given}" must be a folder inside the workspace written with "/"`,
    );
  }
  if (path.posix.isAbsolute(given) || path.isAbsolute(given)) {
    throw new InputError(
      `${input} "${given}" must be relative to the workspace, not an absolute path`,
    );
  }
  const normalized = path.posix
    .normalize(given === '' ? '.' : given)
    .replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new InputError(`${input} "${given}" points outside the workspace`);
  }
  let abs: string;
  try {
    abs = resolveSafeChildPath(workspacePath, normalized);
  } catch {
    throw new InputError(
      `${input} "${given}" points outside the workspace (through a symbolic link)`,
    );
  }
  return { abs, rel: normalized === '.' ? '' : normalized };
}

/** Joins a workspace-relative folder and a path inside it. */
export function joinRel(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}

/**
 * Writes files below a folder. Nothing is overwritten: when any file already
 * exists with other content, nothing is written and an error names the files.
 * Files that exist with the same content are left alone. Returns the paths
 * written (relative to the folder).
 */
export async function writeFilesNoClobber(
  dir: WorkspaceDir,
  files: Array<{ path: string; content: string }>,
): Promise<string[]> {
  const targets = files.map(f => {
    let abs: string;
    try {
      abs = resolveSafeChildPath(dir.abs, f.path);
    } catch {
      throw new InputError(
        `${joinRel(
          dir.rel,
          f.path,
        )} points outside the workspace (through a symbolic link)`,
      );
    }
    return { ...f, abs };
  });
  const clashes: string[] = [];
  const toWrite: typeof targets = [];
  for (const t of targets) {
    const existing = await readIfExists(t.abs);
    if (existing === undefined) toWrite.push(t);
    else if (existing !== t.content) clashes.push(joinRel(dir.rel, t.path));
  }
  if (clashes.length > 0) {
    throw new InputError(
      `refusing to overwrite existing file(s) in the workspace: ${clashes.join(
        ', ',
      )}`,
    );
  }
  for (const t of toWrite) {
    await fs.mkdir(path.dirname(t.abs), { recursive: true });
    await fs.writeFile(t.abs, t.content, { encoding: 'utf8', flag: 'wx' });
  }
  return toWrite.map(t => t.path);
}

/** A file's text, or undefined when there is no such file. */
export async function readIfExists(abs: string): Promise<string | undefined> {
  try {
    return await fs.readFile(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') return '\0directory';
    throw e;
  }
}

/** All files below a folder (relative paths with '/'), or [] when it is missing. */
export async function listFiles(abs: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const entry of entries) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  await walk(abs, '');
  return out.sort();
}
