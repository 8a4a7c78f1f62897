import { overlaps, parseCIDR } from './ipam';
import { findOverlaps, overlapsOf } from './overlaps';

const items = (cidrs: string[]) => cidrs.map((s, i) => ({ prefix: parseCIDR(s)!, item: i }));

/** Random prefixes in a small space (many nest, many are equal), with a group each. */
function randomItems(n: number, seed: number) {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => {
    const bits = 20 + Math.floor(next() * 8);
    const addr = (10 * 2 ** 24) + Math.floor(next() * 2 ** 12) * 2 ** 8;
    return { prefix: parseCIDR(`${[24, 16, 8, 0].map(s => Math.floor(addr / 2 ** s) % 256).join('.')}/${bits}`)!, item: { i, group: Math.floor(next() * 5) } };
  });
}

describe('overlapping prefixes', () => {
  it('finds every overlapping pair once, in input order, with their number', () => {
    const list = items(['10.0.0.0/8', '10.1.0.0/16', '192.168.0.0/24', '10.1.2.0/24', '192.168.1.0/24', '10.1.0.0/16']);
    const { pairs, total } = findOverlaps(list, 100);
    expect(total).toBe(6);
    expect(pairs.sort()).toEqual([
      [0, 1],
      [0, 3],
      [0, 5],
      [1, 3],
      [1, 5],
      [3, 5],
    ]);
    expect(findOverlaps([], 10)).toEqual({ pairs: [], total: 0 });
  });

  it('counts what it does not list, and agrees with comparing every pair', () => {
    for (const seed of [1, 2, 3]) {
      const list = randomItems(300, seed);
      const brute = new Map<number, { all: Set<number>; other: Set<number> }>();
      let pairs = 0;
      list.forEach((a, i) => {
        const mine = { all: new Set<number>(), other: new Set<number>() };
        list.forEach((b, j) => {
          if (i === j || !overlaps(a.prefix, b.prefix)) return;
          mine.all.add(j);
          if (a.item.group !== b.item.group) mine.other.add(j);
          if (j < i) pairs++;
        });
        brute.set(i, mine);
      });
      const found = findOverlaps(list, 40);
      expect(found.total).toBe(pairs);
      expect(found.pairs).toHaveLength(Math.min(40, pairs));
      for (const [a, b] of found.pairs) {
        expect(a.i).toBeLessThan(b.i);
        expect(brute.get(b.i)!.all.has(a.i)).toBe(true);
      }
      expect(new Set(found.pairs.map(([a, b]) => `${a.i}/${b.i}`)).size).toBe(found.pairs.length);

      const byItem = overlapsOf(list, 5, item => item.group);
      const expected = [...brute].filter(([, m]) => m.other.size > 0);
      expect(byItem.map(o => o.item.i)).toEqual(expected.map(([i]) => i));
      for (const o of byItem) {
        const mine = brute.get(o.item.i)!;
        expect(o.count).toBe(mine.other.size);
        expect(o.others.length).toBeLessThanOrEqual(5);
        expect(o.others.length).toBeGreaterThan(0);
        for (const other of o.others) expect(mine.other.has(other.i)).toBe(true);
      }
    }
  });

  it('stays linear when every prefix overlaps every other: 50,000 equal subnets', () => {
    const list = items(Array.from({ length: 50_000 }, () => '10.0.0.0/24'));
    // listing the 1.25e9 pairs would take minutes and more memory than a backend has
    const { pairs, total } = findOverlaps(list, 50);
    const byItem = overlapsOf(list, 50, i => i % 2);
    expect(total).toBe((50_000 * 49_999) / 2);
    expect(pairs).toHaveLength(50);
    expect(byItem).toHaveLength(50_000);
    expect(byItem[0].count).toBe(25_000);
    expect(byItem[0].others).toHaveLength(50);
  });
});
