import type { FindingCounts, ListResponse } from './types';

/** Severity of a validation finding. @public */
export type FindingSeverity = 'error' | 'warning';

/** A validation finding, located to file, document and JSON path. @public */
export interface Finding {
  severity: FindingSeverity;
  rule: string;
  file: string;
  /** 0-based document index in the file; absent when the finding is about the whole file. */
  document?: number;
  path: string;
  message: string;
  /**
   * For a summary finding of a capped rule: how many more findings of its rule in
   * its file and document were left out (counted, not listed one by one). Totals
   * count this finding as that many, with its severity (see `findingWeight`).
   */
  leftOut?: number;
  /**
   * Whether the finding keeps its resource from being applied: every error, and
   * the warnings of rules that block (non-hydrated wiring: `hydration.*`), see
   * `blocksApply`. Every finding the API answers with carries it (`withBlocksApply`
   * fills it where findings are made and where stored ones are read); only findings
   * inside the backend, before they are answered or recorded, may lack it.
   */
  blocksApply?: boolean;
}

/** Exact totals of findings: left-out ones counted (see `Finding.leftOut`). @public */
export interface FindingTotals {
  errors: number;
  warnings: number;
  /** Of them, how many are new since the previous import (when known). */
  new?: number;
  /**
   * A sync that found nothing new in Git imports nothing: its totals are then the
   * fabric's open findings as of that run, unchanged since the import of `run` (at
   * `commit`), not findings of its own.
   */
  unchangedSince?: { run?: string; commit?: string };
}

/** Totals of a list of findings: errors, warnings, and how many are new. @public */
export type ExactFindingTotals = Required<
  Pick<FindingTotals, 'errors' | 'warnings' | 'new'>
>;

/**
 * A finding as the findings API lists it: of a fabric's current state (its last
 * import) or of one run.
 *
 * @public
 */
export interface ListedFinding extends Finding {
  blocksApply: boolean;
  /**
   * Whether the finding is new since the previous import: none with the same
   * rule, file, JSON path and message (document aside) was there.
   */
  new: boolean;
  /** The resource the finding is on (its managed file); absent for other files (raw/, unmanaged/). */
  resource?: { kind: string; name: string };
}

/** Filters of a findings list (`GET .../findings`). @public */
export interface FindingsFilter {
  severity?: FindingSeverity;
  /** A rule id, e.g. `hydration.switch`. */
  rule?: string;
  /** A file relative to the fabric directory, exactly. */
  file?: string;
  /** Only findings new since the previous import (true), or only old ones (false). */
  new?: boolean;
  /** Only findings that block an apply (true), or only those that do not (false). */
  blocksApply?: boolean;
}

/**
 * A page of findings. `totalItems` is how many findings match (the page lists
 * `items.length` of them from `offset`); `totals` are the exact totals of those
 * that match, left-out findings counted.
 *
 * @public
 */
export interface FindingsPage extends ListResponse<ListedFinding> {
  offset: number;
  totals: ExactFindingTotals;
  /**
   * Only in a run's findings: false when the run's findings are no longer kept in
   * full (a run older than the last imports kept, or one that did not import): the
   * list then holds the first `totalItems` the run record kept, and `totals` still
   * count them all.
   */
  complete?: boolean;
}

/** Findings of one rule or one file, counted. @public */
export interface FindingGroup {
  /** The rule id or the file. */
  key: string;
  errors: number;
  warnings: number;
  new: number;
}

/**
 * The findings that match a filter, counted by rule and by file
 * (`GET .../findings/summary`). Each group list holds the largest groups first,
 * `items.length` of `totalItems`.
 *
 * @public
 */
export interface FindingsSummary {
  totals: ExactFindingTotals;
  /**
   * Of the totals, the findings on files that are no resource (raw files kept in
   * `unmanaged/`, files that are not YAML): the resources list and its findings
   * filters do not count them.
   */
  outsideResources: FindingCounts;
  byRule: ListResponse<FindingGroup>;
  byFile: ListResponse<FindingGroup>;
}
