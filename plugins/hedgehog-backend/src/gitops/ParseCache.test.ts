import { ParseCache, estimatedBytes } from './ParseCache';
import { ParsedFile } from './parse';

const file = (reason: string): ParsedFile => ({ ok: false, reason });
const text = (t: string): ParsedFile => ({ ok: true, documents: [], text: t });

describe('ParseCache', () => {
  it('returns what was stored under a blob id', () => {
    const cache = new ParseCache();
    const parsed: ParsedFile = { ok: true, documents: [], text: '' };
    cache.set('abc', parsed);
    expect(cache.get('abc')).toBe(parsed);
    expect(cache.get('def')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('replaces an entry stored again, counting its bytes once', () => {
    const cache = new ParseCache();
    cache.set('a', text('x'.repeat(100)));
    cache.set('a', text('y'.repeat(10)));
    expect(cache.get('a')).toEqual(text('y'.repeat(10)));
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(estimatedBytes(text('y'.repeat(10))));
  });

  it('estimates an entry by the length of its text', () => {
    expect(estimatedBytes(text('x'.repeat(1000)))).toBeGreaterThan(estimatedBytes(text('x'.repeat(100))));
    expect(estimatedBytes(text('x'.repeat(1000)))).toBeGreaterThanOrEqual(4000);
  });

  it('drops the least recently used entries past its byte bound, keeping a quarter spare', () => {
    const one = estimatedBytes(text('x'.repeat(1000)));
    const cache = new ParseCache({ maxBytes: 4 * one });
    for (const id of ['a', 'b', 'c', 'd']) cache.set(id, text('x'.repeat(1000)));
    expect(cache.size).toBe(4);
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('e', text('x'.repeat(1000))); // 5 > 4: down to 3 (≤ 3/4 of the bound)
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBeLessThanOrEqual(3 * one);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('d')).toBeDefined();
    expect(cache.get('e')).toBeDefined();
  });

  it('is bounded by bytes whatever the number of entries', () => {
    const cache = new ParseCache({ maxBytes: 1_000_000 });
    for (let i = 0; i < 1000; i++) cache.set(`big${i}`, text('x'.repeat(10_000)));
    expect(cache.bytes).toBeLessThanOrEqual(1_000_000);
    expect(cache.size).toBeLessThan(30);
    expect(cache.get('big999')).toBeDefined();
  });

  it('is bounded by the number of entries too', () => {
    const cache = new ParseCache({ maxEntries: 4 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) cache.set(id, file(id));
    expect(cache.size).toBe(3);
    expect(cache.get('e')).toEqual(file('e'));
    expect(cache.get('a')).toBeUndefined();
  });

  it('counts a set of an existing id as a use', () => {
    const cache = new ParseCache({ maxEntries: 3 });
    cache.set('a', file('a'));
    cache.set('b', file('b'));
    cache.set('c', file('c'));
    cache.set('a', file('a2'));
    cache.set('d', file('d')); // 4 > 3: the two oldest uses (b, c) go
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')).toEqual(file('a2'));
    expect(cache.get('d')).toEqual(file('d'));
  });

  it('forgets an entry on delete, with its bytes', () => {
    const cache = new ParseCache();
    cache.set('a', text('x'.repeat(100)));
    cache.set('b', text('y'));
    cache.delete('a');
    cache.delete('missing');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(estimatedBytes(text('y')));
  });
});
