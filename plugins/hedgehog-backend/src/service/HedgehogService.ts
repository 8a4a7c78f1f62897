import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Fabric,
  FabricStatus,
  RunTrigger,
} from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore, RunRecord } from '../database/HedgehogStore';
import { GitCredentialsResolver } from '../git/credentials';
import { GitWorkspace } from '../git/GitWorkspace';
import { ParseCache } from '../gitops/ParseCache';
import { RunCoordinator } from '../pipeline/RunCoordinator';
import { RunRecorder } from '../pipeline/RunRecorder';
import { syncFabric } from '../pipeline/syncFabric';
import { redact } from '../git/runGit';
import { HedgehogOptions } from './config';
import { FabricRegistry } from './FabricRegistry';

/** The plugin's operations, shared by the router and the scheduler. */
export class HedgehogService {
  readonly coordinator: RunCoordinator;
  private readonly cache = new ParseCache();

  constructor(
    private readonly deps: {
      store: HedgehogStore;
      registry: FabricRegistry;
      credentials: GitCredentialsResolver;
      options: HedgehogOptions;
      logger: LoggerService;
      lockTtlMs?: number;
    },
  ) {
    this.coordinator = new RunCoordinator({
      store: deps.store,
      logger: deps.logger,
      execute: run => this.execute(run),
      lockTtlMs: deps.lockTtlMs,
    });
  }

  fabric(name: string): FabricDefinition {
    const f = this.deps.registry.get(name);
    if (!f) throw new NotFoundError(`No fabric named "${name}"`);
    return f;
  }

  async listFabrics(): Promise<Fabric[]> {
    const states = new Map((await this.deps.store.listFabricStates()).map(s => [s.name, s]));
    return Promise.all(this.deps.registry.list().map(f => this.describe(f, states.get(f.name))));
  }

  async getFabric(name: string): Promise<Fabric> {
    const f = this.fabric(name);
    return this.describe(f, await this.deps.store.getFabricState(name));
  }

  /** Queues a sync; returns the run id (an already queued sync is joined). */
  async requestSync(
    name: string,
    trigger: RunTrigger,
    requestedBy?: string,
    options: { dryRun?: boolean; force?: boolean } = {},
  ) {
    this.fabric(name);
    return this.coordinator.request({ fabric: name, type: 'sync', trigger, requestedBy, options });
  }

  private async describe(f: FabricDefinition, state?: Awaited<ReturnType<HedgehogStore['getFabricState']>>): Promise<Fabric> {
    const drift = await this.deps.store.driftCounts(f.name);
    return {
      name: f.name,
      title: f.title,
      git: f.git,
      cluster: f.cluster,
      source: f.source,
      lastSyncedCommit: state?.lastSyncedCommit,
      lastSyncAt: state?.lastSyncAt ? new Date(state.lastSyncAt).toISOString() : undefined,
      lastRunId: state?.lastRunId,
      status: (state?.status ?? 'never_synced') as FabricStatus,
      error: state?.error,
      counts: state?.counts ?? {},
      drift,
    };
  }

  /** Carries out one claimed run and records its end. */
  private async execute(run: RunRecord): Promise<void> {
    const { store, logger, options } = this.deps;
    const recorder = new RunRecorder(store, run.id);
    const fabric = this.deps.registry.get(run.fabric);
    await store.updateFabricState(run.fabric, { lastRunId: run.id });
    if (!fabric) {
      await store.updateRun(run.id, { status: 'failed', error: `the fabric ${run.fabric} is no longer defined`, finishedAt: Date.now() });
      return;
    }
    if (run.type !== 'sync') {
      await store.updateRun(run.id, { status: 'failed', error: `${run.type} runs are not supported by this version`, finishedAt: Date.now() });
      return;
    }
    const credentials = await this.deps.credentials.forUrl(fabric.git.url);
    const secrets = credentials ? [credentials.password] : [];
    try {
      const result = await syncFabric({
        fabric,
        store,
        cache: this.cache,
        recorder,
        logger,
        options: run.options as { dryRun?: boolean; force?: boolean },
        maxPushAttempts: options.git.maxPushAttempts,
        workspace: () =>
          GitWorkspace.open({
            cacheDir: options.workingDirectory,
            url: fabric.git.url,
            branch: fabric.git.branch,
            dirPath: fabric.git.path,
            credentials,
            author: options.git.author,
            timeoutMs: options.git.timeoutMs,
          }),
      });
      const errors = result.findings.filter(f => f.severity === 'error').length;
      await store.updateRun(run.id, {
        status: result.status,
        commitBefore: result.commitBefore,
        commitAfter: result.commitAfter,
        findings: result.findings,
        findingCount: result.findings.length,
        error: errors > 0 ? `${errors} error(s) found; see the validate stage` : undefined,
        finishedAt: Date.now(),
      });
      if (!run.options.dryRun) {
        await store.updateFabricState(run.fabric, {
          status: result.status === 'succeeded' ? 'in_sync' : 'partial',
          error: errors > 0 ? `${errors} error(s) in the last sync` : undefined,
        });
      }
      logger.info(`hedgehog: sync ${run.id} of ${run.fabric} ${result.status}`);
    } catch (e) {
      const message = redact(e instanceof Error ? e.message : String(e), secrets);
      logger.warn(`hedgehog: sync ${run.id} of ${run.fabric} failed: ${message}`);
      await store.updateRun(run.id, { status: 'failed', error: message, finishedAt: Date.now() });
      await store.updateFabricState(run.fabric, { status: 'error', error: message });
    }
  }
}
