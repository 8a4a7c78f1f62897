import { HEDGEHOG_KINDS, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { diffResource } from '../drift/diff';
import { APPLIED_BY_LABEL } from '../drift/normalizeObject';
import { appliedBy, ownedElsewhere } from '../drift/ownership';

export interface DesiredForApply {
  kind: string;
  name: string;
  object: Record<string, any>;
  /** Error findings of validation: such a resource is never applied. */
  errors: number;
  /** Why the resource must not be applied (beyond validation errors), if anything. */
  blockedReason?: string;
}

/** An object to apply; `resourceVersion` of the live object it was checked against, when there is one. */
export interface PlannedWrite {
  kind: string;
  name: string;
  object: Record<string, any>;
  resourceVersion?: string;
}

/** An object to prune, with the resourceVersion it was listed with. */
export interface PlannedDelete {
  kind: string;
  name: string;
  resourceVersion?: string;
}

export interface ApplyPlan {
  /** Objects to apply, in dependency order: each level after the previous one. */
  levels: PlannedWrite[][];
  unchanged: Array<{ kind: string; name: string; live: Record<string, any> }>;
  blocked: Array<{ kind: string; name: string; reason: string }>;
  /** Desired objects whose live object another fabric applied: never sent. */
  conflicts: Array<{ kind: string; name: string; owner: string }>;
  /** Objects this plugin applied that are no longer in Git, in reverse dependency order. */
  prune: PlannedDelete[][];
  /** Objects this fabric applied that left Git, of kinds whose desired state is incomplete: kept. */
  heldBack: Array<{ kind: string; name: string }>;
  /** The fabric's objects in the cluster (labelled for it). */
  owned: number;
}

/**
 * Plans an apply (docs/hedgehog.md#apply-order, docs/architecture.md#invariants): what to
 * send in which order, what is unchanged (no request), what is blocked by
 * validation errors or belongs to another fabric, and what to prune. Prune takes
 * only objects labelled for this fabric that Git no longer holds, and nothing of
 * a kind whose desired state is incomplete. Pure.
 */
export function planApply(options: {
  fabric: string;
  desired: DesiredForApply[];
  live: Array<Record<string, any>>;
  prune: boolean;
  /** Kinds some managed file of which is not part of the desired state. */
  incompleteKinds?: ReadonlySet<string>;
}): ApplyPlan {
  const { fabric } = options;
  const liveByKey = new Map(options.live.map(o => [`${o.kind}/${o.metadata?.name}`, o]));
  const order = [...new Set(HEDGEHOG_KINDS.map(k => k.applyOrder))].sort((a, b) => a - b);
  const levels = order.map(() => [] as PlannedWrite[]);
  const plan: ApplyPlan = { levels: [], unchanged: [], blocked: [], conflicts: [], prune: [], heldBack: [], owned: 0 };
  const desiredKeys = new Set<string>();

  for (const d of options.desired) {
    const kind = findKind(d.kind);
    desiredKeys.add(`${d.kind}/${d.name}`);
    if (!kind) continue;
    const live = liveByKey.get(`${d.kind}/${d.name}`);
    const owner = ownedElsewhere(live, fabric);
    if (owner) {
      plan.conflicts.push({ kind: d.kind, name: d.name, owner });
      continue;
    }
    if (d.errors > 0 || d.blockedReason) {
      plan.blocked.push({
        kind: d.kind,
        name: d.name,
        reason: d.blockedReason ?? `not applied: ${d.errors} validation error(s)`,
      });
      continue;
    }
    const object = withAppliedLabel(d.object, fabric);
    if (live && appliedBy(live) === fabric && diffResource(object, live).differences.length === 0) {
      plan.unchanged.push({ kind: d.kind, name: d.name, live });
      continue;
    }
    const resourceVersion: string | undefined = live?.metadata?.resourceVersion;
    levels[order.indexOf(kind.applyOrder)].push({ kind: d.kind, name: d.name, object, ...(resourceVersion ? { resourceVersion } : {}) });
  }
  plan.levels = levels.filter(l => l.length > 0);

  const byLevel = new Map<number, PlannedDelete[]>();
  for (const o of options.live) {
    const kind = findKind(o.kind);
    if (!kind || appliedBy(o) !== fabric) continue;
    plan.owned++;
    if (!options.prune || desiredKeys.has(`${o.kind}/${o.metadata.name}`)) continue;
    if (options.incompleteKinds?.has(o.kind)) {
      plan.heldBack.push({ kind: o.kind, name: o.metadata.name });
      continue;
    }
    const resourceVersion: string | undefined = o.metadata.resourceVersion;
    byLevel.set(kind.applyOrder, [...(byLevel.get(kind.applyOrder) ?? []), { kind: o.kind, name: o.metadata.name, ...(resourceVersion ? { resourceVersion } : {}) }]);
  }
  plan.prune = [...byLevel.entries()].sort((a, b) => b[0] - a[0]).map(([, items]) => items);
  return plan;
}

/** The object as applied: the desired object plus the label that marks our objects. */
export function withAppliedLabel(object: Record<string, any>, fabric: string): Record<string, any> {
  const metadata = object.metadata ?? {};
  return {
    ...object,
    metadata: { ...metadata, labels: { ...(metadata.labels ?? {}), [APPLIED_BY_LABEL]: fabric } },
  };
}
