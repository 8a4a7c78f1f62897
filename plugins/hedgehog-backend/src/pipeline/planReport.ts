import {
  FabricPlan,
  PLAN_MAX_CHANGES,
  PLAN_MAX_ITEMS,
  PlanItem,
  emptyPlanCounts,
} from '@fabric-gitops/plugin-hedgehog-common';
import { decidePrune } from '../cluster/prunePolicy';
import { diffResource } from '../drift/diff';
import { ownedElsewhereMessage } from '../drift/ownership';
import { PlannedApply } from './stages/applyInputs';
import { heldBackOf } from './stages/pruneStep';

/**
 * The plan of an apply as `POST /fabrics/:fabric/plan` answers it: the objects the
 * apply sends (create: not in the cluster; update: with the field-level changes of the
 * drift diff, from the live value to the applied one), those it refuses (blocked by
 * validation or not hydrated; conflict: another fabric's), and those its prune deletes,
 * decided by the prune policy (a delete that needs `confirmPrune` says so). Items in
 * the apply's order, at most `PLAN_MAX_ITEMS`, counts exact. Pure.
 */
export function planReport(options: {
  fabric: string;
  cluster: string;
  planned: PlannedApply;
  prune: boolean;
  /** The share of the fabric's objects a prune may delete unconfirmed (the fabric's, else the plugin's). */
  pruneLimit: number;
}): FabricPlan {
  const { fabric, planned } = options;
  const { plan } = planned;
  const liveByKey = new Map(planned.live.map(o => [`${o.kind}/${o.metadata?.name}`, o]));
  const counts = emptyPlanCounts();
  const items: PlanItem[] = [];
  const add = (item: PlanItem) => {
    counts[item.action]++;
    if (items.length < PLAN_MAX_ITEMS) items.push(item);
  };

  for (const w of plan.levels.flat()) {
    const live = liveByKey.get(`${w.kind}/${w.name}`);
    if (!live) {
      add({ kind: w.kind, name: w.name, action: 'create', changes: [] });
      continue;
    }
    const differences = diffResource(w.object, live).differences;
    const changes = differences.slice(0, PLAN_MAX_CHANGES).map(d => ({
      path: d.path,
      ...('actual' in d ? { from: d.actual } : {}),
      ...('desired' in d ? { to: d.desired } : {}),
    }));
    add({
      kind: w.kind,
      name: w.name,
      action: 'update',
      changes,
      ...(differences.length > changes.length ? { changeTotal: differences.length } : {}),
    });
  }
  for (const c of plan.conflicts) {
    add({ kind: c.kind, name: c.name, action: 'conflict', changes: [], reason: ownedElsewhereMessage(c.kind, c.name, c.owner, fabric) });
  }
  for (const b of plan.blocked) add({ kind: b.kind, name: b.name, action: 'blocked', changes: [], reason: b.reason });

  const deletes = plan.prune.flat();
  const decision = decidePrune({ fabric, count: deletes.length, owned: plan.owned, limit: options.pruneLimit });
  const confirm = decision.confirmationRequired
    ? `the apply deletes it only when confirmed with {"confirmPrune": ${deletes.length}}`
    : undefined;
  for (const d of deletes) {
    add({ kind: d.kind, name: d.name, action: 'delete', changes: [], reason: `no longer in Git${confirm ? `; ${confirm}` : ''}` });
  }
  const held = options.prune ? heldBackOf(fabric, plan, planned.incomplete) : undefined;
  return {
    ...(planned.state?.lastSyncedCommit ? { commit: planned.state.lastSyncedCommit } : {}),
    cluster: options.cluster,
    items,
    counts,
    unchanged: plan.unchanged.length,
    totalItems: Object.values(counts).reduce((a, b) => a + b, 0),
    prune: {
      enabled: options.prune,
      total: deletes.length,
      owned: plan.owned,
      limit: options.pruneLimit,
      confirmationRequired: decision.confirmationRequired,
      heldBack: plan.heldBack.length,
      ...(held && held.errors.length > 0 ? { heldBackReason: held.errors.map(e => e.message).join('; ') } : {}),
    },
  };
}
