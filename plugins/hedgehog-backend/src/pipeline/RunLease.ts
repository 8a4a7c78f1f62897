/** A run stopped because its replica no longer holds the fabric's lock. */
export class LockLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockLostError';
  }
}

/**
 * A replica's hold on a fabric's run lock, as the replica knows it: renewed by the
 * coordinator's heartbeat, lost when a renewal finds the lock taken by another
 * replica, or when no renewal succeeded for the lock's time to live (from the
 * start of the last renewal that did: the lock in the database lasts at least
 * that long, so another replica cannot have taken it earlier).
 *
 * The run asks before each write (`throwIfLost`: each stage's start, the push,
 * the import, each level of an apply and of a prune). It reads the clock rather than waiting for a timer to notice:
 * a replica that stalled (a long GC pause, a frozen VM) runs its next statement
 * before any timer, and by then its lock may be another replica's.
 */
export class RunLease {
  private renewedAt: number;
  private lostBecause?: string;

  constructor(
    readonly fabric: string,
    /** The lock owner of this replica (hedgehog_fabrics.lock_owner). */
    readonly owner: string,
    private readonly ttlMs: number,
    /** When the renewal that took the lock started. */
    takenAt: number,
  ) {
    this.renewedAt = takenAt;
  }

  /**
   * A renewal that started at `startedAt` found the lock this replica's. One that
   * started a time to live or more after the last does not continue the hold: the
   * lock had expired in between (the replica stalled), another replica may have
   * taken it, run and released it, and this renewal then took the free lock anew.
   * The run of the old hold must stop all the same.
   */
  renewed(startedAt: number) {
    if (this.lostBecause !== undefined) return;
    const gap = startedAt - this.renewedAt;
    if (gap >= this.ttlMs) {
      this.lostBecause = `it was not renewed for ${seconds(gap)}, longer than its time to live (${seconds(this.ttlMs)}); another replica may have held it meanwhile`;
      return;
    }
    this.renewedAt = Math.max(this.renewedAt, startedAt);
  }

  /** The lock is no longer this replica's (a renewal found another owner). */
  lose(reason: string) {
    this.lostBecause ??= reason;
  }

  /** Why the lock is lost; undefined while it is held. */
  get lost(): string | undefined {
    const age = Date.now() - this.renewedAt;
    if (this.lostBecause === undefined && age >= this.ttlMs) {
      this.lostBecause = `it was not renewed for ${seconds(age)}, longer than its time to live (${seconds(this.ttlMs)})`;
    }
    return this.lostBecause;
  }

  /** Throws a LockLostError naming what the run stops before, once the lock is lost. */
  throwIfLost(before: string) {
    const reason = this.lost;
    if (reason === undefined) return;
    throw new LockLostError(
      `the run lost the lock of fabric ${this.fabric} (${reason}) and stopped before ${before}: it writes nothing more to Git, the cluster or the fabric's state, and a run of another backend replica may have taken over`,
    );
  }
}

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)} s`;
}
