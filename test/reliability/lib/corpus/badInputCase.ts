/*
 * The shape of a case of the bad-input corpus (section 1) and the helpers its
 * groups of cases share: API versions, a valid SwitchGroup, expected outcomes
 * and reason patterns.
 */

/** What must become of one raw file. */
export type Outcome =
  /** Every document became a managed resource; the raw file is gone. */
  | { type: 'managed' }
  /** The original bytes were moved to unmanaged/ with a reason matching `reason`. */
  | { type: 'unmanaged'; reason: RegExp }
  /**
   * These documents were ingested into managed/, and only the file's documents
   * that cannot be managed are kept in unmanaged/, as written, with a reason
   * matching `reason`.
   */
  | { type: 'mixed'; reason: RegExp; managed: string[] }
  /** A conflict of every document: the raw file stays in raw/ unchanged and the run says why. */
  | { type: 'conflict'; reason: RegExp }
  /**
   * A conflict of some documents: they stay in the raw file, as written, which
   * holds only them; these documents were ingested (and those that cannot be
   * managed, if `unmanaged`, kept in unmanaged/ with a reason matching it).
   */
  | { type: 'held'; reason: RegExp; managed: string[]; unmanaged?: RegExp };

export interface BadInputCase {
  title: string;
  /** Files relative to the fabric directory (raw/..., managed/...). */
  files: Record<string, string | Buffer>;
  symlinks?: Record<string, string>;
  /** Expected outcome per raw file (every raw file of `files` and `symlinks`). */
  expect: Record<string, Outcome>;
  /** Files other than raw/ that must stay byte for byte (e.g. an existing managed file). */
  keep?: string[];
}

export const WIRING = 'wiring.githedgehog.com/v1beta1';
export const VPC_API = 'vpc.githedgehog.com/v1beta1';

/** A valid SwitchGroup (the kind with the fewest rules: spec may be empty). */
export const sg = (name: string, description = 'test') =>
  `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: ${name}\n  labels:\n    team: netops\nspec: {}\n# ${description}\n`;

export const unmanaged = (reason: RegExp): Outcome => ({ type: 'unmanaged', reason });
export const MANAGED: Outcome = { type: 'managed' };
export const YAML_ERROR = /YAML error|could not be read|YAML could not be parsed/;
export const NO_DOCS = /holds no YAML documents/;
