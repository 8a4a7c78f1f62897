/*
 * A throw-away PostgreSQL 15 instance for the "database restarts" case: its own
 * data directory under /tmp and its own port (never the system PostgreSQL).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../servers';

const BIN = '/usr/lib/postgresql/15/bin';

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(path.join(BIN, cmd), args, { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}${stdout}`)) : resolve(stdout),
    ),
  );
}

export interface PgInstance {
  port: number;
  connection: string;
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Restarts and waits, blocking the calling process (to land inside a query). */
  restartSync(mode: 'fast' | 'immediate'): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function pgAvailable(): Promise<boolean> {
  return fs.access(path.join(BIN, 'initdb')).then(
    () => true,
    () => false,
  );
}

export async function startPgInstance(): Promise<PgInstance> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-pg-'));
  const data = path.join(dir, 'data');
  const port = await findFreePort();
  // initdb refuses to run as root; the cluster then belongs to the postgres user
  const asRoot = process.getuid?.() === 0;
  const wrap = async (cmd: string, args: string[]) => {
    if (!asRoot) return run(cmd, args);
    return new Promise<string>((resolve, reject) =>
      execFile(
        'runuser',
        ['-u', 'postgres', '--', path.join(BIN, cmd), ...args],
        { timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${err.message}\n${stderr}${stdout}`)) : resolve(stdout)),
      ),
    );
  };
  if (asRoot) {
    await fs.chmod(dir, 0o777);
    await new Promise<void>((resolve, reject) =>
      execFile('chown', ['postgres', dir], err => (err ? reject(err) : resolve())),
    );
  }
  await wrap('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const pgctl = (args: string[]) => wrap('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '30', ...args]);
  await pgctl(['-o', opts, 'start']);
  return {
    port,
    connection: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    restartSync: mode => {
      const args = ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '30', '-m', mode, '-o', opts, 'restart'];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, 'pg_ctl'), ...args], { stdio: 'ignore', timeout: 60_000 });
      else execFileSync(path.join(BIN, 'pg_ctl'), args, { stdio: 'ignore', timeout: 60_000 });
    },
    restart: async (mode = 'fast') => {
      await pgctl(['-m', mode, '-o', opts, 'restart']);
    },
    stop: async () => {
      await pgctl(['-m', 'fast', 'stop']);
    },
    start: async () => {
      await pgctl(['-o', opts, 'start']);
    },
    destroy: async () => {
      await pgctl(['-m', 'immediate', 'stop']).catch(() => {});
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
