import { Difference } from '@fabric-gitops/plugin-hedgehog-common';
import { CLUSTER_OWNED_WHEN_ABSENT, matches } from './clusterOwned';
import { comparableObject } from './normalizeObject';

export interface DiffResult {
  differences: Difference[];
  /** Differing leaf paths / union of leaf paths, 0..1. */
  score: number;
}

/**
 * Field-level difference between the desired (Git) and the live (cluster) object
 * of one resource. Both are normalized first; fields the cluster owns when Git
 * leaves them out are ignored then. Paths are dotted (`spec.subnets.default.vlan`),
 * list items indexed (`spec.fabric.links[0].leaf.port`). Pure.
 */
export function diffResource(
  desired: Record<string, any>,
  live: Record<string, any>,
): DiffResult {
  const kind = String(desired.kind ?? live.kind);
  const comparableDesired = comparableObject(desired);
  const comparableLive = comparableObject(live);
  // The common case, an object in sync: equal comparable views have the same leaves, so no difference.
  if (sameValue(comparableDesired, comparableLive)) return { differences: [], score: 0 };
  const a = leaves(comparableDesired);
  const b = leaves(comparableLive);
  const owned = (CLUSTER_OWNED_WHEN_ABSENT[kind] ?? []).map(p => p.split('.'));
  const union = new Set([...a.keys(), ...b.keys()]);
  const differences: Difference[] = [];
  let considered = 0;
  for (const key of [...union].sort()) {
    const inDesired = a.has(key);
    const inLive = b.has(key);
    if (!inDesired && inLive) {
      const segments = a.get(key)?.segments ?? b.get(key)!.segments;
      if (owned.some(p => matches(segments, p))) continue;
    }
    considered++;
    const d = a.get(key)?.value;
    const l = b.get(key)?.value;
    if (!inDesired || !inLive || !Object.is(d, l)) {
      differences.push({
        path: key,
        ...(inDesired ? { desired: d } : {}),
        ...(inLive ? { actual: l } : {}),
      });
    }
  }
  return {
    differences,
    score: considered === 0 ? 0 : round(differences.length / considered),
  };
}

/** Deep equality of JSON values (lists by position, maps by key set); leaves compared with Object.is, as the diff does. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    return a.length === list.length && a.every((item, i) => sameValue(item, list[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every(k => Object.prototype.hasOwnProperty.call(y, k) && sameValue(x[k], y[k]));
}

interface Leaf {
  segments: string[];
  value: unknown;
}

/** Every leaf of a value by its path. */
function leaves(value: unknown): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const walk = (v: unknown, segments: string[], label: string) => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...segments, String(i)], `${label}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        walk(child, [...segments, k], label ? `${label}.${k}` : k);
      }
    } else {
      out.set(label, { segments, value: v });
    }
  };
  walk(value, [], '');
  return out;
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
