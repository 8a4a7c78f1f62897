import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { EventsService } from '@backstage/plugin-events-node';
import { HEDGEHOG_EVENT_TOPIC } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterClient, ClusterStatus, loadKubernetesClient } from '../cluster/ClusterClient';
import { ValidationContextLoader, ValidationInputs } from '../cluster/validationContext';
import { applyStage, driftStage } from '../pipeline/clusterStages';
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
import { ScmIntegrationRegistry } from '@backstage/integration';
import { DeliveryLog, WebhookDeliveryLog } from '../github/DeliveryLog';
import { GitHubService } from '../github/GitHubService';
import { HedgehogOptions } from './config';
import { FabricRegistry } from './FabricRegistry';

/** The plugin's operations, shared by the router and the scheduler. */
export class HedgehogService {
  readonly coordinator: RunCoordinator;
  /** GitHub: pull requests, webhooks, pull request validation, adoption. */
  readonly github: GitHubService;
  private readonly cache = new ParseCache();
  private readonly validationContext: ValidationContextLoader;

  constructor(
    private readonly deps: {
      store: HedgehogStore;
      registry: FabricRegistry;
      credentials: GitCredentialsResolver;
      options: HedgehogOptions;
      logger: LoggerService;
      lockTtlMs?: number;
      /** Where `hedgehog` topic events go (fabric desired state changed). */
      events?: EventsService;
      /** Backstage's integrations (GitHub pull requests, statuses and API calls need them). */
      integrations?: ScmIntegrationRegistry;
      /** Where webhook delivery ids are remembered (default: in memory). */
      deliveries?: DeliveryLog;
    },
  ) {
    this.validationContext = new ValidationContextLoader(deps.logger);
    this.coordinator = new RunCoordinator({
      store: deps.store,
      logger: deps.logger,
      execute: run => this.execute(run),
      lockTtlMs: deps.lockTtlMs,
    });
    this.github = new GitHubService({
      integrations: deps.integrations,
      credentials: deps.credentials,
      store: deps.store,
      fabrics: deps.registry,
      requestSync: (name, trigger, requestedBy) => this.requestSync(name, trigger, requestedBy),
      options: deps.options,
      logger: deps.logger,
      cache: this.cache,
      deliveries: deps.deliveries ?? new WebhookDeliveryLog(),
      validationInputs: (fabric, objects) => this.validationInputs(fabric, objects),
    });
    this.loadClientLibraries();
  }

  /**
   * Loads the Kubernetes client when clusters are configured now rather than in
   * the middle of a run, where loading it (seconds under a development transform)
   * would hold the event loop while other runs' git commands are timed. Without
   * clusters it is never loaded.
   */
  private loadClientLibraries() {
    if (this.deps.options.clusters.length > 0) loadKubernetesClient();
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
    options: { dryRun?: boolean; force?: boolean; apply?: boolean } = {},
  ) {
    const fabric = this.fabric(name);
    if (options.apply && !fabric.cluster) {
      throw new InputError(`Fabric ${name} has no cluster to apply to; set "cluster" to a name from hedgehog.clusters`);
    }
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

  /** Queues an apply or a drift check of a fabric that has a cluster. */
  async requestClusterRun(
    name: string,
    type: 'apply' | 'drift',
    trigger: RunTrigger,
    requestedBy?: string,
    options: { dryRun?: boolean } = {},
  ) {
    const fabric = this.fabric(name);
    if (!fabric.cluster) {
      throw new InputError(`Fabric ${name} has no cluster; set "cluster" to a name from hedgehog.clusters`);
    }
    return this.coordinator.request({ fabric: name, type, trigger, requestedBy, options });
  }

  /** Connection test of a fabric's cluster: server version and the 12 CRDs. */
  async clusterStatus(name: string): Promise<ClusterStatus & { cluster?: string }> {
    const fabric = this.fabric(name);
    const client = this.clusterClient(fabric);
    if (!client) return { reachable: false, crds: [], error: `fabric ${name} has no cluster` };
    return { cluster: client.name, ...(await client.status()) };
  }

  /**
   * What validating objects of a fabric uses besides them: its FabricConfig (cluster
   * ConfigMap, app-config, defaults), and when it has a cluster the live objects of the
   * referenced kinds the objects hold none of and the SwitchProfiles. An unreachable
   * cluster gives the offline inputs; only a fabric naming an unknown cluster throws.
   */
  async validationInputs(
    fabric: FabricDefinition,
    objects: unknown[],
    client: ClusterClient | undefined = this.clusterClient(fabric),
  ): Promise<ValidationInputs> {
    return this.validationContext.load({
      fabric: fabric.name,
      objects,
      appConfig: this.deps.options.fabricConfigs?.[fabric.name],
      client,
    });
  }

  private clusterClient(fabric: FabricDefinition): ClusterClient | undefined {
    if (!fabric.cluster) return undefined;
    const def = this.deps.options.clusters.find(c => c.name === fabric.cluster);
    if (!def) throw new InputError(`cluster ${fabric.cluster} of fabric ${fabric.name} is not configured`);
    return new ClusterClient(def);
  }

  /** Carries out one claimed run and records its end. */
  private async execute(run: RunRecord): Promise<void> {
    const { store } = this.deps;
    const fabric = this.deps.registry.get(run.fabric);
    if (!fabric) {
      await store.updateRun(run.id, { status: 'failed', error: `the fabric ${run.fabric} is no longer defined`, finishedAt: Date.now() });
      return;
    }
    if (run.type === 'sync') await this.executeSync(run, fabric);
    else await this.executeClusterRun(run, fabric);
  }

  /**
   * Tells other plugins (for example the catalog provider) that a fabric's desired
   * state was imported. Topic `hedgehog`, payload `{type, fabric, commit}`.
   */
  private async publishChanged(fabric: string, commit?: string) {
    try {
      await this.deps.events?.publish({
        topic: HEDGEHOG_EVENT_TOPIC,
        eventPayload: { type: 'fabric.synced', fabric, commit },
      });
    } catch (e) {
      this.deps.logger.warn(`hedgehog: publishing the sync event of ${fabric} failed: ${e}`);
    }
  }

  /** Ends a failed run: its stages as far as they got, and the error that says why. */
  private async recordFailure(run: RunRecord, recorder: RunRecorder, message: string) {
    const stages = await recorder.settle().catch(() => recorder.stages);
    await this.deps.store.updateRun(run.id, { stages, status: 'failed', error: message, finishedAt: Date.now() });
  }

  /** An apply (then drift) or a drift run. */
  private async executeClusterRun(run: RunRecord, fabric: FabricDefinition) {
    const { store, logger } = this.deps;
    const recorder = new RunRecorder(store, run.id);
    const dryRun = Boolean(run.options.dryRun);
    try {
      const client = this.clusterClient(fabric);
      if (!client) throw new InputError(`fabric ${fabric.name} has no cluster`);
      const ctx = { fabric, store, client, recorder, concurrency: this.deps.options.applyConcurrency };
      let failed = 0;
      if (run.type === 'apply') failed = (await applyStage(ctx, { dryRun })).failed;
      if (!dryRun) await driftStage(ctx);
      await store.updateRun(run.id, {
        stages: await recorder.settle(),
        status: failed > 0 ? 'partial' : 'succeeded',
        error: failed > 0 ? `${failed} object(s) could not be applied; see the apply stage` : undefined,
        finishedAt: Date.now(),
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      logger.warn(`hedgehog: ${run.type} ${run.id} of ${run.fabric} failed: ${message}`);
      await this.recordFailure(run, recorder, message);
    }
  }

  private async executeSync(run: RunRecord, fabric: FabricDefinition) {
    const { store, logger, options } = this.deps;
    const recorder = new RunRecorder(store, run.id);
    const credentials = await this.deps.credentials.forUrl(fabric.git.url);
    const secrets = credentials ? [credentials.password] : [];
    // One client for the run: validation, apply and drift share its connections.
    let made: { client?: ClusterClient } | undefined;
    const cluster = () => (made ??= { client: this.clusterClient(fabric) }).client;
    try {
      const result = await syncFabric({
        fabric,
        store,
        cache: this.cache,
        recorder,
        logger,
        options: run.options as { dryRun?: boolean; force?: boolean },
        maxPushAttempts: options.git.maxPushAttempts,
        validationInputs: objects => this.validationInputs(fabric, objects, cluster()),
        review: fabric.git.writeMode === 'pull-request' ? this.github.reviewDelivery(fabric) : undefined,
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
      let applyFailed = 0;
      // The sync is committed and imported: a cluster that fails now makes the run
      // partial (its stage says why), it does not undo or hide what the sync did.
      let clusterError: string | undefined;
      const client = run.options.dryRun ? undefined : cluster();
      if (client) {
        const ctx = { fabric, store, client, recorder, concurrency: options.applyConcurrency };
        const applied = Boolean(run.options.apply) || fabric.apply === 'auto';
        try {
          if (applied) applyFailed = (await applyStage(ctx, {})).failed;
          if (applied || result.imported) await driftStage(ctx);
        } catch (e) {
          clusterError = redact(e instanceof Error ? e.message : String(e), secrets);
          logger.warn(`hedgehog: sync ${run.id} of ${run.fabric}: cluster ${fabric.cluster}: ${clusterError}`);
        }
      }
      const runErrors = [
        errors > 0 ? `${errors} error(s) found; see the validate stage` : undefined,
        clusterError,
      ].filter(Boolean);
      await store.updateRun(run.id, {
        stages: await recorder.settle(),
        status: applyFailed > 0 || clusterError ? 'partial' : result.status,
        commitBefore: result.commitBefore,
        commitAfter: result.commitAfter,
        findings: result.findings,
        findingCount: result.findings.length,
        error: runErrors.length > 0 ? runErrors.join('; ') : undefined,
        finishedAt: Date.now(),
      });
      if (result.imported) await this.publishChanged(fabric.name, result.commitAfter);
      if (!run.options.dryRun) {
        await store.updateFabricState(run.fabric, {
          status: result.status === 'succeeded' ? 'in_sync' : 'partial',
          error: errors > 0 ? `${errors} error(s) in the last sync` : undefined,
          // also when nothing changed: the fabric was checked against Git now
          lastSyncAt: Date.now(),
        });
      }
      logger.info(`hedgehog: sync ${run.id} of ${run.fabric} ${result.status}`);
    } catch (e) {
      const message = redact(e instanceof Error ? e.message : String(e), secrets);
      logger.warn(`hedgehog: sync ${run.id} of ${run.fabric} failed: ${message}`);
      await this.recordFailure(run, recorder, message);
      await store.updateFabricState(run.fabric, { status: 'error', error: message });
    }
  }
}
