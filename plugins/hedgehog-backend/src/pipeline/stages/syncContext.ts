import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import type { ValidationInputs } from '../../cluster/validationContext';
import { GitWorkspace } from '../../git/GitWorkspace';
import { ParseCache } from '../../gitops/ParseCache';
import { IngestPlan } from '../../gitops/plan';
import { TreeEntry } from '../../gitops/tree';
import type { ReviewDelivery } from '../review/ReviewDelivery';
import { RunContext } from './stage';

/** What a sync was asked for. */
export interface SyncOptions {
  /** Plan, ingest and validate only: nothing is committed or imported. */
  dryRun?: boolean;
  /** Plan the whole fabric even when nothing changed since the last sync. */
  force?: boolean;
  /** Apply after the sync (the fabric needs a cluster). */
  apply?: boolean;
  /** With `apply`: confirms a prune larger than the fabric's limit (the number of objects it deletes). */
  confirmPrune?: number;
}

/** What the stages of a sync share besides their inputs. */
export interface SyncContext extends RunContext {
  options: SyncOptions;
  /** Parsed files by blob id, across runs. */
  cache: ParseCache;
  /**
   * How many times the commit stage pushes before it gives up on a branch that keeps
   * moving (see pushAttempts: more when other fabrics share the branch).
   */
  maxPushAttempts: number;
  /** The fabric's cached clone (opened by the fetch stage). */
  openWorkspace(): Promise<GitWorkspace>;
  /** The fabric's FabricConfig, and with a cluster its live objects and SwitchProfiles, for the validate stage. */
  validationInputs(objects: Array<Record<string, unknown>>): Promise<ValidationInputs>;
  /** Delivers the commit as a pull request (write mode `pull-request`). */
  review?: ReviewDelivery;
  /** A restore run: the synced commit whose `managed/` it commits first, and who asked. */
  restore?: { commit: string; requestedBy?: string };
}

/** The fabric directory at a commit and what ingesting it would change. */
export interface Planned {
  /** The commit planned on; undefined while the branch does not exist. */
  head: string | undefined;
  entries: TreeEntry[];
  plan: IngestPlan;
}

/** A plan with the findings of its validation. */
export interface Checked extends Planned {
  findings: Finding[];
}

/** Whether a plan changes nothing in Git. */
export function isEmptyPlan(plan: IngestPlan): boolean {
  return plan.writes.length === 0 && plan.moves.length === 0 && plan.deletes.length === 0;
}
