import { LiveReads } from './LiveReads';

/** A clock the test moves. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('LiveReads', () => {
  it('reuses an answer per key for cacheMs, and shares a read under way', async () => {
    const c = clock();
    const reads = new LiveReads({ cacheMs: 30_000, burst: 5, perMinute: 5 }, c.now);
    let calls = 0;
    let release!: () => void;
    const slow = () =>
      new Promise<number>(resolve => {
        calls++;
        release = () => resolve(calls);
      });
    const concurrent = [reads.read('pulls:a', slow), reads.read('pulls:a', slow), reads.read('pulls:a', slow)];
    release();
    expect(await Promise.all(concurrent)).toEqual([1, 1, 1]);
    c.advance(29_999);
    expect(await reads.read('pulls:a', async () => ++calls)).toBe(1);
    // another key is read on its own
    expect(await reads.read('pulls:b', async () => ++calls)).toBe(2);
    c.advance(1);
    expect(await reads.read('pulls:a', async () => ++calls)).toBe(3);
    expect(calls).toBe(3);
  });

  it('does not keep failures, and forgets answers by key prefix', async () => {
    const c = clock();
    const reads = new LiveReads({ cacheMs: 30_000, burst: 5, perMinute: 5 }, c.now);
    await expect(reads.read('cluster:x', async () => Promise.reject(new Error('unreachable')))).rejects.toThrow('unreachable');
    expect(await reads.read('cluster:x', async () => 'up')).toBe('up');
    expect(await reads.read('pulls:x:r1', async () => 'old')).toBe('old');
    reads.forget('pulls:x:');
    expect(await reads.read('pulls:x:r1', async () => 'new')).toBe('new');
    expect(await reads.read('cluster:x', async () => 'down')).toBe('up');
  });

  it('gives each user a bucket of calls and says when to retry', () => {
    const c = clock();
    const reads = new LiveReads({ cacheMs: 30_000, burst: 3, perMinute: 6 }, c.now);
    expect([reads.admit('user:a'), reads.admit('user:a'), reads.admit('user:a')]).toEqual([undefined, undefined, undefined]);
    // empty: one call per 10 s comes back
    expect(reads.admit('user:a')).toBe(10);
    // another user is not affected
    expect(reads.admit('user:b')).toBeUndefined();
    c.advance(4_000);
    expect(reads.admit('user:a')).toBe(6);
    c.advance(6_001);
    expect(reads.admit('user:a')).toBeUndefined();
    expect(reads.admit('user:a')).toBe(10);
    // after a long pause the bucket is full again, never more
    c.advance(10 * 60_000);
    expect([1, 2, 3, 4].map(() => reads.admit('user:a'))).toEqual([undefined, undefined, undefined, 10]);
  });
});
