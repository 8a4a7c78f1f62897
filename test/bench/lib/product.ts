/*
 * The product as the benchmarks drive it: a real HedgehogService (the object the
 * router and the scheduler call) on a real database made by Backstage's own
 * DatabaseManager (SQLite file or PostgreSQL, as in production), real Git and,
 * when given, a real Kubernetes API server. The same wiring as the backend
 * plugin (plugin.ts) minus the scheduler and the HTTP auth middleware.
 */
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { ScmIntegrations } from '@backstage/integration';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import express from 'express';
import http from 'http';
import { AddressInfo } from 'net';
import { ClusterDefinition } from '../../../plugins/hedgehog-backend/src/cluster/ClusterClient';
import { DatabaseHedgehogStore } from '../../../plugins/hedgehog-backend/src/database/DatabaseHedgehogStore';
import { GitCredentialsResolver } from '../../../plugins/hedgehog-backend/src/git/credentials';
import { readHedgehogOptions } from '../../../plugins/hedgehog-backend/src/service/config';
import { FabricRegistry } from '../../../plugins/hedgehog-backend/src/service/FabricRegistry';
import { HedgehogService } from '../../../plugins/hedgehog-backend/src/service/HedgehogService';
import { createRouter } from '../../../plugins/hedgehog-backend/src/service/router';
import { discardingAuditor } from '../../../plugins/hedgehog-backend/src/__testUtils__/recordingAuditor';

export type DbKind = 'sqlite' | 'postgres';

export const PG_URL =
  process.env.BENCH_POSTGRES_URL ??
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

/** A logger that keeps warnings and errors (printed when BENCH_VERBOSE is set). */
export function benchLogger(): LoggerService & { problems: string[] } {
  const problems: string[] = [];
  const verbose = Boolean(process.env.BENCH_VERBOSE);
  const logger: any = {
    problems,
    error: (m: string) => {
      problems.push(m);
      if (verbose) process.stderr.write(`  [product error] ${m}\n`);
    },
    warn: (m: string) => {
      problems.push(m);
      if (verbose) process.stderr.write(`  [product warn] ${m}\n`);
    },
    info: (m: string) => {
      if (verbose) process.stderr.write(`  [product] ${m}\n`);
    },
    debug: () => {},
  };
  logger.child = () => logger;
  return logger;
}

const lifecycle: any = {
  addStartupHook() {},
  addShutdownHook() {},
  addBeforeShutdownHook() {},
};

export interface ProductOptions {
  db: DbKind;
  /** SQLite: folder for the database file. PostgreSQL: a unique database prefix. */
  dbDir: string;
  pgPrefix?: string;
  /** The plugin's working directory (cached clones). */
  workingDirectory: string;
  /** app-config `hedgehog.fabrics[]` entries. */
  fabrics: Array<Record<string, unknown>>;
  clusters?: Array<Record<string, unknown>>;
  applyConcurrency?: number;
}

export type Product = Awaited<ReturnType<typeof createProduct>>;

/** A HedgehogService configured from app-config, exactly as plugin.ts reads it. */
export async function createProduct(o: ProductOptions) {
  const database =
    o.db === 'sqlite'
      ? { client: 'better-sqlite3', connection: { directory: o.dbDir } }
      : { client: 'pg', connection: PG_URL, prefix: o.pgPrefix };
  const config = new ConfigReader({
    backend: { database },
    hedgehog: {
      workingDirectory: o.workingDirectory,
      fabrics: o.fabrics,
      clusters: o.clusters ?? [],
      ...(o.applyConcurrency
        ? { apply: { concurrency: o.applyConcurrency } }
        : {}),
    } as JsonObject,
  });
  const logger = benchLogger();
  const manager = DatabaseManager.fromConfig(config);
  const databaseService = manager.forPlugin('hedgehog', {
    logger,
    lifecycle,
  } as any);
  const store = await DatabaseHedgehogStore.create({
    database: databaseService,
  });
  const knex = await databaseService.getClient();
  const options = readHedgehogOptions(config);
  const registry = new FabricRegistry(
    options.fabrics,
    [],
    logger,
    new Set(options.clusters.map(c => c.name)),
  );
  const credentials = new GitCredentialsResolver(
    ScmIntegrations.fromConfig(config),
  );
  const service = new HedgehogService({
    store,
    registry,
    credentials,
    options,
    logger,
  });

  const waitRun = async (fabric: string, runId: string) => {
    await service.coordinator.drain(fabric);
    const run = await store.getRun(runId);
    if (!run) throw new Error(`run ${runId} vanished`);
    if (run.status === 'failed')
      throw new Error(`${run.type} run of ${fabric} failed: ${run.error}`);
    return run;
  };

  return {
    service,
    store,
    knex,
    logger,
    options,
    /** Queues a sync and waits for it; the run record (stages, counts) is returned. */
    async sync(fabric: string, opts: { force?: boolean } = {}) {
      const { runId } = await service.requestSync(
        fabric,
        'api',
        'user:default/bench',
        opts,
      );
      return waitRun(fabric, runId);
    },
    async clusterRun(fabric: string, type: 'apply' | 'drift') {
      const { runId } = await service.requestClusterRun(
        fabric,
        type,
        'api',
        'user:default/bench',
      );
      return waitRun(fabric, runId);
    },
    async close() {
      await service.coordinator.stop();
      // stops the keep-alive timer of PostgreSQL connections (DatabaseManager keeps the implementation private)
      await (manager as any).impl?.shutdown?.({ logger });
      await knex.destroy();
    },
  };
}

/** A cluster entry of app-config for a test cluster. */
export function clusterConfig(
  c: { url: string; adminToken: string; caData: string },
  name = 'bench',
): ClusterDefinition & Record<string, unknown> {
  return {
    name,
    url: c.url,
    serviceAccountToken: c.adminToken,
    caData: c.caData,
    skipTLSVerify: false,
  };
}

/** A fabric entry of app-config. */
export function fabricConfig(
  name: string,
  url: string,
  extra: Partial<FabricDefinition> & Record<string, unknown> = {},
) {
  return {
    name,
    title: `Bench ${name}`,
    git: { url, branch: 'main', path: `fabrics/${name}`, writeMode: 'push' },
    ...extra,
  };
}

/**
 * The plugin's router (the real createRouter) on a loopback HTTP server. Auth is
 * stubbed: every request is user:default/bench and every permission is allowed
 * (Backstage's token verification is not part of what is measured).
 */
export async function startApi(
  product: Product,
): Promise<{ url: string; requests: () => number; stop: () => Promise<void> }> {
  const httpAuth: any = {
    credentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/bench' },
    }),
  };
  const allowAll = async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  const permissions: any = { authorize: allowAll, authorizeConditional: allowAll };
  const app = express();
  app.use(
    '/api/hedgehog',
    createRouter({
      service: product.service,
      store: product.store,
      httpAuth,
      permissions,
      auditor: discardingAuditor,
      logger: product.logger,
    }),
  );
  const server = http.createServer(app);
  server.keepAliveTimeout = 60_000;
  let requests = 0;
  server.on('request', () => requests++);
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/hedgehog`,
    /** Requests the server received so far. */
    requests: () => requests,
    stop: () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
