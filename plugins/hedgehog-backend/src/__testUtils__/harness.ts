import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { promises as fs } from 'fs';
import { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { ClusterDefinition } from '../cluster/ClusterClient';
import { DatabaseHedgehogStore } from '../database/DatabaseHedgehogStore';
import { wireTestService } from './wireService';

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
  lockTtlMs?: number;
  auditor?: AuditorService;
  notifications?: NotificationService;
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
  const wired = wireTestService({
    store,
    logger,
    fabrics: options.fabrics,
    workingDirectory,
    clusters: options.clusters,
    integrations: options.integrations,
    timeoutMs: options.timeoutMs,
    lockTtlMs: options.lockTtlMs,
    auditor: options.auditor,
    notifications: options.notifications,
  });
  const { service } = wired;
  return {
    store,
    service,
    logs,
    workingDirectory,
    /** Queues a sync and waits until the fabric's queue is drained. */
    sync: wired.sync,
    /** Queues an apply or drift run and waits for it. */
    clusterRun: wired.clusterRun,
    async cleanup() {
      await service.coordinator.stop();
      await fs.rm(workingDirectory, { recursive: true, force: true });
    },
  };
}
