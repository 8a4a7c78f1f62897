import { changedRows, sideBySide } from './sideBySide';

describe('sideBySide', () => {
  it('pairs a changed line, and keeps lines only one side has alone', () => {
    const left = 'kind: Switch\nspec:\n  asn: 65101\n  role: server-leaf\n';
    const right =
      'kind: Switch\nspec:\n  asn: 65199\n  role: server-leaf\n  vlanNamespaces:\n  - default\n';
    const rows = sideBySide(left, right);
    expect(rows.map(r => r.type)).toEqual([
      'same',
      'same',
      'changed',
      'same',
      'added',
      'added',
    ]);
    expect(rows[2]).toEqual({
      type: 'changed',
      left: { line: 3, text: '  asn: 65101' },
      right: { line: 3, text: '  asn: 65199' },
    });
    expect(rows[4]).toEqual({
      type: 'added',
      left: undefined,
      right: { line: 5, text: '  vlanNamespaces:' },
    });
    expect(changedRows(rows)).toBe(3);
  });

  it('numbers each side on its own when a run of removed lines is longer than its replacement', () => {
    const rows = sideBySide('a\nb\nc\nd', 'a\nx\nd');
    expect(rows).toEqual([
      {
        type: 'same',
        left: { line: 1, text: 'a' },
        right: { line: 1, text: 'a' },
      },
      {
        type: 'changed',
        left: { line: 2, text: 'b' },
        right: { line: 2, text: 'x' },
      },
      { type: 'removed', left: { line: 3, text: 'c' }, right: undefined },
      {
        type: 'same',
        left: { line: 4, text: 'd' },
        right: { line: 3, text: 'd' },
      },
    ]);
  });

  it('finds nothing changed in equal texts', () => {
    const rows = sideBySide('a: 1\nb: 2\n', 'a: 1\nb: 2\n');
    expect(rows).toHaveLength(2);
    expect(changedRows(rows)).toBe(0);
  });
});
