/*
 * Helpers around the git CLI for integration tests: bare repositories,
 * pushing files through a server and reading what a bare repository holds.
 *
 * Every git process runs with execFile/spawn (never a shell), with an
 * isolated environment (empty HOME, no system config, no prompts) and a fixed
 * identity. Credentials are never put into argv or URLs: callers pass them
 * through `env` (e.g. GIT_ASKPASS and variables read by the helper).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Fixed identity used for every commit made by the helpers. */
export const TEST_AUTHOR = { name: 'Test User', email: 'test@example.com' };

/**
 * Creates an empty directory to use as HOME (and XDG_CONFIG_HOME) so no user
 * config leaks into git. The caller removes it with removeGitHome().
 */
export function createGitHome(): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), 'git-test-home-'));
}

/** Removes a directory made by createGitHome(). */
export function removeGitHome(home: string): Promise<void> {
  return fs.promises.rm(home, { recursive: true, force: true });
}

/**
 * Environment for a git child process: the current environment without any
 * GIT_* variables (nor SSH_ASKPASS), plus isolation settings and the fixed
 * identity, plus `extra` on top. `home` should come from createGitHome().
 */
export function gitEnv(
  home: string,
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Drop inherited git settings and askpass helpers.
    if (!key.startsWith('GIT_') && key !== 'SSH_ASKPASS') env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: home,
    LC_ALL: 'C',
    LANG: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: TEST_AUTHOR.name,
    GIT_AUTHOR_EMAIL: TEST_AUTHOR.email,
    GIT_COMMITTER_NAME: TEST_AUTHOR.name,
    GIT_COMMITTER_EMAIL: TEST_AUTHOR.email,
    ...extra,
  };
}

export interface RunGitOptions {
  cwd?: string;
  /** Extra environment on top of gitEnv(). */
  env?: NodeJS.ProcessEnv;
  /** Kill git after this many ms (default 60 s). */
  timeoutMs?: number;
}

export interface RunGitResult {
  stdout: Buffer;
  stderr: string;
}

/** Error thrown when git exits non-zero; carries stderr for assertions. */
export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | string | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${code}): ${stderr.trim()}`);
    this.name = 'GitCommandError';
  }
}

/** Runs `git <args>` (with a fresh empty HOME) and resolves with its output. */
export async function runGit(
  args: string[],
  opts: RunGitOptions = {},
): Promise<RunGitResult> {
  const home = await createGitHome();
  try {
    return await execGit(args, opts, home);
  } finally {
    await removeGitHome(home);
  }
}

function execGit(
  args: string[],
  opts: RunGitOptions,
  home: string,
): Promise<RunGitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: opts.cwd,
        env: gitEnv(home, opts.env),
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const err = stderr.toString('utf8');
        if (error) {
          const code =
            (error as NodeJS.ErrnoException & { code?: number | string })
              .code ?? (error.killed ? 'timeout' : null);
          reject(new GitCommandError(args, code ?? null, err));
          return;
        }
        resolve({ stdout, stderr: err });
      },
    );
  });
}

/** Runs git and returns trimmed stdout as text. */
async function gitText(args: string[], opts: RunGitOptions = {}) {
  const { stdout } = await runGit(args, opts);
  return stdout.toString('utf8').trim();
}

/** Creates a bare repository at `dir` (initial branch `main`); returns its path. */
export async function createBareRepo(
  dir: string,
  opts: { branch?: string } = {},
): Promise<string> {
  const repo = path.resolve(dir);
  await fs.promises.mkdir(repo, { recursive: true });
  await runGit([
    'init',
    '--bare',
    '--quiet',
    `--initial-branch=${opts.branch ?? 'main'}`,
    repo,
  ]);
  return repo;
}

export interface PushFilesOptions {
  /** Target branch (default `main`). */
  branch?: string;
  /** Commit message (default `test commit`). */
  message?: string;
  /** Extra env for clone/push, e.g. GIT_ASKPASS for credentials. */
  env?: NodeJS.ProcessEnv;
  /** Symlinks to create: path in repo -> link target. */
  symlinks?: Record<string, string>;
}

/** Resolves a repo-relative path inside `root`, refusing escapes. */
function inside(root: string, rel: string): string {
  const full = path.resolve(root, rel);
  if (
    path.isAbsolute(rel) ||
    !full.startsWith(root + path.sep) ||
    full.startsWith(path.join(root, '.git') + path.sep) ||
    full === path.join(root, '.git')
  ) {
    throw new Error(`invalid repository path: ${rel}`);
  }
  return full;
}

/**
 * Commits `files` (null = delete) and `symlinks` on top of `branch` of the
 * remote and pushes; returns the new commit sha. Initialises a fresh history
 * when the remote branch does not exist yet (e.g. empty bare repo).
 */
export async function pushFiles(
  remoteUrl: string,
  files: Record<string, string | Buffer | null>,
  opts: PushFilesOptions = {},
): Promise<string> {
  const branch = opts.branch ?? 'main';
  const env = opts.env ?? {};
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'git-push-'));
  const work = path.join(tmp, 'work');
  try {
    // Does the branch exist on the remote?
    const refs = await gitText(['ls-remote', '--heads', remoteUrl], { env });
    const exists = refs
      .split('\n')
      .some(line => line.split('\t')[1] === `refs/heads/${branch}`);
    if (exists) {
      await runGit(
        [
          'clone',
          '--quiet',
          '--single-branch',
          '--branch',
          branch,
          remoteUrl,
          work,
        ],
        { env },
      );
    } else {
      await runGit(['init', '--quiet', `--initial-branch=${branch}`, work]);
      await runGit(['remote', 'add', 'origin', remoteUrl], { cwd: work });
    }

    // Write / delete files, then create symlinks.
    for (const [rel, content] of Object.entries(files)) {
      const full = inside(work, rel);
      await fs.promises.rm(full, { recursive: true, force: true });
      if (content === null) continue;
      await fs.promises.mkdir(path.dirname(full), { recursive: true });
      await fs.promises.writeFile(full, content);
    }
    for (const [rel, target] of Object.entries(opts.symlinks ?? {})) {
      const full = inside(work, rel);
      await fs.promises.rm(full, { recursive: true, force: true });
      await fs.promises.mkdir(path.dirname(full), { recursive: true });
      await fs.promises.symlink(target, full);
    }

    await runGit(['add', '--all'], { cwd: work });
    await runGit(
      [
        '-c',
        'commit.gpgsign=false',
        'commit',
        '--quiet',
        '--allow-empty',
        '--no-verify',
        '-m',
        opts.message ?? 'test commit',
      ],
      { cwd: work },
    );
    await runGit(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], {
      cwd: work,
      env,
    });
    return await gitText(['rev-parse', 'HEAD'], { cwd: work });
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

export interface TreeEntry {
  /** Git file mode, e.g. 100644, 100755, 120000 (symlink), 160000. */
  mode: string;
  /** Object id of the blob (or commit, for submodules). */
  blobId: string;
}

/** Lists every file of `branch` in a bare repository (path -> mode/blob). */
export async function readRemoteTree(
  repoDir: string,
  branch = 'main',
): Promise<Map<string, TreeEntry>> {
  const { stdout } = await runGit([
    `--git-dir=${repoDir}`,
    'ls-tree',
    '-r',
    '-z',
    '--full-tree',
    `refs/heads/${branch}`,
  ]);
  const tree = new Map<string, TreeEntry>();
  // Records: "<mode> SP <type> SP <id> TAB <path> NUL"
  for (const record of stdout.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, , blobId] = record.slice(0, tab).split(' ');
    tree.set(record.slice(tab + 1), { mode, blobId });
  }
  return tree;
}

/** Raw content of `filePath` on `branch` of a bare repository. */
export async function readRemoteFile(
  repoDir: string,
  filePath: string,
  branch = 'main',
): Promise<Buffer> {
  const { stdout } = await runGit([
    `--git-dir=${repoDir}`,
    'cat-file',
    'blob',
    `refs/heads/${branch}:${filePath}`,
  ]);
  return stdout;
}

/** Commit sha at the tip of `branch` of a bare repository. */
export function remoteHead(repoDir: string, branch = 'main'): Promise<string> {
  return gitText([
    `--git-dir=${repoDir}`,
    'rev-parse',
    '--verify',
    '--quiet',
    `refs/heads/${branch}^{commit}`,
  ]);
}

/** Number of commits reachable from `branch` of a bare repository. */
export async function commitCount(
  repoDir: string,
  branch = 'main',
): Promise<number> {
  const out = await gitText([
    `--git-dir=${repoDir}`,
    'rev-list',
    '--count',
    `refs/heads/${branch}`,
  ]);
  return Number(out);
}
