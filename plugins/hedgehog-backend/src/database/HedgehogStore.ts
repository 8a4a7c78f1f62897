import {
  ApplyStatus,
  DriftStatus,
  Finding,
  FindingsFilter,
  FindingsPage,
  FindingsSummary,
  FindingTotals,
  KindScopeSetting,
  ListedFinding,
  ListResponse,
  OpenFindings,
  ResourceDetail,
  ResourceItem,
  Run,
  RunStage,
  RunStatus,
  RunTrigger,
  RunType,
  SearchResponse,
  UnmanagedFile,
} from '@fabric-gitops/plugin-hedgehog-common';
import type { DriftEntry } from '../drift/classifyDrift';
import type { TopologyResource } from '../topology/buildTopology';
import type { IncompleteKinds } from '../gitops/dropped';
import type { StateFinding } from './findingHistory';
import type { ResourceStatusCounts } from './resourceStatus';

/** State of a fabric kept in the database. */
export interface FabricState {
  name: string;
  /** The commit whose desired state was last imported. */
  lastSyncedCommit?: string;
  /** When the last sync that was not a dry run ended without failing, also one that found nothing to change. */
  lastSyncAt?: number;
  lastRunId?: string;
  /** The outcome of the last sync: `in_sync` (it ended), `error` (it failed), or `never_synced`. */
  status: string;
  error?: string;
  counts: Record<string, number>;
  /** What the last imported state holds open: error and warning findings, conflicts. */
  openFindings?: OpenFindings;
  /** How many imports the fabric has had (moves with every import; see ImportBasis). */
  importGeneration: number;
  /**
   * Kinds some managed file of which the last import left out (unreadable, invalid,
   * ...): their desired state is incomplete and apply prunes nothing of them; `{}`
   * when every kind is complete. Absent when no import recorded it (never imported,
   * or imported by a version before this field): apply then prunes nothing.
   */
  incompleteKinds?: IncompleteKinds;
  /** The import generation whose findings the store holds (absent: none recorded yet). */
  findingsGeneration?: number;
  /**
   * The kinds as the last import saw them: what the manifest's `scope` said, and the
   * kinds it managed. Absent when no import recorded it (the manifest said nothing,
   * every kind was managed).
   */
  kindScope?: ImportedKindScope;
  /**
   * The fabric's resource rows by drift status, and those whose last apply failed, as
   * the last write of them left them. Absent when none recorded it (rows written
   * before the column): count them.
   */
  resourceStatus?: ResourceStatusCounts;
}

/** The kinds as an import saw them. */
export interface ImportedKindScope {
  /** What the fabric directory's manifest said (`scope`), when it said something readable. */
  manifest?: KindScopeSetting;
  /** The kinds the import managed. */
  imported: string[];
}

/** How an earlier run ended (see HedgehogStore.previousRun). */
export interface PreviousRun {
  status: RunStatus;
  error?: string;
  /** The error findings open after it (its finding totals; a sync that imported nothing counts the fabric's open ones). */
  openErrors?: number;
}

/** A run as stored, with internal fields. */
export interface RunRecord extends Run {
  options: Record<string, unknown>;
  /** The run's first findings (at most MAX_RUN_FINDINGS; the findings history holds all of those it imported). */
  findings: Finding[];
  /** The run's findings in all, left-out ones counted. */
  findingCount: number;
  /** The import generation the run wrote, when it imported. */
  importGeneration?: number;
}

/** A run asked for: queued, or joined to the fabric's queued run of the same type. */
export interface RunRequest {
  fabric: string;
  type: RunType;
  trigger: RunTrigger;
  requestedBy?: string;
  options?: Record<string, unknown>;
}

/** A resource to store after a sync. */
export interface ResourceRow {
  kind: string;
  name: string;
  namespace: string;
  gitPath: string;
  blobId?: string;
  desired: Record<string, unknown>;
  source?: { file: string; document: number };
  findings: Finding[];
}

/** An unmanaged file to store after a sync. */
export interface UnmanagedRow extends UnmanagedFile {
  reasonBlobId?: string;
}

export interface ResourceFilter {
  kind?: string;
  status?: DriftStatus;
  q?: string;
  /** Only resources with error findings, or with warning findings. */
  findings?: 'errors' | 'warnings';
  /** Only resources with a current finding of this rule. */
  rule?: string;
  offset: number;
  limit: number;
  /** `desired`: each item carries its desired object. */
  include?: 'desired';
}

export interface RunPatch {
  status?: RunStatus;
  stages?: RunStage[];
  commitBefore?: string;
  commitAfter?: string;
  error?: string;
  findings?: Finding[];
  findingCount?: number;
  findingTotals?: FindingTotals;
  importGeneration?: number;
  startedAt?: number;
  finishedAt?: number;
}

/**
 * What an import is based on, checked in its transaction (the fabric's row locked):
 * it is refused (ImportRefusedError) when another import came first, or when the
 * run's replica no longer holds the fabric's run lock. So an import never replaces
 * the desired state of a newer commit with that of an older one.
 */
export interface ImportBasis {
  /** The fabric's import generation when the run planned (FabricState.importGeneration). */
  generation: number;
  /** The run lock's owner of the replica running the import; it must hold the lock, unexpired. */
  lockOwner?: string;
}

/** Everything a sync's import stage writes, in one transaction. */
export interface ImportBatch {
  commit: string | undefined;
  /** Checked before anything is written; without it the import is not checked. */
  basis?: ImportBasis;
  resources: ResourceRow[];
  unmanaged: UnmanagedRow[];
  counts: Record<string, number>;
  /** The totals of the imported state's findings and conflicts (the fabric's health rests on them); kept when absent. */
  open?: OpenFindings;
  /** Kinds whose desired state this import leaves incomplete (see FabricState.incompleteKinds). */
  incomplete: IncompleteKinds;
  /** The kinds as this import saw them (see FabricState.kindScope); kept when absent. */
  kindScope?: ImportedKindScope;
  /**
   * Every finding of the imported state, each with the resource it is on (if any):
   * what the findings API lists. When absent, the findings of `resources`.
   */
  findings?: StateFinding[];
}

/** A desired resource as apply and drift read it. */
export interface DesiredRow {
  kind: string;
  name: string;
  object: Record<string, any>;
  /** Error findings of validation. */
  errors: number;
  /** Why the resource must not be applied (errors, non-hydrated wiring), when it must not. */
  blockedReason?: string;
}

/** The outcome of applying one object. */
export interface ApplyResultRow {
  kind: string;
  name: string;
  status: ApplyStatus;
  error?: string;
  live?: Record<string, any>;
}

/** Persistence of the hedgehog plugin. */
export interface HedgehogStore {
  // runs
  enqueueRun(run: RunRequest): Promise<{ id: string; coalesced: boolean }>;
  /** Claims the oldest queued run: it becomes running and the fabric's last run. */
  claimNextRun(fabric: string): Promise<RunRecord | undefined>;
  hasQueuedRuns(fabric: string): Promise<boolean>;
  /** Which of these fabrics have queued runs (one query for many fabrics). */
  fabricsWithQueuedRuns(fabrics: string[]): Promise<Set<string>>;
  updateRun(id: string, patch: RunPatch): Promise<void>;
  heartbeat(id: string): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(fabric: string, offset: number, limit: number): Promise<ListResponse<Run>>;
  /** The id of the fabric's run that wrote this import generation, when it is still recorded. */
  runOfImport(fabric: string, generation: number): Promise<string | undefined>;
  /**
   * The fabric's synced commits that start with `prefix` (lower-case hex): the commits
   * its sync and restore runs that ended (succeeded or partial, not dry runs) recorded; at most `limit`.
   */
  syncedCommits(fabric: string, prefix: string, limit: number): Promise<string[]>;
  /**
   * How the fabric's last finished run of one of `types` before the run `before` ended
   * (dry runs left out): undefined when there was none.
   */
  previousRun(fabric: string, types: RunType[], before: string): Promise<PreviousRun | undefined>;
  /** Closes runs left `running` by a process that died; returns how many. */
  failStaleRuns(staleBefore: number): Promise<number>;

  // locks (one run per fabric across replicas)
  tryLock(fabric: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLock(fabric: string, owner: string): Promise<void>;

  // fabric state
  getFabricState(name: string): Promise<FabricState | undefined>;
  listFabricStates(): Promise<FabricState[]>;
  updateFabricState(name: string, patch: Partial<Omit<FabricState, 'name'>>): Promise<void>;

  // desired state
  importState(fabric: string, batch: ImportBatch): Promise<{ upserted: number; deleted: number }>;
  knownBlobIds(fabric: string): Promise<Map<string, string>>;
  /** The desired resources (from Git) of a fabric, for apply and drift. */
  listDesired(fabric: string): Promise<DesiredRow[]>;
  /** The desired objects of a fabric as JSON texts, unparsed (a worker thread parses them). */
  listDesiredJson(fabric: string): Promise<string[]>;
  recordApply(fabric: string, results: ApplyResultRow[]): Promise<void>;
  /** Stores drift per resource; objects only in the cluster get rows of their own. */
  recordDrift(fabric: string, entries: DriftEntry[]): Promise<void>;
  /** The cluster could not be read: every resource's drift becomes unknown. */
  markDriftUnknown(fabric: string): Promise<void>;
  listResources(fabric: string, filter: ResourceFilter): Promise<ListResponse<ResourceItem>>;
  getResource(fabric: string, kind: string, name: string): Promise<ResourceDetail | undefined>;
  driftCounts(fabric: string): Promise<Record<DriftStatus, number>>;
  /** How many resources' last apply failed. */
  failedApplies(fabric: string): Promise<number>;
  listUnmanaged(fabric: string): Promise<ListResponse<UnmanagedFile>>;
  /** The resources of these kinds with their objects (desired, else live) and states, for the topology. */
  listTopologyResources(fabric: string, kinds: string[]): Promise<TopologyResource[]>;
  /** The resources of these fabrics whose name, port, IP, subnet, VLAN or ASN matches (at most `limit` matches). */
  searchResources(fabrics: string[], q: string, limit: number): Promise<SearchResponse>;
  unmanagedReasonBlobs(fabric: string): Promise<Map<string, string | undefined>>;

  // findings (of the current state, or of the state a run imported)
  /** Which findings a query of the fabric's current ones reads; undefined while none were recorded. */
  currentFindings(fabric: string): Promise<FindingScope | undefined>;
  /**
   * Which findings a query of a run's reads: those of the state it imported, while
   * they are kept in full (the last FINDING_IMPORTS_KEPT imports); else undefined.
   */
  runFindings(run: RunRecord): Promise<FindingScope | undefined>;
  listFindings(scope: FindingScope, filter: FindingsFilter, offset: number, limit: number): Promise<FindingsPage>;
  summarizeFindings(scope: FindingScope, filter: FindingsFilter, groups: number): Promise<FindingsSummary>;
  /** Every finding of the scope that matches, in pages (an export). */
  streamFindings(scope: FindingScope, filter: FindingsFilter): AsyncIterable<ListedFinding[]>;
}

/** Which findings a query reads: a fabric's at one import (see database/findingQueries). */
export interface FindingScope {
  fabric: string;
  generation: number;
}
