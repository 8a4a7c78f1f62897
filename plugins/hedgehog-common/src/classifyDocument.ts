import { describeNonObject } from './describeValue';
import {
  HEDGEHOG_KINDS,
  HedgehogKind,
  apiVersionOf,
  findControllerKind,
  findKind,
  isHedgehogApiVersion,
} from './kinds';
import { checkResourceName } from './names';

/**
 * A document that is one of the managed kinds, with a valid name.
 *
 * @public
 */
export interface ManagedDocument {
  type: 'managed';
  kind: HedgehogKind;
  name: string;
  object: Record<string, unknown>;
}

/**
 * A document that is not a managed resource, and why.
 *
 * @public
 */
export interface UnmanagedDocument {
  type: 'unmanaged';
  /** A stable id of the reason, e.g. `unknown-kind`. */
  rule: string;
  /** JSON path inside the document the reason is about ('' for the whole document). */
  path: string;
  message: string;
}

/**
 * What a parsed YAML document is to the GitOps directory.
 *
 * @public
 */
export type DocumentClass = ManagedDocument | UnmanagedDocument | { type: 'empty' };

const TOP_LEVEL_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

/**
 * Decides whether a parsed YAML document is a managed Hedgehog resource: the
 * structural rules of ingestion (a mapping of one of the managed kinds at its
 * group's apiVersion, not one Hedgehog's controller creates, an RFC 1123 name within the kind's length limit,
 * namespace `default` or none, string labels and annotations, a mapping `spec`,
 * no other top-level fields than `status`). The scaffolder actions write only
 * documents that pass them. Pure.
 *
 * @public
 */
export function classifyDocument(value: unknown): DocumentClass {
  if (value === null || value === undefined) return { type: 'empty' };
  if (!isPlainObject(value)) {
    const what = describeNonObject(value);
    return reject('not-an-object', '', `the document is ${what}, not a Kubernetes object`);
  }
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    return reject('missing-api-version', 'apiVersion', 'apiVersion is missing or not a string');
  }
  if (typeof kind !== 'string' || kind === '') {
    return reject('missing-kind', 'kind', 'kind is missing or not a string');
  }
  if (!isHedgehogApiVersion(apiVersion)) {
    return reject(
      'not-hedgehog',
      'apiVersion',
      `${kind} (${apiVersion}) is not a Hedgehog fabric resource`,
    );
  }
  const made = findControllerKind(apiVersion, kind);
  if (made) {
    return reject(
      'controller-kind',
      'kind',
      `kind ${kind} (${apiVersion}) is created by Hedgehog's controller (${made.madeFrom}); it is not managed through GitOps`,
    );
  }
  const known = findKind(kind);
  if (!known) {
    return reject(
      'unknown-kind',
      'kind',
      `kind ${kind} (${apiVersion}) is not one of the ${HEDGEHOG_KINDS.length} kinds managed through GitOps`,
    );
  }
  const parts = apiVersion.split('/');
  const [group, version] = parts;
  if (group !== known.group) {
    return reject(
      'wrong-group',
      'apiVersion',
      `kind ${kind} belongs to ${known.group}, not ${group}`,
    );
  }
  if (parts.length !== 2 || version !== known.version) {
    return reject(
      'unsupported-version',
      'apiVersion',
      `apiVersion ${apiVersion} is not supported; ${kind} must use ${apiVersionOf(known)}`,
    );
  }
  if (!isPlainObject(metadata)) {
    return reject('missing-metadata', 'metadata', 'metadata is missing or not a mapping');
  }
  const nameProblem = checkResourceName(metadata.name, known.maxNameLength);
  if (nameProblem) {
    return reject('invalid-name', 'metadata.name', `${kind}: ${nameProblem}`);
  }
  const namespace = metadata.namespace;
  // Like kubectl, an empty namespace means the default one.
  if (namespace !== undefined && namespace !== null && namespace !== '' && namespace !== 'default') {
    return reject(
      'namespace',
      'metadata.namespace',
      `${kind} ${metadata.name}: namespace ${JSON.stringify(namespace)} is not allowed; fabric resources live in namespace "default"`,
    );
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) {
      return reject('invalid-metadata', `metadata.${field}`, `metadata.${field} must be a mapping`);
    }
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') {
        return reject(
          'invalid-metadata',
          `metadata.${field}.${k}`,
          `metadata.${field}.${k} must be a string (quote it in YAML)`,
        );
      }
    }
  }
  const extra = Object.keys(value).filter(k => !TOP_LEVEL_KEYS.has(k));
  if (extra.length > 0) {
    return reject(
      'unknown-field',
      extra[0],
      `${kind} ${metadata.name}: unknown top-level field(s) ${extra.join(', ')}`,
    );
  }
  if (value.spec !== undefined && value.spec !== null && !isPlainObject(value.spec)) {
    return reject('invalid-spec', 'spec', `${kind} ${metadata.name}: spec must be a mapping`);
  }
  return { type: 'managed', kind: known, name: metadata.name as string, object: value };
}

function reject(rule: string, path: string, message: string): UnmanagedDocument {
  return { type: 'unmanaged', rule, path, message };
}

/**
 * A mapping as read from YAML (not a list, a Buffer from `!!binary`, a Date, ...).
 *
 * @public
 */
export function isPlainObject(v: unknown): v is Record<string, any> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
