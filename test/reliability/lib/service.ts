/*
 * The real HedgehogService on a real Knex database and real Git, without jest
 * (so it also runs in child processes that the suite kills with SIGKILL). It is
 * what the backend plugin wires up in plugin.ts, with a recording logger and
 * test-sized timeouts. `serve()` adds the real HTTP router on a loopback port.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { ClusterDefinition } from '@fabric-gitops/plugin-hedgehog-backend/src/cluster/ClusterClient';
import { DatabaseHedgehogStore } from '@fabric-gitops/plugin-hedgehog-backend/src/database/DatabaseHedgehogStore';
import { wireTestService } from '@fabric-gitops/plugin-hedgehog-backend/src/__testUtils__/wireService';
import { ValidationPoolOptions } from '@fabric-gitops/plugin-hedgehog-backend/src/service/ValidationPool';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';

export function fabricDef(name: string, url: string, overrides: Partial<FabricDefinition> = {}): FabricDefinition {
  return {
    name,
    title: name,
    git: { url, branch: 'main', path: 'fabric', writeMode: 'push' },
    apply: 'manual',
    prune: false,
    source: 'app-config',
    ...overrides,
  };
}

/** A LoggerService that keeps every message (with its metadata) in `lines`. */
export function recordingLogger(lines: string[], echo?: (line: string) => void): LoggerService {
  const log =
    (level: string) =>
    (message: string, meta?: unknown): void => {
      const line = `${level} ${message}${meta ? ` ${safeJson(meta)}` : ''}`;
      lines.push(line);
      echo?.(line);
    };
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

function safeJson(v: unknown) {
  try {
    return JSON.stringify(v, (_k, x) => (x instanceof Error ? { message: x.message, stack: x.stack } : x));
  } catch {
    return String(v);
  }
}

export interface ServiceOptions {
  knex: Knex;
  fabrics: FabricDefinition[];
  integrations?: JsonObject;
  clusters?: ClusterDefinition[];
  timeoutMs?: number;
  /** The POST /validate worker pool (default: the plugin's default). */
  validation?: ValidationPoolOptions;
  lockTtlMs?: number;
  workingDirectory?: string;
  echo?: (line: string) => void;
}

export async function buildService(options: ServiceOptions) {
  // as the plugin does at start (migrations included)
  const store = await DatabaseHedgehogStore.create({ database: { getClient: async () => options.knex } as any });
  const workingDirectory =
    options.workingDirectory ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-wd-')));
  const logs: string[] = [];
  const logger = recordingLogger(logs, options.echo);
  const wired = wireTestService({
    store,
    logger,
    fabrics: options.fabrics,
    workingDirectory,
    clusters: options.clusters,
    integrations: options.integrations,
    timeoutMs: options.timeoutMs,
    validation: options.validation,
    lockTtlMs: options.lockTtlMs,
    author: 'Hedgehog Reliability',
  });
  const { service, registry } = wired;
  const hedgehogOptions = wired.options;
  return {
    store,
    service,
    registry,
    options: hedgehogOptions,
    logs,
    logger,
    workingDirectory,
    knex: options.knex,
    /** Queues a sync, drains the fabric's queue and returns the run. */
    sync: wired.sync,
    clusterRun: (type: 'apply' | 'drift', fabric = options.fabrics[0].name) => wired.clusterRun(type, {}, fabric),
    async close() {
      await service.coordinator.stop();
      if (!options.workingDirectory) await fs.rm(workingDirectory, { recursive: true, force: true });
    },
  };
}

export type BuiltService = Awaited<ReturnType<typeof buildService>>;

/** A Knex client on an SQLite file (state survives the process). */
export async function sqliteFile(filename: string): Promise<Knex> {
  return knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
}

/** A Knex client on a PostgreSQL database. */
export async function postgres(connection: string, pool?: Knex.PoolConfig): Promise<Knex> {
  return knexFactory({ client: 'pg', connection, pool: pool ?? { min: 0, max: 5 } });
}
