import { RunError, RunStage, StageStatus } from '@fabric-gitops/plugin-hedgehog-common';
import { HedgehogStore } from '../database/HedgehogStore';

/** What a stage reports when it ends. */
export interface StageOutcome {
  status?: StageStatus;
  counts?: Record<string, number>;
  errors?: RunError[];
  message?: string;
}

/** Thrown by a stage to end the run early without an error. */
export class StopRun {
  constructor(readonly reason: string) {}
}

/**
 * Records the stages of a run in the database as they start and end, so the run
 * can be followed while it is active.
 */
export class RunRecorder {
  readonly stages: RunStage[] = [];

  constructor(
    private readonly store: HedgehogStore,
    readonly runId: string,
  ) {}

  /** Runs one stage; its outcome (or its error) is recorded. */
  async stage(name: string, fn: () => Promise<StageOutcome>): Promise<StageOutcome> {
    const record: RunStage = {
      name,
      status: 'running',
      startedAt: new Date().toISOString(),
      counts: {},
      errors: [],
    };
    this.stages.push(record);
    await this.save();
    try {
      const outcome = await fn();
      record.status = outcome.status ?? (outcome.errors?.length ? 'partial' : 'succeeded');
      record.counts = outcome.counts ?? {};
      record.errors = outcome.errors ?? [];
      if (outcome.message) record.message = outcome.message;
      return outcome;
    } catch (e) {
      if (e instanceof StopRun) {
        record.status = 'succeeded';
        record.message = e.reason;
      } else {
        record.status = 'failed';
        record.errors = [{ message: e instanceof Error ? e.message : String(e) }];
      }
      throw e;
    } finally {
      record.finishedAt = new Date().toISOString();
      await this.save();
    }
  }

  /** Records stages that did not run. */
  async skip(names: readonly string[], reason: string) {
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
    }
    await this.save();
  }

  private save() {
    return this.store.updateRun(this.runId, { stages: this.stages });
  }
}
