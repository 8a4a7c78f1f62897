import {
  ANNOTATION_SOURCE_FILE,
  ANNOTATION_SOURCE_INDEX,
  APPLIED_BY_LABEL,
} from '@fabric-gitops/plugin-hedgehog-common';
import { UNORDERED_LISTS } from './clusterOwned';

/** Label that marks the objects this plugin applied, with the fabric's name. */
export { APPLIED_BY_LABEL };

const DROPPED_ANNOTATIONS = new Set([
  ANNOTATION_SOURCE_FILE,
  ANNOTATION_SOURCE_INDEX,
  'kubectl.kubernetes.io/last-applied-configuration',
]);

/**
 * The comparable view of a Kubernetes object (docs/hedgehog.md#what-drift-ignores): apiVersion,
 * kind, name, labels and annotations that users own, and spec — without status,
 * server-set metadata, webhook-computed `fabric.githedgehog.com/` labels, our
 * tracking annotations, or zero values (Go's omitempty makes absent and empty
 * the same). Unordered lists are sorted. Pure.
 */
export function comparableObject(obj: Record<string, any>): Record<string, unknown> {
  const metadata = obj.metadata ?? {};
  const labels = Object.fromEntries(
    Object.entries((metadata.labels ?? {}) as Record<string, string>).filter(
      ([k]) => !k.includes('fabric.githedgehog.com/') && k !== APPLIED_BY_LABEL,
    ),
  );
  const annotations = Object.fromEntries(
    Object.entries((metadata.annotations ?? {}) as Record<string, string>).filter(
      ([k]) => !DROPPED_ANNOTATIONS.has(k) && !k.startsWith('hnp.githedgehog.com/'),
    ),
  );
  const kind = String(obj.kind);
  // (spec is pruned once here; the rest of the object is small)
  const spec = sortUnordered(kind, prune(obj.spec ?? {}));
  const out: Record<string, unknown> = {};
  const apiVersion = prune(obj.apiVersion);
  if (apiVersion !== undefined) out.apiVersion = apiVersion;
  const kindValue = prune(kind);
  if (kindValue !== undefined) out.kind = kindValue;
  const meta = prune({ name: metadata.name, labels, annotations });
  if (meta !== undefined) out.metadata = meta;
  if (spec !== undefined) out.spec = spec;
  return out;
}

/** Removes zero values (null, '', 0, false, empty lists and maps), deeply. */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const list = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const p = prune(value[i]);
      list[i] = p === undefined ? null : p;
    }
    return list;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(value)) {
      const p = prune((value as Record<string, unknown>)[k]);
      if (p !== undefined) (out ??= {})[k] = p;
    }
    return out;
  }
  if (value === null || value === '' || value === 0 || value === false) return undefined;
  return value;
}

/** The unordered lists of each kind, as segments after `spec`, deepest first (a list inside another is sorted first). */
const UNORDERED_BY_KIND = new Map(
  Object.entries(UNORDERED_LISTS).map(([kind, patterns]) => [
    kind,
    patterns.map(p => p.split('.').slice(1)).sort((a, b) => b.length - a.length),
  ]),
);

const byJson = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

/**
 * Sorts the kind's unordered lists of a pruned spec (a copy of the object's, so sorted in
 * place), following only the paths the patterns name.
 */
function sortUnordered(kind: string, spec: unknown): unknown {
  const patterns = UNORDERED_BY_KIND.get(kind);
  if (!patterns || spec === undefined) return spec;
  for (const pattern of patterns) sortAt(spec, pattern, 0);
  return spec;
}

function sortAt(value: unknown, pattern: string[], i: number): void {
  if (value === null || typeof value !== 'object') return;
  if (i === pattern.length) {
    if (Array.isArray(value)) value.sort(byJson);
    return;
  }
  const segment = pattern[i];
  const record = value as Record<string, unknown>;
  if (segment === '*') {
    for (const k of Object.keys(record)) sortAt(record[k], pattern, i + 1);
  } else if (Object.prototype.hasOwnProperty.call(record, segment)) {
    sortAt(record[segment], pattern, i + 1);
  }
}
