import {
  ANNOTATION_SOURCE_FILE,
  ANNOTATION_SOURCE_INDEX,
  APPLIED_BY_LABEL,
} from '@fabric-gitops/plugin-hedgehog-common';
import { UNORDERED_LISTS, matches } from './clusterOwned';

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
  const spec = sortUnordered(kind, prune(obj.spec ?? {}) ?? {});
  return prune({
    apiVersion: obj.apiVersion,
    kind,
    metadata: { name: metadata.name, labels, annotations },
    spec,
  }) as Record<string, unknown>;
}

/** Removes zero values (null, '', 0, false, empty lists and maps), deeply. */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const list = value.map(prune).map(v => (v === undefined ? null : v));
    return list.length === 0 ? undefined : list;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (value === null || value === '' || value === 0 || value === false) return undefined;
  return value;
}

function sortUnordered(kind: string, spec: any): any {
  const patterns = (UNORDERED_LISTS[kind] ?? []).map(p => p.split('.'));
  if (patterns.length === 0) return spec;
  const walk = (value: any, path: string[]): any => {
    if (Array.isArray(value)) {
      const items = value.map((v, i) => walk(v, [...path, String(i)]));
      if (patterns.some(p => p.length === path.length && matches(path, p))) {
        return [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      }
      return items;
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return value;
  };
  return walk(spec, ['spec']);
}
