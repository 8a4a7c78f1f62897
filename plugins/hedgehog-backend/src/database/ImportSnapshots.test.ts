import { ImportSnapshots, ImportedRow } from './ImportSnapshots';

const rows = (n: number, prefix = 'vpc') =>
  new Map<string, ImportedRow>(
    Array.from({ length: n }, (_, i) => [
      JSON.stringify(['VPC', `${prefix}-${i}`]),
      { blob: `${i}`.padStart(40, '0'), gitPath: `managed/vpcs/${prefix}-${i}.yaml`, findings: '[]' },
    ]),
  );

describe('ImportSnapshots', () => {
  it('answers only for the generation it was taken at', () => {
    const snapshots = new ImportSnapshots();
    const taken = rows(3);
    snapshots.set('env-1', 4, taken);
    expect(snapshots.get('env-1', 4)).toBe(taken);
    expect(snapshots.get('env-1', 5)).toBeUndefined();
    expect(snapshots.get('env-1', 3)).toBeUndefined();
    expect(snapshots.get('env-2', 4)).toBeUndefined();
  });

  it('replaces and forgets a fabric, counting rows', () => {
    const snapshots = new ImportSnapshots();
    snapshots.set('env-1', 1, rows(3));
    snapshots.set('env-1', 2, rows(5));
    expect(snapshots.size).toBe(5);
    expect(snapshots.get('env-1', 1)).toBeUndefined();
    snapshots.forget('env-1');
    expect(snapshots.size).toBe(0);
    expect(snapshots.get('env-1', 2)).toBeUndefined();
  });

  it('forgets the fabric imported longest ago when over its bound', () => {
    const snapshots = new ImportSnapshots(10);
    snapshots.set('a', 1, rows(4, 'a'));
    snapshots.set('b', 1, rows(4, 'b'));
    snapshots.set('a', 2, rows(4, 'a')); // a is now the newest
    snapshots.set('c', 1, rows(4, 'c'));
    expect(snapshots.get('b', 1)).toBeUndefined();
    expect(snapshots.get('a', 2)?.size).toBe(4);
    expect(snapshots.get('c', 1)?.size).toBe(4);
    expect(snapshots.size).toBe(8);
  });

  it('does not keep a fabric larger than its bound', () => {
    const snapshots = new ImportSnapshots(10);
    snapshots.set('a', 1, rows(4));
    snapshots.set('big', 1, rows(11));
    expect(snapshots.get('big', 1)).toBeUndefined();
    expect(snapshots.get('a', 1)?.size).toBe(4);
    expect(snapshots.size).toBe(4);
  });
});
