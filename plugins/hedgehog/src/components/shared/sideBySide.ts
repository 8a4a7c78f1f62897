import { diffArrays } from 'diff';

/* Two texts as the rows of a side-by-side diff. Pure; jsdiff finds the changed lines. */

/** One side of a row: its 1-based line number and text. */
export interface DiffCell {
  line: number;
  text: string;
}

/**
 * A row of a side-by-side diff: a line both texts have (`same`), a line changed from the left to
 * the right (`changed`, both cells), or one only the left (`removed`) or the right (`added`) has.
 */
export interface DiffRow {
  type: 'same' | 'changed' | 'removed' | 'added';
  left?: DiffCell;
  right?: DiffCell;
}

function kindOf(left?: DiffCell, right?: DiffCell): DiffRow['type'] {
  if (left && right) return 'changed';
  return left ? 'removed' : 'added';
}

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The rows of a side-by-side diff of `left` and `right`, line by line: lines removed next to the
 * lines added in their place (changed), the rest of a longer run alone on its side.
 */
export function sideBySide(left: string, right: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let l = 1;
  let r = 1;
  let removed: string[] = [];
  const flushRemoved = (added: string[]) => {
    const n = Math.max(removed.length, added.length);
    for (let i = 0; i < n; i++) {
      const a =
        i < removed.length ? { line: l++, text: removed[i] } : undefined;
      const b = i < added.length ? { line: r++, text: added[i] } : undefined;
      rows.push({
        type: kindOf(a, b),
        left: a,
        right: b,
      });
    }
    removed = [];
  };
  for (const part of diffArrays(linesOf(left), linesOf(right))) {
    if (part.removed) {
      removed.push(...part.value);
    } else if (part.added) {
      flushRemoved(part.value);
    } else {
      flushRemoved([]);
      for (const text of part.value)
        rows.push({
          type: 'same',
          left: { line: l++, text },
          right: { line: r++, text },
        });
    }
  }
  flushRemoved([]);
  return rows;
}

/** How many rows are not the same on both sides. */
export function changedRows(rows: DiffRow[]): number {
  return rows.filter(row => row.type !== 'same').length;
}
