import { CacheManager } from '@backstage/backend-defaults/cache';
import { ConfigReader } from '@backstage/config';
import { randomUUID } from 'crypto';
import { WebhookDeliveryLog, payloadDigest } from './DeliveryLog';

const body = (n: number) => Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: `${n}`.padStart(40, '0') }));

/** Backstage's cache service with its in-memory store, as replicas of one backend share it. */
function sharedCache() {
  const manager = CacheManager.fromConfig(new ConfigReader({ backend: { cache: { store: 'memory' } } }));
  return manager.forPlugin('hedgehog');
}

describe('WebhookDeliveryLog', () => {
  it('refuses a delivery id seen before and a signed body seen before under another id', async () => {
    const log = new WebhookDeliveryLog();
    const id = randomUUID();
    expect(await log.claim(id, body(1))).toBeUndefined();
    expect(await log.claim(id, body(1))).toBe('delivery');
    // the captured body re-sent under a new X-GitHub-Delivery id
    expect(await log.claim(randomUUID(), body(1))).toBe('payload');
    // the same id with another body is still the same delivery
    expect(await log.claim(id, body(2))).toBe('delivery');
    // another delivery, one byte apart, is new
    expect(await log.claim(randomUUID(), body(3))).toBeUndefined();
  });

  it('refuses replays across replicas that share the Backstage cache service', async () => {
    const cache = sharedCache();
    const a = new WebhookDeliveryLog(cache);
    const b = new WebhookDeliveryLog(cache);
    const id = randomUUID();
    expect(await a.claim(id, body(10))).toBeUndefined();
    expect(await b.claim(randomUUID(), body(10))).toBe('payload');
    expect(await b.claim(id, body(11))).toBe('delivery');
    expect(await b.claim(randomUUID(), body(12))).toBeUndefined();
    expect(await cache.get(`github-payload:${payloadDigest(body(10))}`)).toBe(true);
  });

  it('keeps a bounded number of deliveries in memory, the oldest leaving first', async () => {
    const log = new WebhookDeliveryLog();
    const first = randomUUID();
    await log.claim(first, body(0));
    for (let i = 1; i <= 50_000; i++) await log.claim(`d${i}`, body(i));
    // 100,000 keys at most: the first delivery's id and digest were dropped
    expect((log as any).seen.size).toBeLessThanOrEqual(100_000);
    expect(await log.claim(first, body(0))).toBeUndefined();
    expect(await log.claim('d50000', body(50_000))).toBe('delivery');
  });
});
