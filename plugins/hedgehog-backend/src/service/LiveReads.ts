/** Limits of the read routes that call GitHub or a cluster (`hedgehog.liveReads`). */
export interface LiveReadLimits {
  /** How long an answer is reused for the same fabric, in ms (0: not cached). */
  cacheMs: number;
  /** Calls one user may make at once (the bucket's size). */
  burst: number;
  /** Calls one user may make per minute after the burst (the bucket's refill). */
  perMinute: number;
}

export const DEFAULT_LIVE_READ_LIMITS: LiveReadLimits = { cacheMs: 30_000, burst: 20, perMinute: 30 };

/** Users whose bucket is kept; beyond it, those seen least recently are forgotten. */
const MAX_USERS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * What bounds the outbound requests of the read routes that ask GitHub or a
 * cluster (`GET /fabrics/:fabric/pulls`, `GET /fabrics/:fabric/cluster`): each
 * answer is reused per key (fabric and route) for `cacheMs`, and calls made while
 * one is under way wait for it, so any number of readers cause at most one
 * outbound read per key per `cacheMs`; and each user has a token bucket of calls
 * (`burst`, refilled at `perMinute`). Failures are not reused (the next call tries
 * again), but calls made while one is under way share it. Per backend process.
 */
export class LiveReads {
  private readonly answers = new Map<string, { until: number; value: Promise<unknown> }>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: LiveReadLimits = DEFAULT_LIVE_READ_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes one call from the user's bucket: undefined when the call may go ahead,
   * else the seconds until it may (for Retry-After).
   */
  admit(user: string): number | undefined {
    const { burst, perMinute } = this.limits;
    const now = this.now();
    const perMs = perMinute / 60_000;
    const bucket = this.buckets.get(user) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.delete(user);
    this.buckets.set(user, bucket);
    // the least recently seen users go first (they start again with a full bucket)
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= MAX_USERS) break;
      this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return perMs > 0 ? Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) : 60;
  }

  /** The answer of `read` for `key`, reused for `cacheMs`; calls during a read share it. */
  read<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const known = this.answers.get(key);
    if (known && known.until > now) return known.value as Promise<T>;
    const value = read();
    // until it settles, later calls share it; then it is kept for cacheMs (failures are not)
    const entry = { until: Infinity, value };
    this.answers.set(key, entry);
    value.then(
      () => {
        if (this.answers.get(key) === entry) entry.until = this.now() + this.limits.cacheMs;
      },
      () => {
        if (this.answers.get(key) === entry) this.answers.delete(key);
      },
    );
    this.expire(now);
    return value;
  }

  /** Forgets the answers whose key starts with `prefix` (e.g. the plugin just changed what they read). */
  forget(prefix: string) {
    for (const key of this.answers.keys()) {
      if (key.startsWith(prefix)) this.answers.delete(key);
    }
  }

  private expire(now: number) {
    for (const [key, entry] of this.answers) {
      if (entry.until <= now) this.answers.delete(key);
    }
  }
}
