import { DRIFT_STATUSES } from '@fabric-gitops/plugin-hedgehog-common';
import { classifyDrift } from '../../drift/classifyDrift';
import { DriftTransition, fabricDriftState } from '../../drift/fabricDrift';
import { fabricScope } from '../fabricScope';
import { ClusterContext } from './clusterContext';
import { Stage } from './stage';

/**
 * Compares Git with the cluster (one paginated LIST per kind the fabric manages) and stores each
 * resource's drift. When the cluster cannot be read, every resource's drift
 * becomes `unknown` and the stage fails with the reason. Its output is the fabric's
 * drift before and after the check (a fabric that drifts is told once per episode).
 */
export const driftStage: Stage<ClusterContext, void, DriftTransition> = {
  name: 'drift',
  async run(ctx) {
    const before = ctx.client.requests;
    // Only the kinds the fabric manages: objects of other kinds are neither drifted nor orphaned here.
    const { kinds } = fabricScope(ctx.fabric, await ctx.store.getFabricState(ctx.fabric.name));
    // The LISTs first, then the desired state is read while the API server answers them.
    const listed = ctx.client.listManaged(kinds);
    const stored = ctx.store.listDesired(ctx.fabric.name);
    // awaited below; a failure of either must not go unhandled while the other is awaited
    stored.catch(() => {});
    let live;
    try {
      live = await listed;
    } catch (e) {
      await ctx.store.markDriftUnknown(ctx.fabric.name);
      throw e;
    }
    const desired = (await stored).filter(d => kinds.includes(d.kind));
    const entries = classifyDrift(desired, live, ctx.fabric.name);
    const driftBefore = fabricDriftState(await ctx.store.driftCounts(ctx.fabric.name));
    await ctx.store.recordDrift(ctx.fabric.name, entries);
    // every status a check can find (unknown is only ever set when the cluster cannot be read)
    const counts: Record<string, number> = Object.fromEntries(
      DRIFT_STATUSES.filter(s => s !== 'unknown').map(s => [s, 0]),
    );
    counts.listRequests = ctx.client.requests - before;
    for (const e of entries) counts[e.status] = (counts[e.status] ?? 0) + 1;
    const found = Object.fromEntries(DRIFT_STATUSES.map(s => [s, counts[s] ?? 0]));
    return { outcome: { counts }, output: { before: driftBefore, after: fabricDriftState(found), counts: found } };
  },
};
