import { RunError, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { planApply } from '../../cluster/applyPlan';
import { ApplyResultRow } from '../../database/HedgehogStore';
import { StageOutcome } from '../RunRecorder';
import { ClusterContext, mapLimit } from './clusterContext';
import { Stage } from './stage';

export interface ApplyInput {
  /** Report what would change; nothing is sent or recorded. */
  dryRun?: boolean;
}

export interface Applied {
  /** Objects the API server refused (the run is partial). */
  failed: number;
}

/**
 * Applies the fabric's desired state with server-side apply, level by level in
 * dependency order, with bounded concurrency. Unchanged objects get no request;
 * objects with validation errors are never applied; one failing object does not
 * stop the others. Prunes (opt-in) only objects carrying our label.
 */
export const applyStage: Stage<ClusterContext, ApplyInput, Applied> = {
  name: 'apply',
  async run(ctx, options) {
    const { client, fabric } = ctx;
    const before = client.requests;
    const desired = await ctx.store.listDesired(fabric.name);
    const live = await client.listManaged();
    const listRequests = client.requests - before;
    const plan = planApply({ fabric: fabric.name, desired, live, prune: fabric.prune });

    const results: ApplyResultRow[] = [];
    const errors: RunError[] = [];
    for (const level of plan.levels) {
      await mapLimit(level, ctx.concurrency, async item => {
        try {
          const applied = await client.apply(findKind(item.kind)!, item.object, options);
          results.push({ kind: item.kind, name: item.name, status: 'applied', live: applied });
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          results.push({ kind: item.kind, name: item.name, status: 'failed', error: message });
          errors.push({ message, file: `${item.kind}/${item.name}` });
        }
      });
    }
    for (const u of plan.unchanged) {
      results.push({ kind: u.kind, name: u.name, status: 'unchanged', live: u.live });
    }
    for (const b of plan.blocked) {
      results.push({ kind: b.kind, name: b.name, status: 'blocked', error: b.reason });
    }
    let pruned = 0;
    for (const level of plan.prune) {
      // Levels one after another (dependents first), objects of a level at once.
      const outcomes = await mapLimit(level, ctx.concurrency, async (item): Promise<RunError | undefined> => {
        try {
          await client.delete(findKind(item.kind)!, item.name, options);
          return undefined;
        } catch (e) {
          return { message: e instanceof Error ? e.message : String(e), file: `${item.kind}/${item.name}` };
        }
      });
      pruned += outcomes.filter(o => o === undefined).length;
      errors.push(...outcomes.filter((o): o is RunError => o !== undefined));
    }
    if (!options.dryRun) await ctx.store.recordApply(fabric.name, results);
    const count = (s: string) => results.filter(r => r.status === s).length;
    const outcome: StageOutcome = {
      status: errors.length > 0 ? 'partial' : 'succeeded',
      counts: {
        applied: count('applied'),
        unchanged: count('unchanged'),
        blocked: count('blocked'),
        failed: count('failed'),
        pruned,
        listRequests,
        applyRequests: client.requests - before - listRequests,
      },
      errors,
      message: options.dryRun ? dryRunMessage(plan.levels.flat(), plan.prune.flat().length) : undefined,
    };
    return { outcome, output: { failed: errors.length } };
  },
};

function dryRunMessage(changed: Array<{ kind: string; name: string }>, pruned: number): string {
  const names = changed.map(i => `${i.kind}/${i.name}`);
  const list = names.length ? `: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''}` : '';
  return `dry run: ${names.length} object(s) would change${list}${pruned ? `; ${pruned} would be pruned` : ''}`;
}
