import { DriftStatus } from '@fabric-gitops/plugin-hedgehog-common';

/**
 * A fabric's drift as a whole: `drifted` when some resource is drifted, missing in
 * the cluster or orphaned in it; `in_sync` when the check found none of those;
 * `unknown` when the cluster could not be read or nothing was checked yet.
 */
export type FabricDriftState = 'in_sync' | 'drifted' | 'unknown';

/** A fabric's drift before and after one check. */
export interface DriftTransition {
  before: FabricDriftState;
  after: FabricDriftState;
  /** The resources per drift status the check found. */
  counts: Partial<Record<DriftStatus, number>>;
}

/** The statuses that make a fabric drifted. */
export const DRIFT_OF_FABRIC: readonly DriftStatus[] = ['drifted', 'missing_in_cluster', 'orphaned_in_cluster'];

/** The fabric's drift from the resources per drift status (see FabricDriftState). */
export function fabricDriftState(counts: Partial<Record<DriftStatus, number>>): FabricDriftState {
  const n = (s: DriftStatus) => counts[s] ?? 0;
  if (n('unknown') > 0) return 'unknown';
  if (DRIFT_OF_FABRIC.some(s => n(s) > 0)) return 'drifted';
  if (n('in_sync') + n('owned_elsewhere') > 0) return 'in_sync';
  return 'unknown';
}
