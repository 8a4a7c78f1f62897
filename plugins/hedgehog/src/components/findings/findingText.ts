import {
  documentLabel,
  Finding,
  FindingCounts,
  FindingTotals,
} from '@fabric-gitops/plugin-hedgehog-common';

/** "1,907" */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "3 errors", "1 warning" */
export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** "1,907 errors · 34 warnings · 1 new" (new only when known and not 0). */
export function totalsText(t: FindingTotals): string {
  const parts = [plural(t.errors, 'error'), plural(t.warnings, 'warning')];
  if (t.new) parts.push(`${count(t.new)} new since the previous sync`);
  return parts.join(' · ');
}

/**
 * "3 of them on files that are not resources" (with "(1 error, 2 warnings)" when
 * both): the findings the resources list does not count; undefined when there are none.
 */
export function outsideResourcesText(
  outside: FindingCounts | undefined,
): string | undefined {
  const n = (outside?.errors ?? 0) + (outside?.warnings ?? 0);
  if (!outside || n === 0) return undefined;
  const both =
    outside.errors > 0 && outside.warnings > 0
      ? ` (${plural(outside.errors, 'error')}, ${plural(outside.warnings, 'warning')})`
      : '';
  return `${count(n)} of them on files that are not resources${both}`;
}

/** Where in its file a finding is: "document 3 · spec.subnets.a.vlan". */
export function placeInFile(f: Finding): string {
  return [
    f.document !== undefined ? documentLabel(f.document) : undefined,
    f.path || undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** "Showing 51–100 of 1,941 findings" for a page of a list. */
export function pageText(
  offset: number,
  shown: number,
  total: number,
  noun = 'findings',
): string {
  if (total === 0) return `No ${noun}`;
  if (shown >= total) return `All ${count(total)} ${noun}`;
  return `Showing ${count(offset + 1)}–${count(offset + shown)} of ${count(
    total,
  )} ${noun}`;
}
