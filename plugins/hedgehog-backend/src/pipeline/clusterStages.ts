import { HEDGEHOG_KINDS, RunError, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterClient } from '../cluster/ClusterClient';
import { planApply } from '../cluster/applyPlan';
import { ApplyResultRow, HedgehogStore } from '../database/HedgehogStore';
import { classifyDrift } from '../drift/classifyDrift';
import { RunRecorder } from './RunRecorder';

export interface ClusterStageContext {
  fabric: FabricDefinition;
  store: HedgehogStore;
  client: ClusterClient;
  recorder: RunRecorder;
  concurrency: number;
}

/** Every Hedgehog object in the cluster: one paginated LIST per kind. */
export async function listLive(client: ClusterClient): Promise<Array<Record<string, any>>> {
  const lists = await Promise.all(HEDGEHOG_KINDS.map(k => client.list(k)));
  return lists.flat();
}

/**
 * Applies the fabric's desired state with server-side apply, level by level in
 * dependency order, with bounded concurrency. Unchanged objects get no request;
 * objects with validation errors are never applied; one failing object does not
 * stop the others. Prunes (opt-in) only objects carrying our label.
 */
export async function applyStage(ctx: ClusterStageContext, options: { dryRun?: boolean }) {
  let failed = 0;
  await ctx.recorder.stage('apply', async () => {
    const { client, fabric } = ctx;
    const before = client.requests;
    const desired = await ctx.store.listDesired(fabric.name);
    const live = await listLive(client);
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
    failed = errors.length;
    const count = (s: string) => results.filter(r => r.status === s).length;
    const changed = plan.levels.flat().map(i => `${i.kind}/${i.name}`);
    return {
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
      message: options.dryRun
        ? `dry run: ${changed.length} object(s) would change${changed.length ? `: ${changed.slice(0, 20).join(', ')}${changed.length > 20 ? ', ...' : ''}` : ''}${plan.prune.flat().length ? `; ${plan.prune.flat().length} would be pruned` : ''}`
        : undefined,
    };
  });
  return { failed };
}

/**
 * Compares Git with the cluster (one paginated LIST per kind) and stores each
 * resource's drift. When the cluster cannot be read, every resource's drift
 * becomes `unknown` and the stage fails with the reason.
 */
export async function driftStage(ctx: ClusterStageContext) {
  await ctx.recorder.stage('drift', async () => {
    const before = ctx.client.requests;
    const desired = await ctx.store.listDesired(ctx.fabric.name);
    let live;
    try {
      live = await listLive(ctx.client);
    } catch (e) {
      await ctx.store.markDriftUnknown(ctx.fabric.name);
      throw e;
    }
    const entries = classifyDrift(desired, live);
    await ctx.store.recordDrift(ctx.fabric.name, entries);
    const counts: Record<string, number> = {
      in_sync: 0,
      drifted: 0,
      missing_in_cluster: 0,
      orphaned_in_cluster: 0,
      listRequests: ctx.client.requests - before,
    };
    for (const e of entries) counts[e.status] = (counts[e.status] ?? 0) + 1;
    return { counts };
  });
}

/** Runs `fn` over the items with at most `limit` at once; results in the items' order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
