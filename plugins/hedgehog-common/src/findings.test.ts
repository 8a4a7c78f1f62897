import { countFindings, findingWeight, shownOf } from './findings';

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
