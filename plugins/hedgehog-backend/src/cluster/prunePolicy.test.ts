import { decidePrune } from './prunePolicy';

describe('decidePrune', () => {
  const base = { fabric: 'lab', owned: 50, limit: 0.1 };

  it('allows a prune up to the limit without a confirmation', () => {
    expect(decidePrune({ ...base, count: 0 })).toEqual({ allowed: true, confirmationRequired: false });
    expect(decidePrune({ ...base, count: 5 })).toEqual({ allowed: true, confirmationRequired: false });
  });

  it('holds a larger prune until it is confirmed with its count, saying how', () => {
    const held = decidePrune({ ...base, count: 6 });
    expect(held).toMatchObject({ allowed: false, confirmationRequired: true });
    expect(held.reason).toBe(
      '6 of the fabric\'s 50 object(s) in the cluster would be pruned (12%), more than its limit of 10% (pruneLimit); nothing was pruned: check the list (an apply with {"dryRun": true} shows it), then confirm with POST /api/hedgehog/fabrics/lab/apply {"confirmPrune": 6}',
    );
    expect(decidePrune({ ...base, count: 6, confirm: 6 })).toEqual({ allowed: true, confirmationRequired: true });
  });

  it('allows nothing when the confirmation names another count, also below the limit', () => {
    const stale = decidePrune({ ...base, count: 7, confirm: 6 });
    expect(stale).toMatchObject({ allowed: false, confirmationRequired: true });
    expect(stale.reason).toMatch(/^the prune was confirmed for 6 object\(s\), but 7 would be deleted now; nothing was pruned: .*"confirmPrune": 7/);
    expect(decidePrune({ ...base, count: 2, confirm: 3 })).toMatchObject({ allowed: false, confirmationRequired: false });
    expect(decidePrune({ ...base, count: 2, confirm: -1 }).reason).toMatch(/^requests that joined this run confirmed different counts/);
  });

  it('with limit 0 every prune needs a confirmation; with limit 1 none does', () => {
    expect(decidePrune({ ...base, limit: 0, count: 1 })).toMatchObject({ allowed: false, confirmationRequired: true });
    expect(decidePrune({ ...base, limit: 1, count: 50 })).toEqual({ allowed: true, confirmationRequired: false });
  });
});
