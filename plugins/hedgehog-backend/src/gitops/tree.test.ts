import { compareGitPaths } from './tree';

/** Git's order: the UTF-8 bytes of the full paths. */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareGitPaths', () => {
  const paths = [
    'managed/vpcs/a.yaml',
    'managed/vpcs/a.yaml.bak',
    'managed/vpcs/a',
    'managed/vpcs-old/a.yaml',
    'managed/vpcs/Z.yaml',
    'raw/é.yaml',
    'raw/z.yaml',
    'raw/\uE000.yaml',
    'raw/\u{1F600}.yaml',
    'raw/\uFFFD.yaml',
    'raw/\u{1F600}\u{1F601}.yaml',
    'raw/',
    '',
  ];

  it('orders paths as their UTF-8 bytes, also past the surrogate range where UTF-16 order differs', () => {
    // UTF-16 puts the emoji (a surrogate pair) before U+E000; UTF-8 after it.
    expect('raw/\u{1F600}.yaml' < 'raw/\uE000.yaml').toBe(true);
    expect(compareGitPaths('raw/\u{1F600}.yaml', 'raw/\uE000.yaml')).toBe(1);
    for (const a of paths) {
      for (const b of paths) expect([a, b, compareGitPaths(a, b)]).toEqual([a, b, byBytes(a, b)]);
    }
    expect([...paths].sort(compareGitPaths)).toEqual([...paths].sort(byBytes));
  });
});
