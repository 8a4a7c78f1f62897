/* Restore a fabric's managed/ to a synced commit (`POST /fabrics/:fabric/restore`). */
import { FabricPlan } from './changePlan';
import { FabricPullRequest } from './types';

/** What a restore does to one file of `managed/` (path relative to the fabric directory). @public */
export interface RestoreFileChange {
  path: string;
  change: 'added' | 'changed' | 'removed';
}

/** The body of `POST /fabrics/:fabric/restore`. @public */
export interface RestoreRequest {
  /** A synced commit of the fabric (a run's recorded commit), full or abbreviated (at least 7 hex digits). */
  commit: string;
  /** Only say what the restore would do: the file changes and, with a cluster, the apply's plan. */
  dryRun?: boolean;
}

/**
 * What `POST /fabrics/:fabric/restore` did, or in a dry run would do: `managed/`
 * made what it was at `commit` (files added, changed and removed; other folders
 * untouched), delivered by the fabric's write mode.
 * @public
 */
export interface RestoreResult {
  fabric: string;
  /** The synced commit restored, in full. */
  commit: string;
  /** The head of the fabric's branch the changes are computed against. */
  head: string;
  writeMode: 'push' | 'pull-request';
  dryRun: boolean;
  /** False when `managed/` already is what it was at `commit` (nothing is written). */
  changed: boolean;
  /** The files of `managed/` the restore adds, changes and removes, in Git's path order. */
  files: RestoreFileChange[];
  /**
   * A dry run of a fabric with a cluster: what an apply of the restored desired
   * state would do (as `POST /fabrics/:fabric/plan` computes it). Absent without a
   * cluster or when the cluster could not be listed (`planError` says why).
   */
  plan?: FabricPlan;
  planError?: string;
  /** Write mode `push`: the run of type `restore` that commits it and syncs. */
  runId?: string;
  /** Write mode `pull-request`: the pull request opened or updated. */
  pullRequest?: FabricPullRequest;
}

/** The first characters of a commit shown for it (and in a restore's commit message). @public */
export function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}
