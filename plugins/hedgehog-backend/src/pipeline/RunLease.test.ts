import { LockLostError, RunLease } from './RunLease';

describe('RunLease', () => {
  let now = 1_000_000;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('is held for the TTL from the start of the last renewal that found the lock', () => {
    const lease = new RunLease('lab', 'me', 3000, now);
    now += 2999;
    expect(lease.lost).toBeUndefined();
    expect(() => lease.throwIfLost('the import stage')).not.toThrow();
    lease.renewed(now - 100);
    now += 2800;
    expect(lease.lost).toBeUndefined();
    // an older renewal that answered late does not move it back
    lease.renewed(now - 10_000);
    now += 100;
    expect(lease.lost).toMatch(/not renewed for 3\.0 s/);
  });

  it('is lost once no renewal succeeded for the TTL (a stalled replica), and stays lost', () => {
    const lease = new RunLease('lab', 'me', 3000, now);
    now += 4700;
    expect(() => lease.throwIfLost('the import stage')).toThrow(LockLostError);
    expect(() => lease.throwIfLost('the import stage')).toThrow(
      'the run lost the lock of fabric lab (it was not renewed for 4.7 s, longer than its time to live (3.0 s)) and stopped before the import stage',
    );
    // a renewal that gets the lock back afterwards does not make the run go on
    lease.renewed(now);
    expect(lease.lost).toMatch(/not renewed/);
  });

  it('is lost when the first renewal after a stall starts past the TTL, even if it takes the free lock again and nothing asked before', () => {
    const lease = new RunLease('lab', 'me', 3000, now);
    // stalled 4.1 s; meanwhile another replica took the expired lock, ran and released it;
    // the heartbeat's renewal, the first thing to run after the stall, takes the free lock
    now += 4100;
    lease.renewed(now);
    now += 10;
    expect(() => lease.throwIfLost('the ingest stage')).toThrow(
      /lost the lock of fabric lab \(it was not renewed for 4\.1 s, longer than its time to live \(3\.0 s\); another replica may have held it meanwhile\) and stopped before the ingest stage/,
    );
  });

  it('is lost when a renewal finds the lock taken, with that reason', () => {
    const lease = new RunLease('lab', 'me', 3000, now);
    lease.lose('another backend replica holds it now');
    lease.lose('a later reason');
    expect(() => lease.throwIfLost('the push')).toThrow(/\(another backend replica holds it now\) and stopped before the push/);
  });
});
