import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterDefinition } from '../cluster/ClusterClient';
import { DEFAULT_PRUNE_LIMIT } from '../cluster/prunePolicy';
import { HedgehogStore } from '../database/HedgehogStore';
import { GitCredentialsResolver } from '../git/credentials';
import { HedgehogOptions } from '../service/config';
import { FabricRegistry } from '../service/FabricRegistry';
import { HedgehogService } from '../service/HedgehogService';

export interface WireServiceInput {
  store: HedgehogStore;
  logger: LoggerService;
  fabrics: FabricDefinition[];
  workingDirectory: string;
  clusters?: ClusterDefinition[];
  integrations?: JsonObject;
  timeoutMs?: number;
  lockTtlMs?: number;
  /** Author name of the commits (the tests tell their commits apart by it). */
  author?: string;
  /** The POST /validate worker pool (default: the plugin's default). */
  validation?: HedgehogOptions['validation'];
  /** `hedgehog.apply.pruneLimit` (default 0.1). */
  pruneLimit?: number;
  /** Backstage's auditor (the prunes of runs are audited). */
  auditor?: AuditorService;
  /** Backstage's notification service (fabric owners are told of failures and drift). */
  notifications?: NotificationService;
}

/**
 * Test-only: what plugin.ts wires around a store and a logger — options with
 * test-sized timeouts, the fabric registry, Git credentials from `integrations`
 * and the HedgehogService. Used by the package's tests and the reliability suite.
 */
export function wireTestService(input: WireServiceInput) {
  const { store, logger, fabrics } = input;
  const clusters = input.clusters ?? [];
  const options: HedgehogOptions = {
    schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
    driftSchedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
    applyConcurrency: 4,
    pruneLimit: input.pruneLimit ?? DEFAULT_PRUNE_LIMIT,
    clusters,
    workingDirectory: input.workingDirectory,
    git: {
      author: { name: input.author ?? 'Hedgehog Test', email: 'hedgehog@test.invalid' },
      timeoutMs: input.timeoutMs ?? 30_000,
      maxPushAttempts: 3,
    },
    fabrics,
    validation: input.validation,
  };
  const registry = new FabricRegistry(fabrics, [], logger, new Set(clusters.map(c => c.name)));
  const credentials = new GitCredentialsResolver(
    ScmIntegrations.fromConfig(new ConfigReader({ integrations: input.integrations ?? {} })),
  );
  const service = new HedgehogService({ store, registry, credentials, options, logger, lockTtlMs: input.lockTtlMs, auditor: input.auditor, notifications: input.notifications });

  /** Waits until the fabric's queue is drained and returns the run. */
  const finished = async (runId: string, fabric: string) => {
    await service.coordinator.drain(fabric);
    const run = await store.getRun(runId);
    if (!run) throw new Error(`run ${runId} vanished`);
    return run;
  };
  return {
    service,
    registry,
    options,
    /** Queues a sync as a test user and waits for it. */
    async sync(fabric = fabrics[0].name, opts: { dryRun?: boolean; apply?: boolean; force?: boolean; confirmPrune?: number } = {}) {
      const { runId } = await service.requestSync(fabric, 'api', 'user:default/test', opts);
      return finished(runId, fabric);
    },
    /** Queues an apply or drift run as a test user and waits for it. */
    async clusterRun(type: 'apply' | 'drift', opts: { dryRun?: boolean; confirmPrune?: number } = {}, fabric = fabrics[0].name) {
      const { runId } = await service.requestClusterRun(fabric, type, 'api', 'user:default/test', opts);
      return finished(runId, fabric);
    },
  };
}
