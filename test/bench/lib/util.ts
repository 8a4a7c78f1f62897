/* Timing, statistics and plain git for the benchmarks. */
import { execFileSync, spawn } from 'child_process';
import { promises as fs, readFileSync } from 'fs';
import net from 'net';
import path from 'path';

export const now = () => performance.now();

let clockTicks: number | undefined;
/** utime, stime, cutime, cstime of /proc/<pid>/stat, in ms. */
function procTimes(pid: number | 'self'): [number, number, number, number] {
  clockTicks ??=
    Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) ||
    100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return [f[11], f[12], f[13], f[14]].map(
    x => (Number(x) * 1000) / clockTicks!,
  ) as [number, number, number, number];
}

/**
 * CPU time used so far, in ms: this process (exact), its finished child processes
 * (git and its own children; 10 ms granularity) and the given other processes (e.g.
 * kube-apiserver and etcd). Differences of it are what a measured section cost in
 * CPU, whatever else the machine runs meanwhile.
 */
export function cpuMs(pids: number[] = []): number {
  const u = process.cpuUsage();
  let ms = (u.user + u.system) / 1000;
  try {
    const [, , cutime, cstime] = procTimes('self');
    ms += cutime + cstime;
    for (const pid of pids) {
      const [utime, stime] = procTimes(pid);
      ms += utime + stime;
    }
  } catch {
    // no /proc: this process only
  }
  return ms;
}

/** CPU time (ms) of another process and its threads (worker threads included). */
export function processCpuMs(pid: number): number {
  const [utime, stime] = procTimes(pid);
  return utime + stime;
}

/** Runs fn and returns its result, wall time and CPU time (see cpuMs) in ms. */
export async function measured<T>(
  fn: () => Promise<T> | T,
  pids: number[] = [],
): Promise<{ ms: number; cpu: number; value: T }> {
  const c0 = cpuMs(pids);
  const t0 = now();
  const value = await fn();
  const ms = now() - t0;
  return { ms, cpu: cpuMs(pids) - c0, value };
}

/** Runs fn and returns its result and wall time in ms. */
export async function timed<T>(
  fn: () => Promise<T> | T,
): Promise<{ ms: number; value: T }> {
  const t0 = now();
  const value = await fn();
  return { ms: now() - t0, value };
}

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1];
}

/**
 * Whether a figure is wanted (`--figures=sync.change,w100k.rss`; all when not
 * given). An id also selects the figures under it (`sync.change` selects
 * `sync.change.commit`).
 */
export function wanted(id: string): boolean {
  const list = (process.env.BENCH_FIGURES ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  return (
    list.length === 0 || list.some(w => id === w || id.startsWith(`${w}.`))
  );
}

export function log(message: string) {
  process.stderr.write(
    `[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`,
  );
}

/** Environment for plain git: no inherited GIT_* variables, no system config, fixed identity. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('GIT_')) env[k] = v;
  return {
    ...env,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.invalid',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  };
}

/** Runs `git <args>` (no shell); resolves with stdout, rejects on a non-zero exit. */
export function git(
  args: string[],
  opts: { cwd?: string; input?: string | Buffer } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: gitEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', d => out.push(d));
    child.stderr.on('data', d => err.push(d));
    child.on('error', reject);
    child.on('close', code => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new Error(
            `git ${args.join(' ')} (in ${
              opts.cwd ?? '.'
            }) failed (${code}): ${Buffer.concat(err).toString().trim()}`,
          ),
        );
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Copies a directory tree (a bare repository template) with `cp -a`. */
export function copyDir(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('cp', ['-a', from, to], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', code =>
      code === 0
        ? resolve()
        : reject(new Error(`cp -a ${from} ${to} failed (${code})`)),
    );
  });
}

/**
 * Makes a bare repository at `bare` (branch main) holding `files` (repository
 * paths) in one commit.
 */
export async function makeRepo(
  bare: string,
  files: Array<{ path: string; content: string }>,
): Promise<void> {
  const work = `${bare}.init`;
  await fs.mkdir(work, { recursive: true });
  await git(['init', '--quiet', '--initial-branch=main', work]);
  for (const f of files) {
    const p = path.join(work, f.path);
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, f.content);
  }
  await git(['add', '-A'], { cwd: work });
  await git(['commit', '--quiet', '-m', 'fabric'], { cwd: work });
  await git(['clone', '--quiet', '--bare', work, bare]);
  await fs.rm(work, { recursive: true, force: true });
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** A TCP port free on loopback now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
