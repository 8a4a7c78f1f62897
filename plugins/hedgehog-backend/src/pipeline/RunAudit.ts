import { ObjectRef } from '@fabric-gitops/plugin-hedgehog-common';

/** A prune that deleted (or was refused or failed to delete) cluster objects. */
export interface PruneAudit {
  fabric: string;
  cluster: string;
  runId: string;
  /** Who asked for the run (a user ref, `github:<login>`, or none for the schedule). */
  requestedBy?: string;
  /** The objects deleted. */
  deleted: ObjectRef[];
  /**
   * The objects it was to delete and did not: their delete failed, they were kept
   * because they changed hands, or the prune was refused or stopped.
   */
  notDeleted: ObjectRef[];
  /** The `confirmPrune` count the run was asked with, if any. */
  confirmed?: number;
  /** Why the prune did not delete everything it was to delete (then the event fails). */
  error?: string;
}

/**
 * Where a run reports what an audit trail keeps of it (implemented by the service
 * with Backstage's auditor). One event per prune of an apply that is not a dry
 * run and has objects to delete.
 */
export interface RunAudit {
  pruned(event: PruneAudit): Promise<void>;
}
