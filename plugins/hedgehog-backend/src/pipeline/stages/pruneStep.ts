import { ObjectRef, PruneReport, RunError, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { ApplyPlan } from '../../cluster/applyPlan';
import { deleteChecked } from '../../cluster/checkedWrites';
import { decidePrune } from '../../cluster/prunePolicy';
import { IncompleteKinds } from '../../gitops/dropped';
import { ClusterContext, mapLimit } from './clusterContext';

/** The most objects a prune report lists (its total counts them all). */
export const PRUNE_LISTED = 1000;

export interface PruneOutcome {
  report: PruneReport;
  pruned: number;
  errors: RunError[];
  /** Why the prune was held back, for the run's error; undefined when it was not. */
  heldBack?: string;
  /** Objects whose delete failed or that were kept because they changed hands since the LIST. */
  failed: number;
}

/**
 * The prune of an apply (docs/architecture.md#invariants): kinds whose desired state is
 * incomplete keep their objects (one error per kind, naming the files); a prune
 * larger than the fabric's limit waits for a confirmation with its count; then
 * the objects are deleted level by level (dependents first), each only in the
 * version that was listed with the fabric's label.
 */
export async function pruneStep(
  ctx: ClusterContext,
  plan: ApplyPlan,
  /** Undefined when no import recorded which kinds are complete: then every kind is held back. */
  incomplete: IncompleteKinds | undefined,
  options: { dryRun?: boolean; confirmPrune?: number },
): Promise<PruneOutcome> {
  const { client, fabric } = ctx;
  const objects: ObjectRef[] = plan.prune.flat().map(({ kind, name }) => ({ kind, name }));
  const limit = fabric.pruneLimit ?? ctx.pruneLimit;
  const decision = decidePrune({
    fabric: fabric.name,
    count: objects.length,
    owned: plan.owned,
    limit,
    confirm: options.confirmPrune,
  });
  const { heldBack, errors, held } = heldBackOf(fabric.name, plan, incomplete);

  let pruned = 0;
  let failed = 0;
  const deleted: ObjectRef[] = [];
  if (!decision.allowed) {
    // A dry run shows what the apply would do: the confirmation it needs is in its report.
    if (!options.dryRun) {
      errors.push({ message: decision.reason! });
      held.push(`${objects.length} object(s) await {"confirmPrune": ${objects.length}}`);
      if (objects.length > 0) await audited(ctx, options, objects, [], decision.reason);
    }
  } else {
    let stopped: unknown;
    try {
      for (const [i, level] of plan.prune.entries()) {
        // Levels one after another (dependents first), objects of a level at once;
        // none once the run lost the fabric's lock.
        if (!options.dryRun) ctx.recorder.throwIfLockLost(`level ${i + 1} of ${plan.prune.length} of the prune`);
        const outcomes = await mapLimit(level, ctx.concurrency, async (item): Promise<RunError | undefined> => {
          try {
            const { kept } = await deleteChecked(client, findKind(item.kind)!, item.name, {
              fabric: fabric.name,
              resourceVersion: item.resourceVersion,
              dryRun: options.dryRun,
            });
            if (!kept) deleted.push({ kind: item.kind, name: item.name });
            return kept ? { message: kept, file: `${item.kind}/${item.name}` } : undefined;
          } catch (e) {
            return { message: e instanceof Error ? e.message : String(e), file: `${item.kind}/${item.name}` };
          }
        });
        const refused = outcomes.filter((o): o is RunError => o !== undefined);
        pruned += level.length - refused.length;
        failed += refused.length;
        errors.push(...refused);
      }
    } catch (e) {
      stopped = e;
      throw e;
    } finally {
      if (!options.dryRun && objects.length > 0) {
        const why = stopped === undefined ? undefined : `the prune stopped: ${stopped instanceof Error ? stopped.message : String(stopped)}`;
        await audited(ctx, options, objects, deleted, why);
      }
    }
  }
  const report: PruneReport = {
    objects: objects.slice(0, PRUNE_LISTED),
    total: objects.length,
    deleted: decision.allowed && !options.dryRun && objects.length > 0,
    owned: plan.owned,
    limit,
    confirmationRequired: decision.confirmationRequired,
    heldBack,
    ...(incomplete ? {} : { completenessUnknown: true }),
  };
  return {
    report,
    pruned: options.dryRun ? 0 : pruned,
    errors,
    failed,
    heldBack: held.length > 0 ? `prune held back: ${held.join('; ')}` : undefined,
  };
}

/**
 * The audit event of a prune that was to delete `objects` (see RunAudit): those
 * deleted, the others, and why they were not (`reason`, or the count that failed).
 */
async function audited(
  ctx: ClusterContext,
  options: { confirmPrune?: number },
  objects: ObjectRef[],
  deleted: ObjectRef[],
  reason: string | undefined,
) {
  const done = new Set(deleted.map(o => `${o.kind}/${o.name}`));
  const notDeleted = objects.filter(o => !done.has(`${o.kind}/${o.name}`));
  const error = reason ?? (notDeleted.length > 0 ? `${notDeleted.length} object(s) could not be pruned; see the apply stage` : undefined);
  await ctx.audit?.pruned({
    fabric: ctx.fabric.name,
    cluster: ctx.client.name,
    runId: ctx.run.id,
    requestedBy: ctx.run.requestedBy,
    deleted,
    notDeleted,
    confirmed: options.confirmPrune,
    error,
  });
}

/**
 * What a prune keeps of the objects Git no longer holds, because their kind's desired
 * state is incomplete (or not known to be complete): per kind the files and the objects
 * kept, one error per kind naming the files, and the short reasons for the run's error.
 * Pure; the apply's prune and the plan (`POST /fabrics/:fabric/plan`) share it.
 */
export function heldBackOf(
  fabricName: string,
  plan: ApplyPlan,
  incomplete: IncompleteKinds | undefined,
): { heldBack: PruneReport['heldBack']; errors: RunError[]; held: string[] } {
  const errors: RunError[] = [];
  const held: string[] = [];
  const keptByKind = new Map<string, number>();
  for (const o of plan.heldBack) keptByKind.set(o.kind, (keptByKind.get(o.kind) ?? 0) + 1);
  const heldBack = Object.entries(incomplete ?? {}).map(([kind, { count, files }]) => ({
    kind,
    files,
    fileCount: count,
    kept: keptByKind.get(kind) ?? 0,
  }));
  if (!incomplete && plan.heldBack.length > 0) {
    errors.push({
      message: `prune held back: no import of fabric ${fabricName} recorded whether its desired state is complete (it was never imported, or by an earlier version), so ${plan.heldBack.length} object(s) that Git does not define were kept; the next sync imports and records it`,
    });
    held.push('the desired state is not known to be complete; sync first');
  }
  // (a kind whose prune would have deleted nothing is only in the report)
  for (const h of heldBack.filter(k => k.kept > 0)) {
    const more = h.fileCount > h.files.length ? ` (+${h.fileCount - h.files.length} more)` : '';
    errors.push({
      message: `prune of ${h.kind} held back: ${h.files.join(', ')}${more} is not part of the desired state (unreadable, invalid or left out; see the sync's findings), so ${h.kept} ${h.kind} object(s) that Git does not define were kept`,
      file: h.files[0],
    });
    held.push(`${h.kind} (${h.files[0]}${h.fileCount > 1 ? ` +${h.fileCount - 1}` : ''})`);
  }
  return { heldBack, errors, held };
}
