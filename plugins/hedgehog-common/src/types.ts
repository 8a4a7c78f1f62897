import type { Finding, FindingTotals } from './findingTypes';
import type { KindScopeSource } from './scope';
import type {
  ApplyStatus,
  DriftStatus,
  FabricStatus,
  KindScopePreset,
  RunStageName,
  RunStatus,
  RunTrigger,
  RunType,
  StageStatus,
} from './vocabulary';

/** How a fabric writes back to its repository. @public */
export type GitWriteMode = 'push' | 'pull-request' | 'none';

/** Where a fabric's GitOps directory lives. @public */
export interface FabricGitLocation {
  url: string;
  branch: string;
  /** The GitOps directory inside the repository ('' for the repository root). */
  path: string;
  writeMode: GitWriteMode;
}

/** One error of a stage, located as precisely as known. @public */
export interface RunError {
  message: string;
  file?: string;
  document?: number;
  path?: string;
}

/** One stage of a run. @public */
export interface RunStage {
  name: RunStageName;
  status: StageStatus;
  startedAt: string;
  finishedAt?: string;
  counts: Record<string, number>;
  errors: RunError[];
  /**
   * How many errors the stage had in all, when `errors` lists only the first of
   * them (the validate stage lists at most 200; the run's findings hold them all).
   */
  errorTotal?: number;
  /** Why the stage was skipped or ended the run early, when it did. */
  message?: string;
  /** An apply stage of a fabric that prunes: what it deleted, or would delete, and what it held back. */
  prune?: PruneReport;
}

/** An object of a fabric's cluster, by kind and name. @public */
export interface ObjectRef {
  kind: string;
  name: string;
}

/**
 * What an apply stage pruned (deleted because Git no longer holds it), or in a
 * dry run would prune, and what it held back. @public
 */
export interface PruneReport {
  /**
   * The objects deleted, or that would be deleted (a dry run, or a prune that waits
   * for its confirmation), in the order of deletion; at most 1,000 are listed.
   */
  objects: ObjectRef[];
  /** How many objects that is, also those beyond the list. */
  total: number;
  /** Whether they were deleted (false in a dry run and when the prune was held back). */
  deleted: boolean;
  /** The fabric's objects in the cluster (those labelled for it): the base of the limit. */
  owned: number;
  /** The largest share of `owned` pruned without a confirmation (0.1 = 10%). */
  limit: number;
  /**
   * The prune is larger than the limit: it happens only on an apply that confirms
   * it with `{"confirmPrune": total}`.
   */
  confirmationRequired: boolean;
  /**
   * Kinds prune held back because their desired state is incomplete (a managed file
   * of the kind is unreadable, invalid or was left out): the files (the first 10 of
   * `fileCount`) and how many of the fabric's objects of the kind that Git does not
   * hold were kept.
   */
  heldBack: Array<{
    kind: string;
    files: string[];
    fileCount: number;
    kept: number;
  }>;
  /**
   * No import recorded whether the desired state is complete (the fabric was never
   * imported, or by an earlier version): nothing is pruned until a sync imports it.
   */
  completenessUnknown?: boolean;
}

/** A run as the API returns it. @public */
export interface Run {
  id: string;
  fabric: string;
  type: RunType;
  trigger: RunTrigger;
  /** The user or service that asked for the run, when known. */
  requestedBy?: string;
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  commitBefore?: string;
  commitAfter?: string;
  stages: RunStage[];
  error?: string;
  /**
   * Requests that joined this run while it was queued (instead of queuing
   * another run): each with its trigger, requester and time.
   */
  coalesced?: CoalescedRequest[];
  /**
   * The run's validation findings in all (a sync that validated), counted
   * exactly: also those a stage or a list does not show, and those a
   * left-out summary stands for. `new`: how many were not there at the
   * previous import (known for runs that imported).
   */
  findingTotals?: FindingTotals;
}

/** A request that joined a queued run. @public */
export interface CoalescedRequest {
  trigger: RunTrigger;
  requestedBy?: string;
  at: string;
}

/** A resource in a list. @public */
export interface ResourceItem {
  kind: string;
  name: string;
  namespace: string;
  gitPath: string;
  applyStatus: ApplyStatus;
  drift: { status: DriftStatus; score: number | null };
  /** Number of error findings on the resource. */
  errors: number;
  /** Number of warning findings on the resource. */
  warnings: number;
  /**
   * The object in Git (null for an object that exists only in the cluster);
   * only in lists asked for with `include=desired`.
   */
  desired?: Record<string, unknown> | null;
}

/** One field-level difference between desired and live state. @public */
export interface Difference {
  path: string;
  desired?: unknown;
  actual?: unknown;
}

/** A resource with its desired and live object. @public */
export interface ResourceDetail extends ResourceItem {
  /** The object in Git; null for an object that exists only in the cluster. */
  desired: Record<string, unknown> | null;
  live?: Record<string, unknown>;
  differences: Difference[];
  findings: Finding[];
  /** Where the resource came from: the raw file and document index, when known. */
  source?: { file: string; document: number };
}

/** An entry of `unmanaged/`: a file kept verbatim, with the reason. @public */
export interface UnmanagedFile {
  path: string;
  originalPath: string;
  /** Why it is kept: per document (`document`, 0-based in the original file) or for the whole file; `rule` as ingestion named it, when its reason file says. */
  reasons: Array<{ document?: number; rule?: string; message: string }>;
}

/** A fabric as the API returns it. @public */
export interface Fabric {
  name: string;
  title: string;
  git: FabricGitLocation;
  cluster?: string;
  /** Where the fabric is defined: app-config or a catalog entity ref. */
  source: string;
  /** The owner's entity ref, when the fabric's definition names one (`hedgehog.fabrics[].owner`, a module's, an entity's `spec.owner`). */
  owner?: string;
  /** The commit whose desired state was last imported. */
  lastSyncedCommit?: string;
  /** When the fabric was last synced with Git (also by a sync that found nothing to change). */
  lastSyncAt?: string;
  lastRunId?: string;
  /**
   * The fabric's health now: `in_sync` only when its last sync did not fail and its Git
   * holds no error findings and no conflicts and no apply failed; `partial` while any
   * of them is open, also through syncs that find nothing new; `error` when the last
   * sync failed.
   */
  status: FabricStatus;
  /** Why the status is not `in_sync`. */
  error?: string;
  /**
   * Why the fabric is `blocked`: its catalog entity is outside the catalog fabric
   * policy of app-config (a repository or cluster it may not use). Such a fabric is
   * never synced, applied or checked, and every other route of it answers 409.
   */
  blockedReason?: string;
  counts: Record<string, number>;
  drift: Record<DriftStatus, number>;
  /**
   * Findings open in the fabric's Git now (its last imported state), never truncated;
   * `outsideResources`: how many of them are on files that are no resource (raw files
   * kept in `unmanaged/`, files that are not YAML), which the resources list does not count.
   */
  findings: {
    errors: number;
    warnings: number;
    outsideResources?: FindingCounts;
  };
  /** Raw documents held back in `raw/` because they conflict with others. */
  conflicts: number;
  /** Resources whose last apply failed. */
  applyFailed: number;
  /** The kinds the fabric manages (its scope); absent from versions before it was reported. */
  kinds?: FabricKinds;
}

/**
 * The kinds a fabric manages: where they were given (app-config, the fabric
 * directory's manifest, the catalog entity, or the default `all`), the preset when
 * one was given, and the kinds.
 *
 * @public
 */
export interface FabricKinds {
  source: KindScopeSource;
  preset?: KindScopePreset;
  list: string[];
}

/** What is open in a fabric's Git: totals of its last imported state. @public */
export interface OpenFindings {
  errors: number;
  warnings: number;
  conflicts: number;
  /** Of the findings, those on files that are no resource (absent in states imported before it was counted). */
  outsideResources?: FindingCounts;
}

/** Errors and warnings, left-out ones counted. @public */
export interface FindingCounts {
  errors: number;
  warnings: number;
}

/** A page of items. @public */
export interface ListResponse<T> {
  items: T[];
  totalItems: number;
}

/** Options of a sync request. @public */
export interface SyncRequest {
  /** Apply after the sync (needs the apply permission). */
  apply?: boolean;
  /** Plan and validate only: nothing is committed, pushed or imported. */
  dryRun?: boolean;
  /** With `apply`: confirms a prune larger than the fabric's limit (see ApplyRequest). */
  confirmPrune?: number;
}

/**
 * An open pull request the plugin opened for a fabric in write mode
 * `pull-request`, as `GET /fabrics/:fabric/pulls` lists it.
 *
 * @public
 */
export interface FabricPullRequest {
  number: number;
  title: string;
  /** The pull request's page on GitHub. */
  url: string;
  /** The head branch: `hedgehog/<fabric>`, `hedgehog-adopt/<fabric>/<kind>-<name>` or `hedgehog-restore/<fabric>/<commit>`. */
  branch: string;
  updatedAt: string;
  /** `sync`: the fabric's review branch; `adopt`: an adoption of a cluster value; `restore`: managed/ restored to a commit. */
  purpose: 'sync' | 'adopt' | 'restore';
}

/**
 * What `POST /fabrics/:fabric/resources/:kind/:name/adopt` did: the cluster's
 * value written into the resource's managed file, delivered by the fabric's
 * write mode.
 *
 * @public
 */
export interface AdoptResult {
  fabric: string;
  kind: string;
  name: string;
  /** The managed file, relative to the fabric directory. */
  gitPath: string;
  writeMode: 'push' | 'pull-request';
  /** False when Git already held exactly this value (nothing was pushed). */
  changed: boolean;
  /** The commit pushed (to the fabric's branch, or to the pull request's branch). */
  commit?: string;
  /** Write mode `pull-request`: the pull request opened or updated. */
  pullRequest?: FabricPullRequest;
  /** Write mode `push`: the sync queued to import the commit. */
  runId?: string;
}
