import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { ScmIntegrations } from '@backstage/integration';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { promises as fs } from 'fs';
import { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { ClusterDefinition } from '../cluster/ClusterClient';
import { DatabaseHedgehogStore } from '../database/DatabaseHedgehogStore';
import { GitCredentialsResolver } from '../git/credentials';
import { HedgehogOptions } from '../service/config';
import { FabricRegistry } from '../service/FabricRegistry';
import { HedgehogService } from '../service/HedgehogService';

/** Test-only: a fabric definition pointing at a URL. */
export function testFabric(url: string, overrides: Partial<FabricDefinition> = {}): FabricDefinition {
  return {
    name: 'lab',
    title: 'Lab fabric',
    git: { url, branch: 'main', path: 'fabrics/lab', writeMode: 'push' },
    apply: 'manual',
    prune: false,
    source: 'app-config',
    ...overrides,
  };
}

/** Test-only: a HedgehogService on a real database and real Git, with a logger that records. */
export async function createTestService(options: {
  knex: Knex;
  fabrics: FabricDefinition[];
  integrations?: JsonObject;
  timeoutMs?: number;
  clusters?: ClusterDefinition[];
}) {
  await options.knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
  const store = new DatabaseHedgehogStore(options.knex);
  const workingDirectory = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-test-wd-'));
  const logs: string[] = [];
  const logger = mockServices.logger.mock({
    info: (m: string) => void logs.push(m),
    warn: (m: string) => void logs.push(m),
    error: (m: string) => void logs.push(m),
    debug: () => {},
  });
  logger.child.mockReturnValue(logger);
  const hedgehogOptions: HedgehogOptions = {
    schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
    driftSchedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
    applyConcurrency: 4,
    clusters: options.clusters ?? [],
    workingDirectory,
    git: {
      author: { name: 'Hedgehog Test', email: 'hedgehog@test.invalid' },
      timeoutMs: options.timeoutMs ?? 30_000,
      maxPushAttempts: 3,
    },
    fabrics: options.fabrics,
  };
  const registry = new FabricRegistry(options.fabrics, [], logger, new Set((options.clusters ?? []).map(c => c.name)));
  const credentials = new GitCredentialsResolver(
    ScmIntegrations.fromConfig(new ConfigReader({ integrations: options.integrations ?? {} })),
  );
  const service = new HedgehogService({ store, registry, credentials, options: hedgehogOptions, logger });
  return {
    store,
    service,
    logs,
    workingDirectory,
    /** Queues a sync and waits until the fabric's queue is drained. */
    async sync(fabric = options.fabrics[0].name, opts: { dryRun?: boolean; apply?: boolean } = {}) {
      const { runId } = await service.requestSync(fabric, 'api', 'user:default/test', opts);
      await service.coordinator.drain(fabric);
      const run = await store.getRun(runId);
      if (!run) throw new Error(`run ${runId} vanished`);
      return run;
    },
    /** Queues an apply or drift run and waits for it. */
    async clusterRun(type: 'apply' | 'drift', opts: { dryRun?: boolean } = {}, fabric = options.fabrics[0].name) {
      const { runId } = await service.requestClusterRun(fabric, type, 'api', 'user:default/test', opts);
      await service.coordinator.drain(fabric);
      const run = await store.getRun(runId);
      if (!run) throw new Error(`run ${runId} vanished`);
      return run;
    },
    async cleanup() {
      service.coordinator.stop();
      await fs.rm(workingDirectory, { recursive: true, force: true });
    },
  };
}
