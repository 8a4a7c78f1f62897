import {
  ANNOTATION_SOURCE_FILE,
  ANNOTATION_SOURCE_INDEX,
  apiVersionOf,
  isPlainObject,
  ManagedDocument,
} from '@fabric-gitops/plugin-hedgehog-common';
import { stringify } from 'yaml';

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

/** Renders a canonical resource as the text of its managed file. */
export function renderResource(resource: Record<string, unknown>): string {
  // compat: quote strings that YAML 1.1 readers (kubectl, go-yaml, hhfab) would
  // read as something else: `yes`/`on`/`n` (booleans), `12:30` (base 60),
  // `2001-01-01` (timestamps), `1_000` (numbers).
  return stringify(resource, {
    lineWidth: 0,
    aliasDuplicateObjects: false,
    compat: 'yaml-1.1',
  });
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

/** Deep copy with object keys in sorted order; list order is kept. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as unknown as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
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
