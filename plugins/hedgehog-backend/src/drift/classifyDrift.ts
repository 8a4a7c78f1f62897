import { Difference, DriftStatus } from '@fabric-gitops/plugin-hedgehog-common';
import { diffResource } from './diff';
import { ownedElsewhere } from './ownership';

export interface DriftEntry {
  kind: string;
  name: string;
  status: DriftStatus;
  score: number | null;
  differences: Difference[];
  live?: Record<string, any>;
  /** The object is only in the cluster: Git does not define it. */
  clusterOnly?: boolean;
}

/**
 * Drift of a whole fabric (docs/hedgehog.md#what-drift-ignores): each desired resource is
 * `in_sync`, `drifted` or `missing_in_cluster`; each live object without a
 * desired one is `orphaned_in_cluster`. An object in the cluster that another
 * fabric applied (its label names that fabric) is `owned_elsewhere`, in Git or
 * not: this fabric neither compares it nor offers it for adoption. Pure.
 */
export function classifyDrift(
  desired: Array<{ kind: string; name: string; object: Record<string, any> }>,
  live: Array<Record<string, any>>,
  fabric: string,
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
    if (ownedElsewhere(actual, fabric)) {
      result.push({ kind: d.kind, name: d.name, status: 'owned_elsewhere', score: null, differences: [], live: actual });
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
    const elsewhere = ownedElsewhere(actual, fabric) !== undefined;
    result.push({
      kind: actual.kind,
      name: actual.metadata?.name,
      status: elsewhere ? 'owned_elsewhere' : 'orphaned_in_cluster',
      score: elsewhere ? null : 1,
      differences: [],
      live: actual,
      clusterOnly: true,
    });
  }
  return result;
}
