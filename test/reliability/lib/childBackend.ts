/*
 * A hedgehog backend in its own process, so the suite can SIGKILL it or run two
 * of them on one database. Started by spawnChild() (lib/children.ts) with
 *   node --require @backstage/cli/config/nodeTransform.cjs childBackend.ts
 * and a JSON config in HEDGEHOG_CHILD_CONFIG.
 *
 * action "sync":  builds the real HedgehogService on the configured database
 *                 (SQLite file or PostgreSQL), syncs fabric[0] once and exits.
 *                 With `killAt`, announces the point on stdout ("POINT <name>")
 *                 when the sync reaches it and, for blocking points, freezes
 *                 there (Atomics.wait) so the parent kills it exactly there.
 *                 It prints its peak RSS ("MAXRSS <kB>", getrusage) before exiting.
 * action "serve": the real router on a loopback port (auth: the X-Test-User
 *                 header; every permission allowed) and the real Backstage
 *                 scheduler (DefaultSchedulerService on the same database)
 *                 running the plugin's scheduleFabrics: one global scheduled
 *                 sync per fabric, due at `scheduledSyncAt` (else in 30
 *                 minutes), and the local task that resumes queued runs.
 *                 With `loopMonitor`, prints the event loop's delay every
 *                 250 ms ("LOOP <max ms> <p99 ms>", monitorEventLoopDelay).
 */
import { AuthenticationError } from '@backstage/errors';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DatabaseHedgehogStore } from '@fabric-gitops/plugin-hedgehog-backend/src/database/DatabaseHedgehogStore';
import { GitWorkspace } from '@fabric-gitops/plugin-hedgehog-backend/src/git/GitWorkspace';
import { removeExtraLockRows, SCHEDULER_LOCK_TABLE } from '@fabric-gitops/plugin-hedgehog-backend/src/database/migrate';
import { RunStageName } from '@fabric-gitops/plugin-hedgehog-common';
import { RunRecorder, StageOutcome } from '@fabric-gitops/plugin-hedgehog-backend/src/pipeline/RunRecorder';
import { createRouter } from '@fabric-gitops/plugin-hedgehog-backend/src/service/router';
import { discardingAuditor } from '@fabric-gitops/plugin-hedgehog-backend/src/__testUtils__/recordingAuditor';
import { scheduleFabrics } from '@fabric-gitops/plugin-hedgehog-backend/src/service/scheduleFabrics';
import { ValidationPoolOptions } from '@fabric-gitops/plugin-hedgehog-backend/src/service/ValidationPool';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildService, fabricDef, postgres, sqliteFile } from './service';

export interface ChildConfig {
  action: 'sync' | 'serve';
  db: { sqlite: string } | { pg: string };
  workingDirectory: string;
  fabrics: Array<{ name: string; url: string }>;
  lockTtlMs?: number;
  timeoutMs?: number;
  killAt?: string;
  /**
   * A blocking kill point freezes until this file exists (polled every 50 ms, the
   * event loop blocked throughout), instead of for 60 s: the process then goes on,
   * as a replica that stalled (a long GC pause, a frozen VM) would.
   */
  releaseFile?: string;
  /** Epoch ms: wait until then before touching the database (to start replicas at the same moment). */
  startAt?: number;
  /** Epoch ms: when the scheduled sync of every fabric falls due (serve; default: in 30 minutes). */
  scheduledSyncAt?: number;
  /** Serve: print the event loop's delay every 250 ms. */
  loopMonitor?: boolean;
  /** The POST /validate worker pool (default: the plugin's default). */
  validation?: ValidationPoolOptions;
}

/** Points of a sync where a child can be stopped; "~" ones do not freeze (the kill lands while work runs). */
export const KILL_POINTS = [
  'fetch:before',
  '~fetch:during',
  'plan:listTree',
  'plan:readBlobs',
  'stage:validate',
  'commit:before',
  'commit:after-before-push',
  '~push:during',
  'push:after',
  'import:resources-insert',
  'import:unmanaged-insert',
  'import:fabric-update',
  'run:finish',
] as const;

const out = (line: string) => fs.writeSync(1, `${line}\n`);
/** The scheduler records task metrics; nothing reads them here. */
const noMetric = { add: () => {}, record: () => {} };
const noMetrics = {
  createCounter: () => noMetric,
  createUpDownCounter: () => noMetric,
  createHistogram: () => noMetric,
  createGauge: () => noMetric,
  createObservableCounter: () => ({ addCallback: () => {} }),
  createObservableUpDownCounter: () => ({ addCallback: () => {} }),
  createObservableGauge: () => ({ addCallback: () => {} }),
};
const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const freeze = (releaseFile?: string) => {
  if (!releaseFile) return sleepSync(60_000);
  while (!fs.existsSync(releaseFile)) sleepSync(50);
  out(`RELEASED`);
  return 'ok';
};

function point(name: string, killAt?: string, releaseFile?: string) {
  if (!killAt) return;
  if (killAt === name) {
    out(`POINT ${name}`);
    freeze(releaseFile);
  } else if (killAt === `~${name}`) {
    out(`POINT ${name}`);
  }
}

async function main() {
  const config: ChildConfig = JSON.parse(process.env.HEDGEHOG_CHILD_CONFIG!);
  const knex = 'sqlite' in config.db ? await sqliteFile(config.db.sqlite) : await postgres(config.db.pg);
  const killAt = config.killAt;

  if (killAt) {
    const fired = new Set<string>();
    const once = (name: string) => {
      if (fired.has(name)) return;
      fired.add(name);
      point(name, killAt, config.releaseFile);
    };
    const wrap = (method: keyof GitWorkspace, before?: string, after?: string) => {
      const original = (GitWorkspace.prototype as any)[method];
      (GitWorkspace.prototype as any)[method] = async function wrapped(this: GitWorkspace, ...args: unknown[]) {
        if (before) once(before);
        const result = await original.apply(this, args);
        if (after) once(after);
        return result;
      };
    };
    // the sync's fetch (fetch() calls it too)
    wrap('fetchBranch', 'fetch:before');
    const fetchBranch = GitWorkspace.prototype.fetchBranch;
    GitWorkspace.prototype.fetchBranch = async function fetchWithPoint(this: GitWorkspace) {
      const p = fetchBranch.call(this);
      once('fetch:during');
      return p;
    };
    // as the validate stage starts (its record reaches the database later, batched)
    const stage = RunRecorder.prototype.stage;
    RunRecorder.prototype.stage = function stageWithPoint(this: RunRecorder, name: RunStageName, fn: () => Promise<StageOutcome>) {
      if (name === 'validate') once('stage:validate');
      return stage.call(this, name, fn);
    };
    wrap('listTree', 'plan:listTree');
    wrap('readBlobs', 'plan:readBlobs');
    wrap('commit', 'commit:before', 'commit:after-before-push');
    const push = GitWorkspace.prototype.push;
    GitWorkspace.prototype.push = async function pushWithPoints(this: GitWorkspace, commit: string) {
      const p = push.call(this, commit);
      once('push:during');
      const r = await p;
      if (r === 'pushed') once('push:after');
      return r;
    };
    knex.on('query', (q: { sql: string; bindings?: unknown[] }) => {
      const sql = q.sql.replace(/[`"]/g, '');
      if (/^insert into hedgehog_resources/i.test(sql)) once('import:resources-insert');
      else if (/^insert into hedgehog_unmanaged_files/i.test(sql)) once('import:unmanaged-insert');
      else if (/^update hedgehog_fabrics set .*last_synced_commit/i.test(sql)) once('import:fabric-update');
      // updateRun (not failStaleRuns, which also sets finished_at)
      else if (/^update hedgehog_runs set heartbeat_at = \?.*finished_at/i.test(sql)) once('run:finish');
    });
  }

  if (config.startAt) await new Promise(r => setTimeout(r, Math.max(0, config.startAt! - Date.now())));
  // Every fabric's scheduled sync: due once at scheduledSyncAt (the frequency is far longer than a test).
  const schedule = {
    frequency: { minutes: 30 },
    timeout: { minutes: 2 },
    initialDelay: { milliseconds: Math.max(0, (config.scheduledSyncAt ?? Date.now() + 30 * 60_000) - Date.now()) },
  };
  const env = await buildService({
    knex,
    fabrics: config.fabrics.map(f => fabricDef(f.name, f.url, { schedule })),
    lockTtlMs: config.lockTtlMs,
    timeoutMs: config.timeoutMs,
    workingDirectory: config.workingDirectory,
    validation: config.validation,
    echo: line => out(`LOG ${line.replace(/\n/g, ' ')}`),
  });

  if (config.action === 'sync') {
    out('READY');
    const run = await env.sync(config.fabrics[0].name);
    out(`DONE ${run.id} ${run.status}`);
    out(`MAXRSS ${process.resourceUsage().maxRSS}`);
    await knex.destroy();
    process.exit(0);
  }

  // serve
  if (config.loopMonitor) {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    setInterval(() => {
      out(`LOOP ${(loop.max / 1e6).toFixed(1)} ${(loop.percentile(99) / 1e6).toFixed(1)}`);
      loop.reset();
    }, 250).unref();
  }
  const app = express();
  const httpAuth = {
    credentials: async (req: express.Request) => {
      const user = req.header('x-test-user');
      if (!user) throw new AuthenticationError('no credentials');
      return { $$type: '@backstage/BackstageCredentials', principal: { type: 'user', userEntityRef: user } } as any;
    },
    issueUserCookie: async () => ({ expiresAt: new Date() }),
  };
  const permissions = {
    authorize: async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    authorizeConditional: async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  };
  const shutdown: Array<() => void | Promise<void>> = [];
  const newScheduler = () =>
    DefaultSchedulerService.create({
      database: { getClient: async () => knex } as any,
      logger: env.logger,
      metrics: noMetrics as any,
      rootLifecycle: { addShutdownHook: (hook: () => void | Promise<void>) => void shutdown.push(hook), addStartupHook: () => {}, addBeforeShutdownHook: () => {} } as any,
      httpRouter: { use: () => {}, addAuthPolicy: () => {}, addWebSocketHandler: () => {} },
      pluginMetadata: { getId: () => 'hedgehog' },
    });
  // The first task makes Backstage's scheduler migrate its own tables. Replicas
  // starting at the same moment on a fresh PostgreSQL database race there (both
  // create its knex_migrations table: "duplicate key ... pg_type_typname_nsp_index",
  // or one finds the other's migration lock: "Migration table is already locked");
  // a real replica would be restarted, this one tries again, as migrateLatest does
  // for the plugin's own tables. With a new scheduler each time: a scheduler keeps
  // the outcome of its first migration (lodash.once), also a failed one. The race
  // can leave the scheduler's lock table with two rows, which Knex reads as locked
  // for ever: the restarted replica's migrateLatest mends that, as this loop does.
  for (let attempt = 1; ; attempt++) {
    try {
      await scheduleFabrics({ scheduler: newScheduler(), registry: env.registry, service: env.service, options: env.options, logger: env.logger });
      break;
    } catch (e) {
      if (attempt >= 20 || !/already exists|already locked|duplicate key/i.test(String(e))) throw e;
      if (/already locked/i.test(String(e))) await removeExtraLockRows(knex, SCHEDULER_LOCK_TABLE);
      await new Promise(r => setTimeout(r, 250 + Math.floor(Math.random() * 500)));
    }
  }
  app.use(
    '/api/hedgehog',
    createRouter({
      service: env.service,
      store: env.store as DatabaseHedgehogStore,
      httpAuth: httpAuth as any,
      permissions: permissions as any,
      auditor: discardingAuditor,
      logger: env.logger as any,
    }),
  );
  app.use(MiddlewareFactory.create({ config: new ConfigReader({}), logger: env.logger as any }).error());
  const server = http.createServer(app);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  out(`LISTENING ${(server.address() as net.AddressInfo).port}`);
  process.on('SIGTERM', async () => {
    await env.service.coordinator.stop();
    await env.service.validation.close();
    for (const hook of shutdown) await hook();
    server.close();
    await knex.destroy().catch(() => {});
    process.exit(0);
  });
}

if (require.main === module) {
  main().catch(e => {
    out(`FATAL ${e instanceof Error ? e.stack : e}`);
    process.exit(1);
  });
}
