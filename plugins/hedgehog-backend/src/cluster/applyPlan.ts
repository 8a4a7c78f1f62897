import { HEDGEHOG_KINDS, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { diffResource } from '../drift/diff';
import { APPLIED_BY_LABEL } from '../drift/normalizeObject';

export interface DesiredForApply {
  kind: string;
  name: string;
  object: Record<string, any>;
  /** Error findings of validation: such a resource is never applied. */
  errors: number;
  /** Why the resource must not be applied (beyond validation errors), if anything. */
  blockedReason?: string;
}

export interface ApplyPlan {
  /** Objects to apply, in dependency order: each level after the previous one. */
  levels: Array<Array<{ kind: string; name: string; object: Record<string, any> }>>;
  unchanged: Array<{ kind: string; name: string; live: Record<string, any> }>;
  blocked: Array<{ kind: string; name: string; reason: string }>;
  /** Objects this plugin applied that are no longer in Git, in reverse dependency order. */
  prune: Array<Array<{ kind: string; name: string }>>;
}

/**
 * Plans an apply (docs/hedgehog.md#apply-order): what to send in
 * which order, what is unchanged (no request), what is blocked by validation
 * errors, and what to prune. Pure.
 */
export function planApply(options: {
  fabric: string;
  desired: DesiredForApply[];
  live: Array<Record<string, any>>;
  prune: boolean;
}): ApplyPlan {
  const liveByKey = new Map(options.live.map(o => [`${o.kind}/${o.metadata?.name}`, o]));
  const order = [...new Set(HEDGEHOG_KINDS.map(k => k.applyOrder))].sort((a, b) => a - b);
  const levels = order.map(() => [] as ApplyPlan['levels'][number]);
  const plan: ApplyPlan = { levels: [], unchanged: [], blocked: [], prune: [] };
  const desiredKeys = new Set<string>();

  for (const d of options.desired) {
    const kind = findKind(d.kind);
    desiredKeys.add(`${d.kind}/${d.name}`);
    if (!kind) continue;
    if (d.errors > 0 || d.blockedReason) {
      plan.blocked.push({
        kind: d.kind,
        name: d.name,
        reason: d.blockedReason ?? `not applied: ${d.errors} validation error(s)`,
      });
      continue;
    }
    const object = withAppliedLabel(d.object, options.fabric);
    const live = liveByKey.get(`${d.kind}/${d.name}`);
    if (live && live.metadata?.labels?.[APPLIED_BY_LABEL] === options.fabric && diffResource(object, live).differences.length === 0) {
      plan.unchanged.push({ kind: d.kind, name: d.name, live });
      continue;
    }
    levels[order.indexOf(kind.applyOrder)].push({ kind: d.kind, name: d.name, object });
  }
  plan.levels = levels.filter(l => l.length > 0);

  if (options.prune) {
    const byLevel = new Map<number, Array<{ kind: string; name: string }>>();
    for (const o of options.live) {
      const kind = findKind(o.kind);
      if (!kind || o.metadata?.labels?.[APPLIED_BY_LABEL] !== options.fabric) continue;
      if (desiredKeys.has(`${o.kind}/${o.metadata.name}`)) continue;
      byLevel.set(kind.applyOrder, [...(byLevel.get(kind.applyOrder) ?? []), { kind: o.kind, name: o.metadata.name }]);
    }
    plan.prune = [...byLevel.entries()].sort((a, b) => b[0] - a[0]).map(([, items]) => items);
  }
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
