/*
 * `git daemon` on loopback serving every repository under a base directory
 * over git:// (fetch and push, no authentication).
 */
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createGitHome, gitEnv, removeGitHome } from './gitRepos';

export interface GitDaemon {
  /** git://127.0.0.1:<port>/<repoName> */
  url(repoName: string): string;
  port: number;
  /** Kills the daemon's process group and waits for it to exit. */
  stop(): Promise<void>;
}

/** Asks the OS for a free loopback port (may race; callers retry). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true once 127.0.0.1:port accepts a TCP connection. */
function canConnect(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Sends `signal` to the whole process group of a detached child. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Kills the group and waits for the child to exit (SIGKILL after 5 s). */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL'); // reap forked per-connection children too
    return;
  }
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  killGroup(child, 'SIGKILL');
}

/** Starts one daemon on `port`; resolves once it accepts connections. */
async function tryStart(
  baseDir: string,
  port: number,
  home: string,
): Promise<ChildProcess> {
  const child = spawn(
    'git',
    [
      'daemon',
      '--reuseaddr',
      `--base-path=${baseDir}`,
      '--export-all',
      '--enable=receive-pack',
      '--informative-errors',
      '--verbose', // prints "Ready to rumble" once its sockets are bound
      '--listen=127.0.0.1',
      `--port=${port}`,
    ],
    { env: gitEnv(home), detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // Keep the tail of stderr for error messages.
  let stderr = '';
  let ready = false;
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8192);
    ready ||= stderr.includes('Ready to rumble');
  });
  let spawnError: Error | undefined;
  child.once('error', err => (spawnError = err));

  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (spawnError) throw spawnError;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`git daemon exited early: ${stderr.trim()}`);
    }
    // Our own daemon is bound (not some other process on a reused port)
    // and the port accepts connections.
    if (ready && (await canConnect(port))) {
      return child;
    }
    await sleep(50);
  }
  await stopChild(child);
  throw new Error(
    `git daemon did not listen on port ${port}: ${stderr.trim()}`,
  );
}

/** Runs `git daemon` for `baseDir` on a free loopback port. */
export async function startGitDaemon(baseDir: string): Promise<GitDaemon> {
  const base = path.resolve(baseDir);
  const home = await createGitHome();
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await findFreePort();
    let child: ChildProcess;
    try {
      child = await tryStart(base, port, home);
    } catch (err) {
      lastError = err; // port taken in the meantime, or slow start: retry
      continue;
    }
    let stopping: Promise<void> | undefined;
    return {
      port,
      url: repoName =>
        `git://127.0.0.1:${port}/${repoName.replace(/^\/+/, '')}`,
      stop: () =>
        (stopping ??= stopChild(child).then(() => removeGitHome(home))),
    };
  }
  await removeGitHome(home);
  throw new Error(`could not start git daemon: ${String(lastError)}`);
}
