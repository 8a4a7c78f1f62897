import { spawn } from 'child_process';
import { lockFailure, removeStaleLock } from './staleLocks';

/** Credentials handed to git through the askpass helper, never through argv or URL. */
export interface GitCredentials {
  username: string;
  password: string;
}

export interface RunGitOptions {
  cwd: string;
  /** Extra environment; merged over the sanitized process environment. */
  env?: Record<string, string>;
  input?: Buffer | string;
  timeoutMs: number;
  /** Secrets to scrub from anything this returns or throws. */
  secrets?: string[];
  /**
   * The repository whose lock files, left by a killed git process and older than
   * the timeout, may be removed when git fails on one (the command then runs once more).
   */
  staleLocksIn?: string;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** A failed git command; its message never contains secrets. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/**
 * Runs git without a shell. Resolves with the exit code (callers decide what a
 * non-zero code means); rejects on spawn errors and on timeout.
 */
export async function runGit(args: string[], options: RunGitOptions): Promise<GitResult> {
  const result = await runGitOnce(args, options);
  if (result.code !== 0 && options.staleLocksIn && (await removeStaleLock(result.stderr, options.staleLocksIn, options.timeoutMs))) {
    return runGitOnce(args, options);
  }
  return result;
}

function runGitOnce(args: string[], options: RunGitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: { ...gitEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.stdout.on('data', d => out.push(d));
    child.stderr.on('data', d => err.push(d));
    child.stdin.on('error', () => {});
    child.on('error', e => {
      clearTimeout(timer);
      reject(new GitCommandError(`git could not be started: ${e.message}`, null, ''));
    });
    child.on('close', code => {
      clearTimeout(timer);
      const stderr = redact(Buffer.concat(err).toString('utf8'), options.secrets);
      if (timedOut) {
        reject(
          new GitCommandError(
            `git ${subcommand(args)} timed out after ${options.timeoutMs / 1000} s`,
            null,
            stderr,
          ),
        );
        return;
      }
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and throws a readable error on a non-zero exit code. */
export async function git(args: string[], options: RunGitOptions): Promise<Buffer> {
  const result = await runGit(args, options);
  if (result.code !== 0) {
    throw new GitCommandError(
      `git ${subcommand(args)} failed: ${lastLines(result.stderr, 3)}`,
      result.code,
      result.stderr,
    );
  }
  return result.stdout;
}

/** The git subcommand of an argument list (skipping `-c key=value` options). */
function subcommand(args: string[]): string {
  return args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c') ?? 'command';
}

/** The environment every git child gets: no prompts, no system config, no inherited git variables. */
export function gitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('GIT_')) continue;
    env[k] = v;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.LC_ALL = 'C';
  return env;
}

function killGroup(pid: number | undefined) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Removes secrets and any user-info part of URLs from a text. */
export function redact(text: string, secrets: string[] = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * The last meaningful lines of git's stderr (hints left out), for error messages;
 * a readable reason instead when git failed on an existing lock file.
 */
export function lastLines(stderr: string, count = 2): string {
  const lock = lockFailure(stderr);
  if (lock) return lock;
  const lines = stderr
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('hint:'));
  const text = lines.slice(-count).join(' | ');
  return text.length > 500 ? `${text.slice(0, 497)}...` : text || 'no output';
}
