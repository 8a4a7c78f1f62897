/*
 * The real app for the `ui` group: packages/backend (every plugin of the demo
 * backend, the hedgehog backend among them, guest sign-in, permissions) in its
 * own process group, serving the production build of packages/app (app-backend
 * serves packages/app/dist, built here when missing) on one loopback port, with
 * one fabric from app-config: the W5k repository. Its own SQLite folder and
 * working directory in the scratch folder; stopped with its whole group.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { createWriteStream, existsSync, readdirSync } from 'fs';
import path from 'path';
import { freePort, log } from './util';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Builds packages/app (production bundle in packages/app/dist) unless built. */
export function ensureAppBuilt() {
  if (existsSync(path.join(repoRoot, 'packages', 'app', 'dist', 'index.html')))
    return;
  log('ui: building packages/app (backstage-cli package build)');
  const r = spawnSync(
    process.execPath,
    [require.resolve('@backstage/cli/bin/backstage-cli'), 'package', 'build'],
    {
      cwd: path.join(repoRoot, 'packages', 'app'),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (r.status !== 0)
    throw new Error(`building packages/app failed (${r.status})`);
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

export interface UiApp {
  url: string;
  token: string;
  /** The hedgehog plugin's SQLite file (to give a resource a live object). */
  hedgehogDb: string;
  /** The backend's process id (for its CPU time). */
  pid: number;
  api: (p: string, init?: { method: string; body: object }) => Promise<any>;
  stop: () => Promise<void>;
}

/** Other uses of the real backend (figures/deployed.ts): other fabrics, no sync on start. */
export interface UiAppOptions {
  /** app-config's hedgehog.fabrics (default: `fabric` at `remote`, pushed to). */
  fabrics?: object[];
  /** hedgehog.schedule.initialDelay (default 1 s). */
  initialDelay?: object;
  /** Whether to wait for the first sync of `fabric` (default true). */
  waitForSync?: boolean;
}

/** Starts the backend with fabric `fabric` at `remote` and waits until its first sync is imported. */
export async function startUiApp(
  root: string,
  fabric: string,
  remote: string,
  options: UiAppOptions = {},
): Promise<UiApp> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dbDir = path.join(root, 'ui-db');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // e.g. --cpu-prof --cpu-prof-dir=<folder>: a profile of the backend, written when it stops
    ...(process.env.BENCH_BACKEND_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_BACKEND_NODE_OPTIONS }
      : {}),
    NODE_ENV: 'development',
    APP_CONFIG_app_baseUrl: url,
    APP_CONFIG_backend_baseUrl: url,
    APP_CONFIG_backend_listen_port: String(port),
    APP_CONFIG_backend_cors_origin: url,
    APP_CONFIG_backend_database_connection_directory: dbDir,
    APP_CONFIG_hedgehog_workingDirectory: path.join(root, 'ui-wd'),
    APP_CONFIG_hedgehog_fabrics: JSON.stringify(
      options.fabrics ?? [
        {
          name: fabric,
          title: `Bench ${fabric}`,
          git: {
            url: `file://${remote}`,
            branch: 'main',
            path: `fabrics/${fabric}`,
            writeMode: 'push',
          },
        },
      ],
    ),
    APP_CONFIG_hedgehog_schedule_initialDelay: JSON.stringify(
      options.initialDelay ?? { seconds: 1 },
    ),
    APP_CONFIG_hedgehogDemo_repository: path.join(root, 'ui-demo.git'),
    APP_CONFIG_hedgehogDemo_publishRoot: path.join(root, 'ui-published'),
  };
  const logFile = path.join(root, 'ui-backend.log');
  const out = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
    ],
    {
      cwd: path.join(repoRoot, 'packages', 'backend'),
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise(r => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 15_000);
    await gone;
    clearTimeout(timer);
  };
  try {
    log(`ui: starting packages/backend on ${url} (log: ${logFile})`);
    await until(
      'the backend to be ready',
      async () => {
        if (child.exitCode !== null)
          throw new Error(
            `the backend exited (${child.exitCode}); see ${logFile}`,
          );
        return (
          (await fetch(`${url}/.backstage/health/v1/readiness`)).ok || undefined
        );
      },
      300_000,
    );
    const res = await fetch(`${url}/api/auth/guest/refresh?env=development`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
    const token = ((await res.json()) as any).backstageIdentity.token as string;
    const api = async (p: string, init?: { method: string; body: object }) => {
      const r = await fetch(`${url}/api/hedgehog${p}`, {
        method: init?.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${token}`,
          ...(init ? { 'Content-Type': 'application/json' } : {}),
        },
        body: init ? JSON.stringify(init.body) : undefined,
      });
      if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${p}: ${r.status}`);
      return r.json();
    };
    if (options.waitForSync !== false)
      await until(
      `the first sync of ${fabric}`,
      async () => {
        const f = await api(`/fabrics/${fabric}`);
        return f.lastSyncedCommit && f.status !== 'syncing' ? f : undefined;
      },
      300_000,
    );
    const hedgehogDb = readdirSync(dbDir).find(f =>
      /hedgehog\.sqlite$/.test(f),
    );
    if (!hedgehogDb) throw new Error(`no hedgehog SQLite file in ${dbDir}`);
    return {
      url,
      token,
      hedgehogDb: path.join(dbDir, hedgehogDb),
      pid: child.pid!,
      api,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
