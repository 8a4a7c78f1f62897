import { ObjectRef, RunError, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { OwnedElsewhereError, applyChecked } from '../../cluster/checkedWrites';
import { ApplyResultRow } from '../../database/HedgehogStore';
import { ownedElsewhereMessage } from '../../drift/ownership';
import { StageOutcome } from '../RunRecorder';
import { planFabricApply } from './applyInputs';
import { ClusterContext, mapLimit } from './clusterContext';
import { pruneStep } from './pruneStep';
import { Stage } from './stage';

export interface ApplyInput {
  /** Report what would change; nothing is sent or recorded. */
  dryRun?: boolean;
  /** Confirms a prune larger than the fabric's limit: the number of objects it deletes. */
  confirmPrune?: number;
}

export interface Applied {
  /** Objects the API server refused or that belong to another fabric (the run is partial). */
  failed: number;
  /** What keeps the run from succeeding, for its error (objects not applied, a prune held back). */
  problem?: string;
  /** Why the prune was held back (incomplete kinds, a confirmation it awaits); undefined when it was not. */
  pruneHeldBack?: string;
}

/**
 * Applies the fabric's desired state with server-side apply, level by level in
 * dependency order, with bounded concurrency. Unchanged objects get no request;
 * objects with validation errors are never applied; objects another fabric
 * applied are never sent (a conflict naming the owner); one failing object does
 * not stop the others. Only the kinds the fabric manages are listed, applied and pruned. Prunes (opt-in) only objects carrying our label, of kinds
 * whose desired state is complete, and a large prune only when confirmed.
 */
export const applyStage: Stage<ClusterContext, ApplyInput, Applied> = {
  name: 'apply',
  async run(ctx, options) {
    const { client, fabric } = ctx;
    const before = client.requests;
    const { plan, incomplete } = await planFabricApply({ store: ctx.store, client, fabric });
    const listRequests = client.requests - before;

    const results: ApplyResultRow[] = [];
    const errors: RunError[] = [];
    const conflict = (item: ObjectRef, message: string) => {
      results.push({ kind: item.kind, name: item.name, status: 'blocked', error: message });
      errors.push({ message, file: `${item.kind}/${item.name}` });
    };
    for (const [i, level] of plan.levels.entries()) {
      // A run that lost the fabric's lock sends nothing more (another replica's run may be applying).
      if (!options.dryRun) ctx.recorder.throwIfLockLost(`level ${i + 1} of ${plan.levels.length} of the apply`);
      await mapLimit(level, ctx.concurrency, async item => {
        try {
          const applied = await applyChecked(client, findKind(item.kind)!, item.object, {
            fabric: fabric.name,
            resourceVersion: item.resourceVersion,
            dryRun: options.dryRun,
          });
          results.push({ kind: item.kind, name: item.name, status: 'applied', live: applied });
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          if (e instanceof OwnedElsewhereError) {
            conflict(item, message);
            return;
          }
          results.push({ kind: item.kind, name: item.name, status: 'failed', error: message });
          errors.push({ message, file: `${item.kind}/${item.name}` });
        }
      });
    }
    for (const c of plan.conflicts) conflict(c, ownedElsewhereMessage(c.kind, c.name, c.owner, fabric.name));
    for (const u of plan.unchanged) {
      results.push({ kind: u.kind, name: u.name, status: 'unchanged', live: u.live });
    }
    for (const b of plan.blocked) {
      results.push({ kind: b.kind, name: b.name, status: 'blocked', error: b.reason });
    }
    const failed = errors.length;
    const prune = fabric.prune ? await pruneStep(ctx, plan, incomplete, options) : undefined;
    errors.push(...(prune?.errors ?? []));
    if (!options.dryRun) await ctx.store.recordApply(fabric.name, results);
    const count = (s: string) => results.filter(r => r.status === s).length;
    const conflicts = failed - count('failed');
    const outcome: StageOutcome = {
      status: errors.length > 0 ? 'partial' : 'succeeded',
      counts: {
        applied: count('applied'),
        unchanged: count('unchanged'),
        blocked: count('blocked') - conflicts,
        failed: count('failed'),
        ownedElsewhere: conflicts,
        pruned: prune?.pruned ?? 0,
        ...(prune ? { toPrune: prune.report.total, pruneHeldBack: plan.heldBack.length } : {}),
        listRequests,
        applyRequests: client.requests - before - listRequests,
      },
      errors,
      message: options.dryRun ? dryRunMessage(plan.levels.flat(), prune?.report.objects ?? [], prune?.report.total ?? 0) : undefined,
      ...(prune ? { prune: prune.report } : {}),
    };
    const problems = [
      failed > 0 ? `${failed} object(s) could not be applied` : undefined,
      prune?.failed ? `${prune.failed} object(s) could not be pruned` : undefined,
      prune?.heldBack,
    ].filter(Boolean);
    return {
      outcome,
      output: {
        failed,
        problem: problems.length > 0 ? `${problems.join('; ')}; see the apply stage` : undefined,
        pruneHeldBack: prune?.heldBack,
      },
    };
  },
};

function dryRunMessage(changed: ObjectRef[], pruned: ObjectRef[], total: number): string {
  const list = (refs: ObjectRef[], count: number, max: number) => {
    const names = refs.slice(0, max).map(i => `${i.kind}/${i.name}`);
    return names.length ? `: ${names.join(', ')}${count > names.length ? ', ...' : ''}` : '';
  };
  const prune = total ? `; ${total} would be pruned${list(pruned, total, 50)}` : '';
  return `dry run: ${changed.length} object(s) would change${list(changed, changed.length, 20)}${prune}`;
}
