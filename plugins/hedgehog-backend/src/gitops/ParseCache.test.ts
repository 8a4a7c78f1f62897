import { ParseCache } from './ParseCache';
import { ParsedFile } from './parse';

const file = (reason: string): ParsedFile => ({ ok: false, reason });

describe('ParseCache', () => {
  it('returns what was stored under a blob id', () => {
    const cache = new ParseCache();
    const parsed: ParsedFile = { ok: true, documents: [], text: '' };
    cache.set('abc', parsed);
    expect(cache.get('abc')).toBe(parsed);
    expect(cache.get('def')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('replaces an entry stored again', () => {
    const cache = new ParseCache();
    cache.set('a', file('1'));
    cache.set('a', file('2'));
    expect(cache.get('a')).toEqual(file('2'));
    expect(cache.size).toBe(1);
  });

  it('drops the least recently used entries past its bound', () => {
    const cache = new ParseCache(2);
    cache.set('a', file('a'));
    cache.set('b', file('b'));
    expect(cache.get('a')).toEqual(file('a')); // a is now the most recently used
    cache.set('c', file('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(file('a'));
    expect(cache.get('c')).toEqual(file('c'));
  });

  it('counts a set of an existing id as a use', () => {
    const cache = new ParseCache(2);
    cache.set('a', file('a'));
    cache.set('b', file('b'));
    cache.set('a', file('a2'));
    cache.set('c', file('c'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(file('a2'));
  });
});
