/**
 * The words of the API, each spelled once: run types, triggers and statuses,
 * stage names in their order, drift, apply and fabric statuses. The backend, the
 * frontend and the modules take their lists and types from here.
 */

/**
 * Kinds of runs. `restore`: a sync that first commits `managed/` as it was at an
 * earlier synced commit (write mode `push`), then goes on as a sync.
 * @public
 */
export const RUN_TYPES = ['sync', 'apply', 'drift', 'restore'] as const;
/** Kind of a run. @public */
export type RunType = (typeof RUN_TYPES)[number];

/** What can start a run. @public */
export const RUN_TRIGGERS = ['schedule', 'api', 'webhook', 'startup'] as const;
/** What started a run. @public */
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** Statuses of a run. @public */
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed'] as const;
/** Status of a run. @public */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses of one stage of a run. @public */
export const STAGE_STATUSES = ['running', 'succeeded', 'partial', 'failed', 'skipped'] as const;
/** Status of one stage of a run. @public */
export type StageStatus = (typeof STAGE_STATUSES)[number];

/**
 * Every stage a run can pass, in the order they run: a sync's six stages (a
 * restore's `restore` commit after the fetch), then the cluster's two (after a
 * sync that applies or imported, or as a run of their own).
 * @public
 */
export const RUN_STAGES = ['fetch', 'restore', 'plan', 'ingest', 'validate', 'commit', 'import', 'apply', 'drift'] as const;
/** Name of a stage of a run. @public */
export type RunStageName = (typeof RUN_STAGES)[number];

/** The stages every sync records, in order (the cluster's follow only when it has one). @public */
export const SYNC_STAGES = ['fetch', 'plan', 'ingest', 'validate', 'commit', 'import'] as const satisfies readonly RunStageName[];

/** The stages a run of each type may record, in order. @public */
export const STAGES_OF_RUN: Record<RunType, readonly RunStageName[]> = {
  sync: RUN_STAGES.filter(s => s !== 'restore'),
  restore: RUN_STAGES,
  apply: ['apply', 'drift'],
  drift: ['drift'],
};

/**
 * Drift statuses of a resource, in display order. `owned_elsewhere`: the object in
 * the cluster carries the label of another fabric (`hedgehog.backstage.io/fabric`);
 * this fabric never changes, deletes or adopts it.
 * @public
 */
export const DRIFT_STATUSES = [
  'in_sync',
  'drifted',
  'missing_in_cluster',
  'orphaned_in_cluster',
  'owned_elsewhere',
  'unknown',
] as const;
/** Drift status of one resource. @public */
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

/** A drift status in words, for messages. @public */
export const DRIFT_STATUS_WORDS: Record<DriftStatus, string> = {
  in_sync: 'in sync',
  drifted: 'drifted',
  missing_in_cluster: 'missing in the cluster',
  orphaned_in_cluster: 'orphaned in the cluster',
  owned_elsewhere: 'owned by another fabric',
  unknown: 'unknown',
};

/** Apply statuses of a resource. @public */
export const APPLY_STATUSES = ['not_applied', 'applied', 'unchanged', 'blocked', 'failed'] as const;
/** Apply status of one resource. @public */
export type ApplyStatus = (typeof APPLY_STATUSES)[number];

/**
 * Overall statuses of a fabric. `blocked`: a fabric of a catalog entity outside the
 * catalog fabric policy of app-config, never synced (its `blockedReason` says why).
 * @public
 */
export const FABRIC_STATUSES = ['never_synced', 'syncing', 'in_sync', 'partial', 'error', 'blocked'] as const;
/** Overall status of a fabric. @public */
export type FabricStatus = (typeof FABRIC_STATUSES)[number];

/**
 * Presets of the kinds a fabric manages (`hedgehog.fabrics[].kinds`, the manifest's
 * `scope`, the entity annotation `githedgehog.com/kinds`): `all` (the default, every
 * managed kind), `day2` (VPCs, their attachments and peerings, externals and their
 * attachments and peerings: what Hedgehog's GitOps demo keeps in Git) and `wiring`
 * (the wiring group and the namespaces: what the installer makes). The kinds of
 * each are in `scope.ts`.
 * @public
 */
export const KIND_SCOPE_PRESETS = ['all', 'day2', 'wiring'] as const;
/** A preset of the kinds a fabric manages. @public */
export type KindScopePreset = (typeof KIND_SCOPE_PRESETS)[number];

/**
 * What a fabric's owner is notified of (`hedgehog.fabrics[].notifications`, the fabric
 * entity's `githedgehog.com/notifications`): `off`, `failures` (the default: a sync
 * that failed or ended partial, a pull request whose validation failed, a prune held
 * back) or `all` (also drift that appeared, and a sync that succeeded again after a
 * failure).
 *
 * @public
 */
export const NOTIFICATION_LEVELS = ['off', 'failures', 'all'] as const;
/** What a fabric's owner is notified of (see NOTIFICATION_LEVELS). @public */
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];
/** The notification level of a fabric that sets none. @public */
export const DEFAULT_NOTIFICATION_LEVEL: NotificationLevel = 'failures';
