import type { KindColumn } from './types';

/* The text of a kind's column for one object (the resources list renders it). Pure. */

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The values at a dotted path; `*` expands over a list's items or a mapping's values. */
function valuesAt(value: unknown, segments: readonly string[]): unknown[] {
  if (segments.length === 0) return value === undefined || value === null ? [] : [value];
  const [head, ...rest] = segments;
  if (head === '*') {
    if (Array.isArray(value)) return value.flatMap(item => valuesAt(item, rest));
    if (isMapping(value)) return Object.values(value).flatMap(item => valuesAt(item, rest));
    return [];
  }
  if (!isMapping(value) || !Object.prototype.hasOwnProperty.call(value, head)) return [];
  return valuesAt(value[head], rest);
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(scalarText).filter(Boolean).join(', ');
  if (isMapping(value)) return JSON.stringify(value);
  return '';
}

function rangeText(value: unknown): string {
  if (Array.isArray(value)) return value.map(rangeText).filter(Boolean).join(', ');
  if (isMapping(value) && 'from' in value) {
    const to = value.to ?? value.from;
    return value.from === to ? scalarText(value.from) : `${scalarText(value.from)}–${scalarText(to)}`;
  }
  return scalarText(value);
}

/**
 * The text of a column for an object ('' when the object has no value there),
 * as the column's format says (see `KindColumnFormat`).
 *
 * @public
 */
export function kindColumnText(object: unknown, column: KindColumn): string {
  const found = valuesAt(object, column.path.split('.'));
  const expanded = column.path.split('.').includes('*');
  switch (column.format ?? 'value') {
    case 'count': {
      if (expanded) return String(found.length);
      const v = found[0];
      if (Array.isArray(v)) return String(v.length);
      if (isMapping(v)) return String(Object.keys(v).length);
      return found.length === 0 ? '0' : '1';
    }
    case 'keys':
      return [...new Set(found.flatMap(v => (isMapping(v) ? Object.keys(v) : [])))].join(', ');
    case 'range':
      return found.map(rangeText).filter(Boolean).join(', ');
    default:
      return found.map(scalarText).filter(Boolean).join(', ');
  }
}
