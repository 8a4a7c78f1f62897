import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { countFindings, RunStatus } from '@fabric-gitops/plugin-hedgehog-common';
import { EventsService } from '@backstage/plugin-events-node';
import { FabricDefinition, HEDGEHOG_EVENT_TOPIC } from '@fabric-gitops/plugin-hedgehog-node';
import type { DriftTransition } from '../drift/fabricDrift';
import { ClusterClient } from '../cluster/ClusterClient';
import { DEFAULT_PRUNE_LIMIT } from '../cluster/prunePolicy';
import { HedgehogStore, RunRecord } from '../database/HedgehogStore';
import { ImportRefusedError } from '../database/importQueries';
import { GitCredentialsResolver } from '../git/credentials';
import { redact } from '../git/runGit';
import { ParseCache } from '../gitops/ParseCache';
import { FabricAccess } from './FabricAccess';
import { PipelineOptions } from './options';
import { LockLostError, RunLease } from './RunLease';
import { RunAudit } from './RunAudit';
import { RunEnded, RunNotices } from './RunNotices';
import { RunRecorder, STAGE_WRITE_DELAY_MS } from './RunRecorder';
import { Applied, applyStage } from './stages/apply';
import { RunSignals } from './RunSignals';
import { ClusterContext } from './stages/clusterContext';
import { driftStage } from './stages/drift';
import { runStage } from './stages/stage';
import { SyncOptions } from './stages/syncContext';
import { SyncResult, syncRun } from './syncRun';

export interface RunExecutorDeps {
  store: HedgehogStore;
  logger: LoggerService;
  options: PipelineOptions;
  /** The fabrics as defined now (a run of a fabric that is gone fails). */
  fabrics: { get(name: string): FabricDefinition | undefined; list(): FabricDefinition[] };
  access: FabricAccess;
  credentials: GitCredentialsResolver;
  /** Parsed files by blob id, shared by every run and the pull request validation. */
  cache: ParseCache;
  /** Where `hedgehog` topic events go (a fabric's desired state was imported). */
  events?: EventsService;
  /** Where a prune's deletions are audited. */
  audit?: RunAudit;
  /** Where a run that is not a dry run reports how it ended (notifications to the fabric's owner). */
  notices?: RunNotices;
  /** Where the runs' progress and the fabric's state are published (Backstage signals). */
  signals?: RunSignals;
}

/**
 * Carries out a claimed run from its first stage to its final record: a sync's
 * stages (then apply and drift on the fabric's cluster when asked or due), or an
 * apply or drift run; records how it ended, updates the fabric's status and
 * tells other plugins when a sync imported. A run whose replica lost the fabric's
 * lock (the lease) stops before its next write and is recorded as failed, saying
 * so; it leaves the fabric's status to the run that took over.
 */
export class RunExecutor {
  constructor(private readonly deps: RunExecutorDeps) {}

  async execute(run: RunRecord, lease?: RunLease): Promise<void> {
    const { store } = this.deps;
    const fabric = this.deps.fabrics.get(run.fabric);
    if (!fabric) {
      await store.updateRun(run.id, { status: 'failed', error: `the fabric ${run.fabric} is no longer defined`, finishedAt: Date.now() });
      this.deps.signals?.publish({ type: 'run.ended', fabric: run.fabric, runId: run.id, runType: run.type, status: 'failed' });
      return;
    }
    const { signals } = this.deps;
    signals?.publish({ type: 'run.started', fabric: run.fabric, runId: run.id, runType: run.type });
    const recorder = new RunRecorder(store, run.id, STAGE_WRITE_DELAY_MS, lease, signals && { signals, fabric: run.fabric });
    let status: RunStatus;
    if (run.type === 'sync' || run.type === 'restore') status = await this.executeSync(run, fabric, recorder);
    else status = await this.executeClusterRun(run, fabric, recorder);
    // after the run's final record and the fabric's state: a page that reads them now finds them
    recorder.publishPending();
    signals?.fabricChanged(run.fabric);
    signals?.publish({ type: 'run.ended', fabric: run.fabric, runId: run.id, runType: run.type, status });
  }

  /** An apply (then drift) or a drift run. */
  private async executeClusterRun(run: RunRecord, fabric: FabricDefinition, recorder: RunRecorder): Promise<RunStatus> {
    const { store, logger } = this.deps;
    const dryRun = Boolean(run.options.dryRun);
    try {
      const client = this.deps.access.clusterClient(fabric);
      if (!client) throw new InputError(`fabric ${fabric.name} has no cluster`);
      const ctx = this.clusterContext(run, fabric, recorder, client);
      let applied: Applied | undefined;
      if (run.type === 'apply') applied = await runStage(ctx, applyStage, { dryRun, confirmPrune: confirmPruneOf(run) });
      const problem = applied?.problem;
      const drift = dryRun ? undefined : await runStage(ctx, driftStage, undefined);
      recorder.throwIfLockLost('recording the end of the run');
      const status = problem ? 'partial' : 'succeeded';
      await store.updateRun(run.id, {
        stages: await recorder.settle(),
        status,
        error: problem,
        finishedAt: Date.now(),
      });
      if (!dryRun) {
        await this.notify({ fabric, run, status, error: problem, pruneHeldBack: applied?.pruneHeldBack, drift });
      }
      return status;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      logger.warn(`hedgehog: ${run.type} ${run.id} of ${run.fabric} failed: ${message}`);
      await this.recordFailure(run, recorder, message);
      if (!dryRun && !superseded(e)) await this.notify({ fabric, run, status: 'failed', error: message });
      return 'failed';
    }
  }

  private async executeSync(run: RunRecord, fabric: FabricDefinition, recorder: RunRecorder): Promise<RunStatus> {
    const { store, logger, options, access } = this.deps;
    const runOptions = run.options as SyncOptions;
    const credentials = await this.deps.credentials.forUrl(fabric.git.url);
    const secrets = credentials ? [credentials.password] : [];
    // One client for the run: validation, apply and drift share its connections.
    let made: { client?: ClusterClient } | undefined;
    const cluster = () => (made ??= { client: access.clusterClient(fabric) }).client;
    try {
      const result = await syncRun({
        fabric,
        store,
        recorder,
        logger,
        cache: this.deps.cache,
        options: runOptions,
        maxPushAttempts: pushAttempts(options.git.maxPushAttempts, fabric, this.deps.fabrics.list()),
        openWorkspace: () => access.openWorkspace(fabric, credentials),
        validationInputs: objects => access.validationInputs(fabric, objects, cluster()),
        review: access.reviewDelivery(fabric),
        restore: restoreOf(run),
      });
      const client = runOptions.dryRun ? undefined : cluster();
      const onCluster = client ? await this.followOnCluster(run, fabric, recorder, client, result, secrets) : {};
      const totals = countFindings(result.findings);
      const errors = totals.errors;
      const runErrors = [
        errors > 0 ? `${errors} error(s) found; see the validate stage` : undefined,
        onCluster.applyProblem,
        onCluster.error,
      ].filter(Boolean);
      recorder.throwIfLockLost('recording the end of the run');
      const status = onCluster.applyProblem || onCluster.error ? 'partial' : result.status;
      const error = runErrors.length > 0 ? runErrors.join('; ') : undefined;
      const findingTotals = result.imported || runOptions.dryRun
        ? await this.findingTotals(run.fabric, totals, result.importGeneration)
        : await this.unchangedTotals(run.fabric);
      await store.updateRun(run.id, {
        stages: await recorder.settle(),
        status,
        commitBefore: result.commitBefore,
        commitAfter: result.commitAfter,
        findings: result.findings,
        findingCount: totals.errors + totals.warnings,
        findingTotals,
        importGeneration: result.importGeneration,
        error,
        finishedAt: Date.now(),
      });
      if (result.imported) await this.publishChanged(fabric.name, result.commitAfter);
      if (!runOptions.dryRun) {
        // The sync ended: the fabric's health follows from what its Git holds open (fabricHealth).
        await store.updateFabricState(run.fabric, {
          status: 'in_sync',
          error: undefined,
          // also when nothing changed: the fabric was checked against Git now
          lastSyncAt: Date.now(),
        });
      }
      logger.info(`hedgehog: sync ${run.id} of ${run.fabric} ${result.status}`);
      if (!runOptions.dryRun) {
        await this.notify({
          fabric,
          run,
          status,
          error,
          openErrors: findingTotals.errors,
          pruneHeldBack: onCluster.pruneHeldBack,
          drift: onCluster.drift,
        });
      }
      return status;
    } catch (e) {
      const message = redact(e instanceof Error ? e.message : String(e), secrets);
      logger.warn(`hedgehog: sync ${run.id} of ${run.fabric} failed: ${message}`);
      await this.recordFailure(run, recorder, message);
      // A run that was overtaken leaves the fabric's status to the run that took over.
      if (!superseded(e)) {
        await store.updateFabricState(run.fabric, { status: 'error', error: message });
        if (!runOptions.dryRun) await this.notify({ fabric, run, status: 'failed', error: message });
      }
      return 'failed';
    }
  }

  /** Tells the run's notices how it ended; never fails the run. */
  private async notify(event: Omit<RunEnded, 'run'> & { run: RunRecord }) {
    try {
      await this.deps.notices?.runEnded({ ...event, run: { id: event.run.id, type: event.run.type } });
    } catch (e) {
      this.deps.logger.warn(`hedgehog: the notices of run ${event.run.id} of ${event.fabric.name} failed: ${e}`);
    }
  }

  /**
   * After a sync of a fabric with a cluster: apply (when asked, or `apply: auto`)
   * and check drift (after an apply or an import). The sync is committed and
   * imported: a cluster that fails now makes the run partial (its stage says why),
   * it does not undo or hide what the sync did.
   */
  private async followOnCluster(
    run: RunRecord,
    fabric: FabricDefinition,
    recorder: RunRecorder,
    client: ClusterClient,
    result: SyncResult,
    secrets: string[],
  ): Promise<{ applyProblem?: string; error?: string; pruneHeldBack?: string; drift?: DriftTransition }> {
    const ctx = this.clusterContext(run, fabric, recorder, client);
    const applies = Boolean(run.options.apply) || fabric.apply === 'auto';
    let applied: Applied | undefined;
    try {
      if (applies) applied = await runStage(ctx, applyStage, { confirmPrune: confirmPruneOf(run) });
      const drift = applies || result.imported ? await runStage(ctx, driftStage, undefined) : undefined;
      return { applyProblem: applied?.problem, pruneHeldBack: applied?.pruneHeldBack, drift };
    } catch (e) {
      if (superseded(e)) throw e;
      const error = redact(e instanceof Error ? e.message : String(e), secrets);
      this.deps.logger.warn(`hedgehog: sync ${run.id} of ${run.fabric}: cluster ${fabric.cluster}: ${error}`);
      return { applyProblem: applied?.problem, pruneHeldBack: applied?.pruneHeldBack, error };
    }
  }

  private clusterContext(run: RunRecord, fabric: FabricDefinition, recorder: RunRecorder, client: ClusterClient): ClusterContext {
    const { store, logger, options } = this.deps;
    return {
      run: { id: run.id, requestedBy: run.requestedBy },
      audit: this.deps.audit,
      fabric,
      store,
      recorder,
      logger,
      client,
      concurrency: options.applyConcurrency,
      pruneLimit: options.pruneLimit ?? DEFAULT_PRUNE_LIMIT,
    };
  }

  /**
   * The exact totals of a sync's findings, and when it imported how many of them are
   * new since the previous import (as the findings history recorded them).
   */
  private async findingTotals(fabric: string, totals: { errors: number; warnings: number }, generation?: number) {
    if (generation === undefined) return totals;
    const page = await this.deps.store.listFindings({ fabric, generation }, {}, 0, 1);
    return { ...totals, new: page.totals.new };
  }

  /**
   * The totals of a sync that found nothing new in Git (it imported nothing): the
   * fabric's open findings as of this run, and the import (run, commit) they are
   * unchanged since. So the runs table never shows 0 errors while errors are open.
   */
  private async unchangedTotals(fabric: string) {
    const state = await this.deps.store.getFabricState(fabric);
    const open = state?.openFindings ?? { errors: 0, warnings: 0 };
    const generation = state?.importGeneration ?? 0;
    const run = generation > 0 ? await this.deps.store.runOfImport(fabric, generation) : undefined;
    const commit = state?.lastSyncedCommit;
    return {
      errors: open.errors,
      warnings: open.warnings,
      unchangedSince: { ...(run ? { run } : {}), ...(commit ? { commit } : {}) },
    };
  }

  /** Ends a failed run: its stages as far as they got, and the error that says why. */
  private async recordFailure(run: RunRecord, recorder: RunRecorder, message: string) {
    const stages = await recorder.settle().catch(() => recorder.stages);
    await this.deps.store.updateRun(run.id, { stages, status: 'failed', error: message, finishedAt: Date.now() });
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
}

/** The run lost the fabric's lock, or its import was overtaken by another run's: it must write nothing more. */
function superseded(e: unknown): boolean {
  return e instanceof LockLostError || e instanceof ImportRefusedError;
}

/**
 * How many times a sync pushes before it gives up: `git.maxPushAttempts`, plus one
 * per other fabric of the same repository and branch. Each of those may push once
 * while this sync's push is under way (their syncs run at the same time: the lock is
 * per fabric), and each such push rejects this one; the retry then commits the same
 * change on the new head when the fabric's folder did not change.
 */
export function pushAttempts(maxPushAttempts: number, fabric: FabricDefinition, all: FabricDefinition[]): number {
  const siblings = all.filter(f => f.name !== fabric.name && f.git.url === fabric.git.url && f.git.branch === fabric.git.branch);
  return maxPushAttempts + siblings.length;
}

/** What a restore run restores: the commit it was asked for, and who asked. */
function restoreOf(run: RunRecord): { commit: string; requestedBy?: string } | undefined {
  if (run.type !== 'restore') return undefined;
  const commit = run.options.commit;
  if (typeof commit !== 'string') throw new InputError(`restore run ${run.id} names no commit`);
  return { commit, requestedBy: run.requestedBy };
}

/**
 * The prune confirmation a run was asked with (`confirmPrune`); -1 when requests
 * that joined it confirmed different counts (which confirms nothing).
 */
function confirmPruneOf(run: RunRecord): number | undefined {
  const n = run.options.confirmPrune;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}
