import {
  HEDGEHOG_KINDS,
  HedgehogKind,
  apiVersionOf,
  checkResourceName,
  describeNonObject,
  findKind,
  isHedgehogApiVersion,
} from '@fabric-gitops/plugin-hedgehog-common';
import { isScalar, parseAllDocuments, stringify } from 'yaml';

/** A resource that passed the structural rules. */
export interface CheckedResource {
  /** 0-based document index in the YAML text. */
  document: number;
  kind: HedgehogKind;
  name: string;
  object: Record<string, unknown>;
}

/** Why a document is not an acceptable resource. */
export interface ResourceProblem {
  /** 0-based document index in the YAML text. */
  document: number;
  /** JSON path inside the document ('' for the whole document). */
  path: string;
  message: string;
}

// `status` is accepted (ingestion drops it), as it is in documents copied from a cluster.
const TOP_LEVEL_KEYS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'spec',
  'status',
]);

/**
 * The structural rules every resource written by the actions must pass — the same
 * ones that decide at ingestion whether a document becomes a managed resource: a
 * mapping of one of the 12 kinds at its `<group>/v1beta1` apiVersion, an RFC 1123
 * name within the kind's length limit, namespace `default` (or none), string
 * labels and annotations, a mapping `spec`, no other top-level fields. Pure.
 */
export function checkResource(
  value: unknown,
  document = 0,
): { resource: CheckedResource } | { problem: ResourceProblem } {
  const problem = (path: string, message: string) => ({
    problem: { document, path, message },
  });
  if (!isPlainObject(value)) {
    return problem(
      '',
      `the document is ${describeNonObject(value)}, not a Kubernetes object`,
    );
  }
  const { apiVersion, kind, metadata, spec } = value;
  if (typeof kind !== 'string' || kind === '') {
    return problem('kind', 'kind is missing or not a string');
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    return problem(
      'apiVersion',
      `${kind}: apiVersion is missing or not a string`,
    );
  }
  const known = findKind(kind);
  if (!known) {
    const kinds = HEDGEHOG_KINDS.map(k => k.kind).join(', ');
    return problem(
      'kind',
      isHedgehogApiVersion(apiVersion)
        ? `kind ${kind} is not one of the ${HEDGEHOG_KINDS.length} kinds managed through GitOps (${kinds})`
        : `${kind} (${apiVersion}) is not a Hedgehog fabric resource; the kinds are ${kinds}`,
    );
  }
  if (apiVersion !== apiVersionOf(known)) {
    return problem(
      'apiVersion',
      `${kind} must use apiVersion ${apiVersionOf(known)}, not ${apiVersion}`,
    );
  }
  if (!isPlainObject(metadata)) {
    return problem('metadata', `${kind}: metadata is missing or not a mapping`);
  }
  const nameProblem = checkResourceName(metadata.name, known.maxNameLength);
  if (nameProblem) {
    return problem('metadata.name', `${kind}: ${nameProblem}`);
  }
  const name = metadata.name as string;
  const namespace = metadata.namespace;
  if (
    namespace !== undefined &&
    namespace !== null &&
    namespace !== '' &&
    namespace !== 'default'
  ) {
    return problem(
      'metadata.namespace',
      `${kind} ${name}: namespace ${JSON.stringify(
        namespace,
      )} is not allowed; fabric resources live in namespace "default"`,
    );
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      return problem(
        `metadata.${field}`,
        `${kind} ${name}: metadata.${field} must be a mapping`,
      );
    }
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') {
        return problem(
          `metadata.${field}.${k}`,
          `${kind} ${name}: metadata.${field}.${k} must be a string (quote it in YAML)`,
        );
      }
    }
  }
  if (spec !== undefined && spec !== null && !isPlainObject(spec)) {
    return problem('spec', `${kind} ${name}: spec must be a mapping`);
  }
  const extra = Object.keys(value).filter(k => !TOP_LEVEL_KEYS.has(k));
  if (extra.length > 0) {
    return problem(
      extra[0],
      `${kind} ${name}: unexpected top-level field(s) ${extra.join(', ')}`,
    );
  }
  return { resource: { document, kind: known, name, object: value } };
}

/**
 * Reads YAML text (one or more documents) and checks every document. Empty
 * documents are skipped; the same kind/name twice is a problem too.
 */
export function checkResourcesYaml(text: string): {
  resources: CheckedResource[];
  problems: ResourceProblem[];
} {
  const resources: CheckedResource[] = [];
  const problems: ResourceProblem[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, {
      schema: 'core',
      merge: true,
      uniqueKeys: true,
      strict: true,
    });
  } catch (e) {
    problems.push({
      document: 0,
      path: '',
      message: `YAML could not be parsed: ${firstLine(e)}`,
    });
    return { resources, problems };
  }
  const list = Array.isArray(docs) ? docs : [];
  const seen = new Map<string, number>();
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      problems.push({
        document: index,
        path: '',
        message: `YAML error: ${firstLine(doc.errors[0])}`,
      });
      return;
    }
    const c = doc.contents;
    if (
      c === null ||
      (isScalar(c) &&
        c.value === null &&
        !c.tag &&
        c.range?.[0] === c.range?.[1])
    ) {
      return; // an empty document (`---` alone, or only comments)
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.push({
        document: index,
        path: '',
        message: `the document could not be read: ${firstLine(e)}`,
      });
      return;
    }
    const result = checkResource(value, index);
    if ('problem' in result) {
      problems.push(result.problem);
      return;
    }
    const key = `${result.resource.kind.kind}/${result.resource.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        document: index,
        path: 'metadata.name',
        message: `${result.resource.kind.kind} ${result.resource.name} is also defined in document ${first}`,
      });
      return;
    }
    seen.set(key, index);
    resources.push(result.resource);
  });
  return { resources, problems };
}

/** One line per problem, for an error message. */
export function describeProblems(
  problems: ResourceProblem[],
  multiDocument: boolean,
): string {
  return problems
    .map(p => {
      const where = [multiDocument ? `document ${p.document}` : '', p.path]
        .filter(Boolean)
        .join(', ');
      return where ? `${where}: ${p.message}` : p.message;
    })
    .join('; ');
}

/** Canonical YAML of an object (stable, no line wrapping). */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** A mapping as read from YAML (not a list, Buffer, Date, ...). */
export function isPlainObject(v: unknown): v is Record<string, any> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function firstLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  const line = s.split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
