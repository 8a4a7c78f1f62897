import { CacheService } from '@backstage/backend-plugin-api';
import { createHash } from 'crypto';

/** What a delivery was recognised by when it was seen before. */
export type ReplayOf = 'delivery' | 'payload';

/** Remembers webhook deliveries, so that a replayed delivery is refused. */
export interface DeliveryLog {
  /**
   * Records a delivery by its id and by the digest of its signed body; returns
   * what it was seen by before (a replay), or undefined when it is new. A captured
   * signed body sent again under a new X-GitHub-Delivery id is a replay of its payload.
   */
  claim(id: string, body: Buffer): Promise<ReplayOf | undefined>;
}

/** How long a delivery is remembered (GitHub redelivers for up to three days). */
const TTL_MS = 3 * 24 * 60 * 60 * 1000;
/** Keys kept in memory (two per delivery: its id and its payload's digest). */
const MAX_IN_MEMORY = 100_000;

/** The sha256 of a delivery's raw body, hex. */
export function payloadDigest(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Delivery ids and payload digests in memory (exact within this process, at most
 * MAX_IN_MEMORY keys, each for TTL_MS) and, when given, in the Backstage cache
 * service (shared by replicas when it has a shared store such as Redis; the check
 * there is best effort, not atomic).
 */
export class WebhookDeliveryLog implements DeliveryLog {
  private readonly seen = new Map<string, number>();

  constructor(private readonly cache?: CacheService) {}

  async claim(id: string, body: Buffer): Promise<ReplayOf | undefined> {
    const keys: Array<[ReplayOf, string]> = [
      ['delivery', `github-delivery:${id}`],
      ['payload', `github-payload:${payloadDigest(body)}`],
    ];
    const now = Date.now();
    this.expire(now);
    const local = keys.find(([, key]) => this.seen.has(key));
    if (local) return local[0];
    for (const [, key] of keys) this.seen.set(key, now + TTL_MS);
    if (!this.cache) return undefined;
    try {
      for (const [what, key] of keys) {
        if (await this.cache.get(key)) return what;
      }
      await Promise.all(keys.map(([, key]) => this.cache!.set(key, true, { ttl: TTL_MS })));
    } catch {
      // the in-memory record still guards this replica
    }
    return undefined;
  }

  private expire(now: number) {
    for (const [key, until] of this.seen) {
      if (until > now && this.seen.size <= MAX_IN_MEMORY - 2) break;
      this.seen.delete(key);
    }
  }
}
