import { CurrentFinding, StateFinding, diffFindings, findingKey } from './findingHistory';

const f = (over: Partial<StateFinding> = {}): StateFinding => ({
  severity: 'error',
  rule: 'schema.type',
  file: 'raw/vpcs.yaml',
  document: 1,
  path: 'spec.subnets.default.vlan',
  message: 'must be an integer',
  ...over,
});

let nextId = 1;
const row = (finding: StateFinding, firstSeen = 3): CurrentFinding => ({ ...finding, id: nextId++, firstSeen });

describe('diffFindings', () => {
  it('keeps the rows of unchanged findings and writes nothing for them', () => {
    const a = row(f());
    const b = row(f({ rule: 'schema.enum', path: 'spec.mode', message: 'unknown mode' }));
    expect(diffFindings([a, b], [f({ rule: 'schema.enum', path: 'spec.mode', message: 'unknown mode' }), f()], 4)).toEqual({
      close: [],
      open: [],
      kept: 2,
    });
  });

  it('opens a finding not there before as new and closes one that is gone', () => {
    const old = row(f({ message: 'old' }));
    const changes = diffFindings([old], [f({ message: 'introduced' })], 4);
    expect(changes.close).toEqual([old.id]);
    expect(changes.open).toEqual([{ finding: f({ message: 'introduced' }), firstSeen: 4 }]);
  });

  it('keeps the age of a finding that moved to another document, changed severity or resource', () => {
    const old = row(f({ document: 1 }), 2);
    for (const moved of [f({ document: 5 }), f({ severity: 'warning' }), f({ resource: { kind: 'VPC', name: 'vpc-1' } })]) {
      const changes = diffFindings([old], [moved], 4);
      expect(changes.close).toEqual([old.id]);
      expect(changes.open).toEqual([{ finding: moved, firstSeen: 2 }]);
    }
  });

  it('counts duplicates one by one: a second copy of a finding is new', () => {
    const old = row(f(), 2);
    const changes = diffFindings([old], [f(), f({ document: 7 })], 4);
    expect(changes.kept).toBe(1);
    expect(changes.close).toEqual([]);
    expect(changes.open).toEqual([{ finding: f({ document: 7 }), firstSeen: 4 }]);
  });

  it('identifies a summary of left-out findings by rule, file and document, whatever its count', () => {
    const summary = (n: number) => f({ message: `${n} more findings of rule schema.type in this document were left out`, path: '', leftOut: n });
    const old = row(summary(12), 2);
    const changes = diffFindings([old], [summary(13)], 4);
    expect(changes.open).toEqual([{ finding: summary(13), firstSeen: 2 }]);
    expect(findingKey(summary(12))).toBe(findingKey(summary(13)));
    expect(findingKey(summary(12))).not.toBe(findingKey({ ...summary(12), document: 2 }));
  });

  it('marks nothing new when the previous import\'s findings were never recorded', () => {
    expect(diffFindings([], [f()], 4, false).open).toEqual([{ finding: f(), firstSeen: 3 }]);
  });
});
