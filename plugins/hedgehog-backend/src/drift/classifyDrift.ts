import { Difference, DriftStatus } from '@fabric-gitops/plugin-hedgehog-common';
import { diffResource } from './diff';

export interface DriftEntry {
  kind: string;
  name: string;
  status: DriftStatus;
  score: number | null;
  differences: Difference[];
  live?: Record<string, any>;
}

/**
 * Drift of a whole fabric (docs/hedgehog.md#what-drift-ignores): each desired resource is
 * `in_sync`, `drifted` or `missing_in_cluster`; each live object without a
 * desired one is `orphaned_in_cluster`. Pure.
 */
export function classifyDrift(
  desired: Array<{ kind: string; name: string; object: Record<string, any> }>,
  live: Array<Record<string, any>>,
): DriftEntry[] {
  const key = (kind: string, name: string) => `${kind}/${name}`;
  const liveByKey = new Map(live.map(o => [key(o.kind, o.metadata?.name), o]));
  const result: DriftEntry[] = [];
  for (const d of desired) {
    const k = key(d.kind, d.name);
    const actual = liveByKey.get(k);
    liveByKey.delete(k);
    if (!actual) {
      result.push({ kind: d.kind, name: d.name, status: 'missing_in_cluster', score: 1, differences: [] });
      continue;
    }
    const { differences, score } = diffResource(d.object, actual);
    result.push({
      kind: d.kind,
      name: d.name,
      status: differences.length === 0 ? 'in_sync' : 'drifted',
      score,
      differences,
      live: actual,
    });
  }
  for (const actual of liveByKey.values()) {
    result.push({
      kind: actual.kind,
      name: actual.metadata?.name,
      status: 'orphaned_in_cluster',
      score: 1,
      differences: [],
      live: actual,
    });
  }
  return result;
}
