import {
  Finding,
  FindingSeverity,
  isPlainObject,
  VALIDATION_RULES,
  ValidationRuleId,
} from '@fabric-gitops/plugin-hedgehog-common';

/** A segment of a JSON path: a field or map key, or a list index. */
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/**
 * Formats a path as used in findings: `spec.subnets.default.vlan`,
 * `spec.fabric.links[0].leaf.ip`, `metadata.annotations["fabric.githedgehog.com/p2p-link"]`.
 */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A document being validated, with where it is. */
export interface Doc {
  file: string;
  document: number;
  /** The document (a mapping). */
  object: Record<string, any>;
  kind: string;
  /** metadata.name when it is a string, else ''. */
  name: string;
  /** spec when it is a mapping, else {}. */
  spec: Record<string, any>;
  /**
   * A context document (e.g. the fabric's resources in the database around the
   * files being validated): it takes part in the fabric-wide rules, but nothing is
   * reported about it.
   */
  context: boolean;
  /** Position in the input (for stable, input-ordered reporting). */
  order: number;
}

/**
 * The most findings of one rule kept for one document: past it they are counted,
 * and one finding says how many were left out. So no input makes the findings grow
 * faster than the documents (e.g. n subnets that all overlap: n² pairs).
 */
export const MAX_FINDINGS_PER_RULE = 50;

interface Tally {
  file: string;
  document: number;
  rule: ValidationRuleId;
  kept: number;
  leftOut: number;
  /** The most severe of those left out. */
  severity: FindingSeverity;
}

/** Collects findings, at most MAX_FINDINGS_PER_RULE of a rule per document; never throws, never stops early. */
export class Report {
  private readonly kept: Finding[] = [];
  private readonly tallies = new Map<string, Tally>();

  constructor(private readonly maxPerRule = MAX_FINDINGS_PER_RULE) {}

  add(doc: Doc, rule: ValidationRuleId, path: Path, message: string, severity?: FindingSeverity) {
    if (doc.context) return;
    const level = severity ?? VALIDATION_RULES[rule].severity;
    const tally = this.tally(doc, rule);
    if (tally.kept >= this.maxPerRule) {
      this.count(tally, 1, level);
      return;
    }
    tally.kept++;
    this.kept.push({ severity: level, rule, file: doc.file, document: doc.document, path: formatPath(path), message });
  }

  /** Findings of a rule that were counted but not made (e.g. overlaps past the ones listed). */
  leftOut(doc: Doc, rule: ValidationRuleId, count: number, severity?: FindingSeverity) {
    if (doc.context || count <= 0) return;
    this.count(this.tally(doc, rule), count, severity ?? VALIDATION_RULES[rule].severity);
  }

  /** Findings made elsewhere (a cache's), already within the bounds. */
  addFindings(findings: Finding[]) {
    for (const f of findings) this.kept.push(f);
  }

  /** The findings kept, then one per document and rule with findings left out. */
  get findings(): Finding[] {
    const out = this.kept.slice();
    for (const t of this.tallies.values()) {
      if (t.leftOut === 0) continue;
      out.push({
        severity: t.severity,
        rule: t.rule,
        file: t.file,
        document: t.document,
        path: '',
        message: `${t.leftOut} more findings of rule ${t.rule} in this document were left out`,
        // totals count this finding as the findings it stands for (countFindings)
        leftOut: t.leftOut,
      });
    }
    return out;
  }

  /**
   * A finding of a rule that checks against the FabricConfig: an error when the
   * values it used were given, a warning when hhfab's defaults were assumed.
   */
  config(doc: Doc, rule: ValidationRuleId, path: Path, message: string, given: boolean) {
    this.add(
      doc,
      rule,
      path,
      given ? message : `${message} (assuming hhfab's default fabric config; pass the fabric's config to check for real)`,
      given ? 'error' : 'warning',
    );
  }

  private tally(doc: Doc, rule: ValidationRuleId): Tally {
    const key = `${doc.file}\u0000${doc.document}\u0000${rule}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { file: doc.file, document: doc.document, rule, kept: 0, leftOut: 0, severity: 'warning' };
      this.tallies.set(key, tally);
    }
    return tally;
  }

  private count(tally: Tally, n: number, severity: FindingSeverity) {
    tally.leftOut += n;
    if (severity === 'error') tally.severity = 'error';
  }
}

// Typed reads of values that the schema layer has checked (or reported). A value
// of the wrong type reads as absent, so later layers never report it twice.

export function obj(v: unknown): Record<string, any> | undefined {
  return isPlainObject(v) ? v : undefined;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A non-empty string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function bool(v: unknown): boolean {
  return v === true;
}

export function entries(v: unknown): Array<[string, any]> {
  return isPlainObject(v) ? Object.entries(v) : [];
}

/** `kind/name`, the key of a resource. */
export function resourceKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

export { isPlainObject };
