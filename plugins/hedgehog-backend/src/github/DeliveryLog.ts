import { CacheService } from '@backstage/backend-plugin-api';

/** Remembers webhook delivery ids, so that a replayed delivery is refused. */
export interface DeliveryLog {
  /** Records a delivery id; false when it was recorded before (a replay). */
  claim(id: string): Promise<boolean>;
}

/** How long a delivery id is remembered (GitHub redelivers for up to three days). */
const TTL_MS = 3 * 24 * 60 * 60 * 1000;
const MAX_IN_MEMORY = 50_000;

/**
 * Delivery ids in memory (exact within this process) and, when given, in the
 * Backstage cache service (shared by replicas when it has a shared store such
 * as Redis; the check there is best effort, not atomic).
 */
export class WebhookDeliveryLog implements DeliveryLog {
  private readonly seen = new Map<string, number>();

  constructor(private readonly cache?: CacheService) {}

  async claim(id: string): Promise<boolean> {
    const now = Date.now();
    this.expire(now);
    if (this.seen.has(id)) return false;
    this.seen.set(id, now + TTL_MS);
    if (this.cache) {
      const key = `github-delivery:${id}`;
      try {
        if (await this.cache.get(key)) return false;
        await this.cache.set(key, true, { ttl: TTL_MS });
      } catch {
        // the in-memory record still guards this replica
      }
    }
    return true;
  }

  private expire(now: number) {
    for (const [id, until] of this.seen) {
      if (until > now && this.seen.size <= MAX_IN_MEMORY) break;
      this.seen.delete(id);
    }
  }
}
