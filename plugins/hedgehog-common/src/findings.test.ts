import { countFindings, findingWeight, shownOf, withBlocksApply } from './findings';

describe('finding totals', () => {
  it('counts a summary finding as the findings it says were left out', () => {
    expect(findingWeight({})).toBe(1);
    expect(findingWeight({ leftOut: 40 })).toBe(40);
    // nonsense never lowers a count
    expect(findingWeight({ leftOut: -3 })).toBe(1);
    expect(findingWeight({ leftOut: Number.NaN })).toBe(1);
    expect(
      countFindings([
        { severity: 'error' },
        { severity: 'error', leftOut: 49 },
        { severity: 'warning' },
        { severity: 'warning', leftOut: 2 },
      ]),
    ).toEqual({ errors: 50, warnings: 3 });
  });

  it('says how much of a list is shown, only when it is cut', () => {
    expect(shownOf(200, 1907, 'errors')).toBe('showing 200 of 1,907 errors');
    expect(shownOf(12, 12)).toBe('');
  });
});

describe('withBlocksApply', () => {
  const base = { file: 'managed/x.yaml', path: 'spec', message: 'm' };
  it('fills blocksApply from the severity and the rule: errors and hydration warnings block, other warnings not', () => {
    expect(withBlocksApply({ ...base, severity: 'error', rule: 'vpc.subnet-vlan' }).blocksApply).toBe(true);
    expect(withBlocksApply({ ...base, severity: 'warning', rule: 'hydration.switch' }).blocksApply).toBe(true);
    expect(withBlocksApply({ ...base, severity: 'warning', rule: 'deprecated.mclag' }).blocksApply).toBe(false);
  });
  it('keeps a value already there', () => {
    const f = { ...base, severity: 'warning' as const, rule: 'hydration.switch', blocksApply: false };
    expect(withBlocksApply(f)).toBe(f);
  });
});
