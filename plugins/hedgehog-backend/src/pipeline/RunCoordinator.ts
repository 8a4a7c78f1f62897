import { LoggerService } from '@backstage/backend-plugin-api';
import { RunTrigger, RunType } from '@fabric-gitops/plugin-hedgehog-common';
import { randomUUID } from 'crypto';
import { HedgehogStore, RunRecord } from '../database/HedgehogStore';
import { RunLease } from './RunLease';
import { RunSignals } from './RunSignals';
import { RunSlots } from './RunSlots';

export interface RunCoordinatorOptions {
  store: HedgehogStore;
  logger: LoggerService;
  /**
   * Carries out each claimed run and records its end (RunExecutor). The lease says
   * whether this replica still holds the fabric's lock: the run checks it before
   * each write and stops once it is lost.
   */
  executor: { execute(run: RunRecord, lease: RunLease): Promise<void> };
  /** How long a lock lives without renewal (a run that could not renew it for that long stops). */
  lockTtlMs?: number;
  /** How often a running run renews its lock and heartbeat (default: a quarter of the TTL). */
  heartbeatMs?: number;
  /** Where a queued run is announced (Backstage signals). */
  signals?: RunSignals;
  /**
   * How many fabrics this replica drains at once, each one run at a time
   * (`hedgehog.maxConcurrentRuns`, default 4). Further fabrics wait for a slot,
   * their runs queued in the database, where an idle replica may take them.
   */
  maxConcurrentRuns?: number;
}

/** Runs a replica executes at once when `hedgehog.maxConcurrentRuns` gives no other number. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 4;

/**
 * At most one run per fabric at a time across backend replicas: runs are queued in
 * the database (a second request while one is queued joins it), and the replica
 * that holds the fabric's lock drains the queue. Each replica drains at most
 * `maxConcurrentRuns` fabrics at once (RunSlots); the others wait for a slot of
 * this replica, or are taken by another replica's `resumeQueued`.
 */
export class RunCoordinator {
  private readonly owner = `${process.pid}-${randomUUID()}`;
  /** Fabrics draining or waiting for a slot: the promise ends with their drain. */
  private readonly draining = new Map<string, Promise<void>>();
  private readonly slots: RunSlots;
  private readonly lockTtlMs: number;
  private readonly heartbeatMs: number;
  private stopped = false;

  constructor(private readonly options: RunCoordinatorOptions) {
    this.lockTtlMs = options.lockTtlMs ?? 60_000;
    // Three renewals may fail (or come late) before the lock is lost.
    this.heartbeatMs = options.heartbeatMs ?? Math.max(100, Math.floor(this.lockTtlMs / 4));
    this.slots = new RunSlots(options.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS);
  }

  /** Queues a run (or joins the queued one) and starts draining in the background. */
  async request(run: {
    fabric: string;
    type: RunType;
    trigger: RunTrigger;
    requestedBy?: string;
    options?: Record<string, unknown>;
  }): Promise<{ runId: string; coalesced: boolean }> {
    const { id, coalesced } = await this.options.store.enqueueRun(run);
    if (!coalesced) this.options.signals?.publish({ type: 'run.queued', fabric: run.fabric, runId: id, runType: run.type });
    this.drain(run.fabric);
    return { runId: id, coalesced };
  }

  /**
   * Runs queued runs of a fabric while this replica holds its lock, once a slot
   * of this replica is free. Resolves when the drain ended; with `waitForSlot:
   * false`, at once when the fabric waits for a slot (its runs stay queued and
   * start when a slot of this or another replica frees). Failures are logged
   * here too, so a caller need not wait.
   */
  drain(fabric: string, { waitForSlot = true }: { waitForSlot?: boolean } = {}): Promise<void> {
    let drained = this.draining.get(fabric);
    if (!drained) {
      if (this.stopped) return Promise.resolve();
      drained = new Promise<void>(start => this.slots.acquire(fabric, start))
        .then(() => this.drainLoop(fabric))
        .finally(() => {
          this.draining.delete(fabric);
          this.slots.release(fabric);
          this.startKnown();
        });
      drained.catch(e => this.options.logger.error(`hedgehog: draining runs of ${fabric} failed: ${e}`));
      this.draining.set(fabric, drained);
    }
    return waitForSlot || this.slots.holds(fabric) ? drained : Promise.resolve();
  }

  /** How often `resumeQueued` should be called (the heartbeat interval). */
  get resumeIntervalMs(): number {
    return this.heartbeatMs;
  }

  /**
   * Starts queued runs that nobody drains. A request that finds the fabric's lock
   * taken leaves its run queued for the lock holder; when the holder's process
   * dies, that run would wait for the next trigger. Called every
   * `resumeIntervalMs` (scheduleFabrics) with the fabrics this replica knows:
   * once the dead holder's lock has expired, draining takes the lock, closes the
   * interrupted run (sweepStaleRuns) and starts the queued one. A lock held by a
   * live replica is left alone (tryLock fails). Only as many as slots are free:
   * the rest are remembered and started as slots free; so a replica with free
   * slots takes over runs a busy replica left queued. Returns the fabrics it drains.
   */
  async resumeQueued(fabrics: Iterable<string>): Promise<string[]> {
    const idle = [...fabrics].filter(f => !this.draining.has(f));
    const queued = idle.length > 0 ? await this.options.store.fabricsWithQueuedRuns(idle) : new Set<string>();
    this.slots.remember(idle.filter(f => queued.has(f)));
    return this.startKnown();
  }

  /** Drains remembered queued fabrics while slots are free and no fabric waits. */
  private startKnown(): string[] {
    const started: string[] = [];
    for (let f = this.slots.nextKnown(); f !== undefined && !this.stopped; f = this.slots.nextKnown()) {
      if (this.draining.has(f)) continue;
      started.push(f);
      this.drain(f);
    }
    return started;
  }

  /**
   * Stops taking new runs (on shutdown). Resolves once the runs under way have
   * ended (their git processes and writes are done), or after `waitMs`.
   */
  async stop(waitMs = 30_000): Promise<void> {
    this.stopped = true;
    // Waiting fabrics end their drain at once (drainLoop takes no run once stopped).
    this.slots.flush();
    const active = [...this.draining.values()];
    if (active.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>(resolve => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([Promise.allSettled(active), waited]);
    clearTimeout(timer);
  }

  /**
   * Closes runs whose process died. A live run renews its lock and heartbeat every
   * `heartbeatMs`, and its stage records move the heartbeat too; so once its
   * lock has expired (lockTtlMs after the last renewal) its heartbeat is older
   * than lockTtlMs - heartbeatMs. Sweeping at that age closes the run of a dead
   * lock holder before the replica that takes the lock over starts the next one,
   * so a fabric never shows two running runs.
   */
  async sweepStaleRuns(): Promise<number> {
    const n = await this.options.store.failStaleRuns(Date.now() - (this.lockTtlMs - this.heartbeatMs));
    if (n > 0) this.options.logger.warn(`hedgehog: closed ${n} interrupted run(s)`);
    return n;
  }

  private async drainLoop(fabric: string) {
    const { store, logger } = this.options;
    while (!this.stopped) {
      const takenAt = Date.now();
      if (!(await store.tryLock(fabric, this.owner, this.lockTtlMs))) return;
      const lease = new RunLease(fabric, this.owner, this.lockTtlMs, takenAt);
      try {
        await this.sweepStaleRuns();
        for (;;) {
          if (this.stopped) break;
          // Only while the lock is still this replica's (a run that lost it ends early).
          if (!(await this.renew(lease))) break;
          const run = await store.claimNextRun(fabric);
          if (!run) break;
          await this.runWithHeartbeat(fabric, run, lease);
        }
      } finally {
        await store.releaseLock(fabric, this.owner);
      }
      if (lease.lost !== undefined) {
        // Another replica holds the lock (or will take it): its runs go on from here.
        logger.warn(`hedgehog: this replica lost the lock of fabric ${fabric}: ${lease.lost}`);
        return;
      }
      // A request that arrived while the lock was held may have found it taken.
      if (!(await store.hasQueuedRuns(fabric))) return;
    }
  }

  /** Renews the fabric's lock; false (and the lease lost) when another replica holds it. */
  private async renew(lease: RunLease): Promise<boolean> {
    const startedAt = Date.now();
    if (await this.options.store.tryLock(lease.fabric, this.owner, this.lockTtlMs)) {
      lease.renewed(startedAt);
    } else {
      lease.lose('another backend replica holds it now');
    }
    return lease.lost === undefined;
  }

  private async runWithHeartbeat(fabric: string, run: RunRecord, lease: RunLease) {
    const { store, logger } = this.options;
    // A renewal that fails leaves the lease to expire by the clock (RunLease.lost).
    const timer = setInterval(() => {
      Promise.all([this.renew(lease), store.heartbeat(run.id)]).catch(e =>
        logger.warn(`hedgehog: heartbeat of run ${run.id} failed: ${e}`),
      );
    }, this.heartbeatMs);
    try {
      await this.options.executor.execute(run, lease);
    } catch (e) {
      logger.error(`hedgehog: run ${run.id} of ${fabric} failed unexpectedly: ${e}`);
      await store
        .updateRun(run.id, { status: 'failed', error: String(e), finishedAt: Date.now() })
        .catch(() => {});
      this.options.signals?.publish({ type: 'run.ended', fabric, runId: run.id, runType: run.type, status: 'failed' });
    } finally {
      clearInterval(timer);
    }
  }
}
