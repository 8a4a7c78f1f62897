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

/** Collects findings; never throws, never stops early. */
export class Report {
  readonly findings: Finding[] = [];

  add(doc: Doc, rule: ValidationRuleId, path: Path, message: string, severity?: FindingSeverity) {
    if (doc.context) return;
    this.findings.push({
      severity: severity ?? VALIDATION_RULES[rule].severity,
      rule,
      file: doc.file,
      document: doc.document,
      path: formatPath(path),
      message,
    });
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
