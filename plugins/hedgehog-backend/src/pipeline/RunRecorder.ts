import { FabricSignal, PruneReport, RunError, RunStage, RunStageName, StageStatus } from '@fabric-gitops/plugin-hedgehog-common';
import { HedgehogStore } from '../database/HedgehogStore';
import { RunLease } from './RunLease';
import { RunSignals } from './RunSignals';

/** What a stage reports when it ends. */
export interface StageOutcome {
  status?: StageStatus;
  counts?: Record<string, number>;
  errors?: RunError[];
  /** How many errors the stage had in all, when `errors` lists fewer. */
  errorTotal?: number;
  message?: string;
  /** An apply stage's prune: what it deleted or would delete, and what it held back. */
  prune?: PruneReport;
}

/** How long stage records may wait before they are written (see RunRecorder). */
export const STAGE_WRITE_DELAY_MS = 250;

/**
 * Records the stages of a run in the database as they start and end, so the run
 * can be followed while it is active. Records are written at most once per
 * `writeDelayMs` (one write carries every change since the last one): a run of
 * quick stages writes them once instead of twice per stage — each write is a
 * committed transaction, ~1.5 ms on SQLite — and a stage that runs longer shows
 * as running within `writeDelayMs`. The run's owner ends the recording with
 * `settle()` and writes the records with the run's end (one commit for both). A
 * failed write fails the next stage boundary or `settle()`, as a failed write
 * did when each was awaited. With a lease, a stage starts only while the replica
 * still holds the fabric's lock (a run that lost it stops at the next stage).
 * With signals, each stage's start and end is published once the write that
 * holds it is done (a page that reads the run then finds it); what the last
 * write left goes out with `publishPending()` after the run's final record.
 */
export class RunRecorder {
  readonly stages: RunStage[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private failure?: unknown;
  /** Stage messages whose records are not written yet. */
  private pending: FabricSignal[] = [];

  constructor(
    private readonly store: HedgehogStore,
    readonly runId: string,
    private readonly writeDelayMs = STAGE_WRITE_DELAY_MS,
    /** The run's hold on the fabric's lock (runs of the RunCoordinator). */
    readonly lease?: RunLease,
    /** Where the stages' progress is published, and the run's fabric. */
    private readonly progress?: { signals: RunSignals; fabric: string },
  ) {}

  /**
   * Throws a LockLostError once the run's replica no longer holds the fabric's lock:
   * called before each write outside the run's own record (stage starts, the push,
   * the import).
   */
  throwIfLockLost(before: string) {
    this.lease?.throwIfLost(before);
  }

  /** Runs one stage; its outcome (or its error) is recorded. Throws LockLostError instead of starting it once the lock is lost. */
  async stage(name: RunStageName, fn: () => Promise<StageOutcome>): Promise<StageOutcome> {
    this.throwIfLockLost(`the ${name} stage`);
    const record: RunStage = {
      name,
      status: 'running',
      startedAt: new Date().toISOString(),
      counts: {},
      errors: [],
    };
    this.stages.push(record);
    this.signal({ type: 'stage.started', stage: name });
    await this.save();
    try {
      const outcome = await fn();
      record.status = outcome.status ?? (outcome.errors?.length ? 'partial' : 'succeeded');
      record.counts = outcome.counts ?? {};
      record.errors = outcome.errors ?? [];
      if (outcome.errorTotal !== undefined && outcome.errorTotal > record.errors.length) record.errorTotal = outcome.errorTotal;
      if (outcome.message) record.message = outcome.message;
      if (outcome.prune) record.prune = outcome.prune;
      return outcome;
    } catch (e) {
      record.status = 'failed';
      record.errors = [{ message: e instanceof Error ? e.message : String(e) }];
      throw e;
    } finally {
      record.finishedAt = new Date().toISOString();
      this.ended(record);
      await this.save();
    }
  }

  /** Records stages that did not run. */
  async skip(names: readonly RunStageName[], reason: string) {
    const now = new Date().toISOString();
    for (const name of names) {
      if (this.stages.some(s => s.name === name)) continue;
      this.stages.push({
        name,
        status: 'skipped',
        startedAt: now,
        finishedAt: now,
        counts: {},
        errors: [],
        message: reason,
      });
      this.ended(this.stages[this.stages.length - 1]);
    }
    await this.save();
  }

  /**
   * Ends the recording: cancels the scheduled write, waits for the writes under
   * way and returns the records for the run's final update.
   */
  async settle(): Promise<RunStage[]> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    this.throwFailure();
    return this.stages;
  }

  /**
   * Publishes the stage messages the last write did not carry: called by the run's
   * owner once it has written the records `settle()` returned.
   */
  publishPending() {
    const messages = this.pending.splice(0);
    for (const m of messages) this.progress?.signals.publish(m);
  }

  private ended(record: RunStage) {
    this.signal({
      type: 'stage.ended',
      stage: record.name,
      status: record.status,
      counts: { ...record.counts },
      errors: Math.max(record.errorTotal ?? 0, record.errors.length),
    });
  }

  private signal(
    message:
      | { type: 'stage.started'; stage: RunStageName }
      | { type: 'stage.ended'; stage: RunStageName; status: StageStatus; counts: Record<string, number>; errors: number },
  ) {
    if (!this.progress) return;
    this.pending.push({ ...message, fabric: this.progress.fabric, runId: this.runId });
  }

  /** Schedules a write of the records (one per `writeDelayMs`). */
  private async save(): Promise<void> {
    this.throwFailure();
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, this.writeDelayMs);
  }

  private write() {
    // a copy: the stages go on changing while the write waits for the database
    const stages = this.stages.map(s => ({ ...s }));
    // the messages of what this write holds go out once it is done
    const messages = this.pending.splice(0);
    this.writing = this.writing
      .then(() => this.store.updateRun(this.runId, { stages }))
      .then(() => messages.forEach(m => this.progress?.signals.publish(m)))
      .catch(e => {
        this.failure ??= e;
      });
  }

  private throwFailure() {
    if (this.failure !== undefined) throw this.failure;
  }
}
