import {
  ANNOTATION_SOURCE_FILE,
  ANNOTATION_SOURCE_INDEX,
  apiVersionOf,
  isPlainObject,
  ManagedDocument,
} from '@fabric-gitops/plugin-hedgehog-common';
import { Document } from 'yaml';
import { DocumentComments, applyComments } from './comments';
import { renderPlain } from './renderPlain';

/** Annotations written by the earlier NetBox plugin; they carry timestamps. */
const LEGACY_ANNOTATION_PREFIX = 'hnp.githedgehog.com/';
const TRACKING_ANNOTATIONS = new Set([ANNOTATION_SOURCE_FILE, ANNOTATION_SOURCE_INDEX]);
/**
 * Written by `kubectl apply` (client-side): a JSON snapshot of an earlier apply,
 * found in exports from a cluster. It is not desired state, and it goes stale.
 */
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Where a resource was ingested from. */
export interface SourceRef {
  file: string;
  document: number;
}

/**
 * The canonical form of a managed resource: apiVersion, kind, metadata (name,
 * namespace `default`, sorted labels and annotations, tracking annotations) and
 * spec with sorted keys; no status, no server-set metadata, nothing volatile.
 */
export function canonicalResource(
  doc: ManagedDocument,
  source?: SourceRef,
): Record<string, unknown> {
  const metadata = doc.object.metadata as Record<string, unknown>;
  const labels = stringMap(metadata.labels);
  const annotations = Object.fromEntries(
    Object.entries(stringMap(metadata.annotations) ?? {}).filter(
      ([k, v]) => !isDroppedAnnotation(k, v) && (!source || !TRACKING_ANNOTATIONS.has(k)),
    ),
  );
  if (source) {
    annotations[ANNOTATION_SOURCE_FILE] = source.file;
    annotations[ANNOTATION_SOURCE_INDEX] = String(source.document);
  }
  const meta: Record<string, unknown> = { name: doc.name, namespace: 'default' };
  if (labels && Object.keys(labels).length > 0) meta.labels = sortKeys(labels);
  if (Object.keys(annotations).length > 0) meta.annotations = sortKeys(annotations);
  return {
    apiVersion: apiVersionOf(doc.kind),
    kind: doc.kind.kind,
    metadata: meta,
    spec: sortKeys(isPlainObject(doc.object.spec) ? doc.object.spec : {}),
  };
}

export const RENDER_OPTIONS = {
  lineWidth: 0,
  aliasDuplicateObjects: false,
  // compat: quote strings that YAML 1.1 readers (kubectl, go-yaml, hhfab) would
  // read as something else: `yes`/`on`/`n` (booleans), `12:30` (base 60),
  // `2001-01-01` (timestamps), `1_000` (numbers).
  compat: 'yaml-1.1',
} as const;

/**
 * Renders a canonical resource as the text of its managed file, with the
 * comments of the document it was read from (each at its field; see comments.ts).
 */
export function renderResource(resource: Record<string, unknown>, comments?: DocumentComments): string {
  // Without comments, the same text written directly (renderPlain.ts), unless the resource holds
  // something only the library renders.
  const plain = comments ? undefined : renderPlain(resource, RENDER_OPTIONS);
  if (plain !== undefined) return plain;
  // (what `stringify(resource, RENDER_OPTIONS)` does, with the comments put on the document)
  const doc = new Document(resource, null, RENDER_OPTIONS);
  if (comments) applyComments(doc, comments);
  return doc.toString(RENDER_OPTIONS);
}

/**
 * The part of a canonical resource that defines it, without tracking annotations:
 * two definitions are the same resource content when these are equal.
 */
export function contentKey(resource: Record<string, unknown>): string {
  const metadata = { ...(resource.metadata as Record<string, unknown>) };
  const annotations = Object.fromEntries(
    Object.entries((metadata.annotations as Record<string, string>) ?? {}).filter(
      ([k]) => !TRACKING_ANNOTATIONS.has(k),
    ),
  );
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return JSON.stringify({ ...resource, metadata });
}

/** Reads the source annotations of a canonical resource. */
export function sourceOf(resource: Record<string, unknown>): SourceRef | undefined {
  const annotations = (resource.metadata as any)?.annotations ?? {};
  const file = annotations[ANNOTATION_SOURCE_FILE];
  if (typeof file !== 'string') return undefined;
  const document = Number(annotations[ANNOTATION_SOURCE_INDEX] ?? 0);
  return { file, document: Number.isInteger(document) ? document : 0 };
}

function isDroppedAnnotation(key: string, value: string): boolean {
  return (
    key.startsWith(LEGACY_ANNOTATION_PREFIX) ||
    key === LAST_APPLIED_ANNOTATION ||
    (key === 'managed-by' && value === 'hedgehog-netbox-plugin')
  );
}

function stringMap(v: unknown): Record<string, string> | undefined {
  return isPlainObject(v) ? (v as Record<string, string>) : undefined;
}

/** A switch port name: `E1/1`, a breakout sub-port `E1/55/1`. */
const PORT_NAME = /^[A-Z]\d+(?:\/\d+)+$/;

/** Port names in natural order: by the numbers they hold (E1/2 before E1/10), then as text. */
function comparePortNames(a: string, b: string): number {
  const x = a.split(/(\d+)/);
  const y = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    if (i % 2 === 1) {
      // digits: the shorter number (without leading zeros) is the smaller one
      const m = x[i].replace(/^0+(?=\d)/, '');
      const n = y[i].replace(/^0+(?=\d)/, '');
      if (m.length !== n.length) return m.length - n.length;
      if (m !== n) return m < n ? -1 : 1;
    } else {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  if (x.length !== y.length) return x.length - y.length;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Keys in the order of a managed file: sorted as text, except that port names
 * (`E1/1`, `E1/2`, `E1/10`, `E1/55/1`) sort naturally among themselves, in the
 * places the text order gives to port names (every other key stays where text
 * order puts it).
 */
export function sortedKeys(keys: string[]): string[] {
  const sorted = [...keys].sort();
  const slots: number[] = [];
  sorted.forEach((k, i) => {
    if (PORT_NAME.test(k)) slots.push(i);
  });
  if (slots.length < 2) return sorted;
  const ports = slots.map(i => sorted[i]).sort(comparePortNames);
  slots.forEach((slot, i) => {
    sorted[slot] = ports[i];
  });
  return sorted;
}

/** Deep copy with object keys in the order of sortedKeys; list order is kept. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as unknown as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of sortedKeys(Object.keys(value))) {
      // defineProperty: a `__proto__` key is data, not the object's prototype.
      Object.defineProperty(out, key, {
        value: sortKeys(value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out as T;
  }
  return value;
}
