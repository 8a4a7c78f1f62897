import { CONFLICTING_PRUNE_CONFIRMATIONS, MAX_COALESCED, joinRequest, mergeOptions } from './rows';

describe('joinRequest', () => {
  it('appends the request with its time, and the requester only when known', () => {
    const at = Date.parse('2026-11-23T10:00:00Z');
    const once = joinRequest([], { trigger: 'schedule' }, at);
    expect(once).toEqual([{ trigger: 'schedule', at: '2026-11-23T10:00:00.000Z' }]);
    expect(joinRequest(once, { trigger: 'api', requestedBy: 'user:default/jdoe' }, at + 1000)).toEqual([
      { trigger: 'schedule', at: '2026-11-23T10:00:00.000Z' },
      { trigger: 'api', requestedBy: 'user:default/jdoe', at: '2026-11-23T10:00:01.000Z' },
    ]);
  });

  it(`keeps the last ${MAX_COALESCED} requests of a burst`, () => {
    let joined = joinRequest([], { trigger: 'webhook' }, 0);
    for (let i = 1; i <= MAX_COALESCED + 20; i++) joined = joinRequest(joined, { trigger: 'api', requestedBy: `user:default/u${i}` }, i);
    expect(joined).toHaveLength(MAX_COALESCED);
    expect(joined[joined.length - 1].requestedBy).toBe(`user:default/u${MAX_COALESCED + 20}`);
    expect(joined.some(r => r.trigger === 'webhook')).toBe(false);
  });
});

describe('mergeOptions', () => {
  it('keeps a prune confirmation only while the joined requests agree on the count', () => {
    expect(mergeOptions({}, { confirmPrune: 4 }).confirmPrune).toBe(4);
    expect(mergeOptions({ confirmPrune: 4 }, {}).confirmPrune).toBe(4);
    expect(mergeOptions({ confirmPrune: 4 }, { confirmPrune: 4 }).confirmPrune).toBe(4);
    expect(mergeOptions({ confirmPrune: 4 }, { confirmPrune: 5 }).confirmPrune).toBe(CONFLICTING_PRUNE_CONFIRMATIONS);
    // once two counts disagreed, a third request does not settle it
    const conflicting = mergeOptions({ confirmPrune: 4 }, { confirmPrune: 5 });
    expect(mergeOptions(conflicting, { confirmPrune: 5 }).confirmPrune).toBe(CONFLICTING_PRUNE_CONFIRMATIONS);
    expect('confirmPrune' in mergeOptions({ dryRun: true }, { dryRun: false })).toBe(false);
  });
});
