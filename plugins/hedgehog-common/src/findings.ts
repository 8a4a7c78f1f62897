import type { Finding, FindingTotals } from './findingTypes';
import { blocksApply } from './validation/rules';

/**
 * How many findings one finding stands for: one, or for a summary finding of a
 * capped rule the findings it says were left out (`Finding.leftOut`; the summary
 * is no problem of its own).
 *
 * @public
 */
export function findingWeight(finding: Pick<Finding, 'leftOut'>): number {
  const more = finding.leftOut;
  return typeof more === 'number' && Number.isFinite(more) && more >= 1
    ? Math.floor(more)
    : 1;
}

/**
 * The exact error and warning totals of a list of findings: left-out findings
 * counted with the severity of the finding that stands for them.
 *
 * @public
 */
export function countFindings(
  findings: Iterable<Pick<Finding, 'severity' | 'leftOut'>>,
): Required<Pick<FindingTotals, 'errors' | 'warnings'>> {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors += findingWeight(f);
    else warnings += findingWeight(f);
  }
  return { errors, warnings };
}

/**
 * "showing 200 of 1,907": how much of a list is shown, for people. Empty when the
 * whole list is shown.
 *
 * @public
 */
export function shownOf(shown: number, total: number, noun = ''): string {
  if (shown >= total) return '';
  const fmt = (n: number) => n.toLocaleString('en-US');
  return `showing ${fmt(shown)} of ${fmt(total)}${noun ? ` ${noun}` : ''}`;
}

/**
 * The finding with `blocksApply` filled in (see `blocksApply`): the one place the
 * field is set, where findings are made (a sync's validation, `POST /validate`) and
 * where stored findings are read (records written before the field was kept lack
 * it). A finding that has it already is returned as it is.
 *
 * @public
 */
export function withBlocksApply<T extends Finding>(
  finding: T,
): T & { blocksApply: boolean } {
  if (typeof finding.blocksApply === 'boolean')
    return finding as T & { blocksApply: boolean };
  return { ...finding, blocksApply: blocksApply(finding) };
}
