/**
 * The slots of one backend replica: at most `limit` fabrics drain their runs at
 * once (each drain runs one run at a time), so the memory and event-loop time
 * of runs stay bounded however many fabrics are due together. A fabric that
 * finds every slot taken waits here, in memory only (its run stays queued in
 * the database); when a slot frees, the oldest waiting fabric takes it. When
 * none waits, the slot goes to a queued fabric of the last `resumeQueued` list
 * (`nextKnown`): runs another replica left queued while its own slots were busy.
 */
export class RunSlots {
  private readonly running = new Set<string>();
  /** Fabrics waiting for a slot, oldest first (a Map keeps insertion order), with what starts them. */
  private readonly waiting = new Map<string, () => void>();
  private known: string[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new TypeError(
        `maxConcurrentRuns must be an integer of at least 1, not ${limit}`,
      );
  }

  /** How many slots are free. */
  get free(): number {
    return Math.max(0, this.limit - this.running.size);
  }

  /** Whether the fabric holds a slot (rather than waiting for one). */
  holds(fabric: string): boolean {
    return this.running.has(fabric);
  }

  /** Calls `start` at once if a slot is free (the fabric takes it); else when one frees. */
  acquire(fabric: string, start: () => void): void {
    if (this.running.size < this.limit) {
      this.running.add(fabric);
      start();
    } else {
      this.waiting.set(fabric, start);
    }
  }

  /** Frees the fabric's slot and hands it to the oldest waiting fabric, if any. */
  release(fabric: string): void {
    this.running.delete(fabric);
    for (const [next, start] of this.waiting) {
      if (this.running.size >= this.limit) return;
      this.waiting.delete(next);
      this.running.add(next);
      start();
    }
  }

  /** Starts every waiting fabric at once, slots or not (on shutdown: their drains end at once). */
  flush(): void {
    const all = [...this.waiting];
    this.waiting.clear();
    for (const [fabric, start] of all) {
      this.running.add(fabric);
      start();
    }
  }

  /**
   * The queued fabrics of the last `resumeQueued`, offered when a slot frees and none waits,
   * starting at `from` (by default a random place: replicas that see the same queue then start
   * on different fabrics instead of racing for the same locks in the same order).
   */
  remember(queued: string[], from = Math.floor(Math.random() * queued.length)): void {
    this.known = [...queued.slice(from), ...queued.slice(0, from)];
  }

  /** The next remembered queued fabric (taken off the list), while a slot is free and none waits. */
  nextKnown(): string | undefined {
    if (this.free === 0 || this.waiting.size > 0) return undefined;
    return this.known.shift();
  }
}
