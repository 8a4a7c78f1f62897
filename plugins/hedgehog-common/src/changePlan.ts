/* What an apply would do (`POST /fabrics/:fabric/plan`), and how the UI groups it. */

/** What an apply does with one object. @public */
export const PLAN_ACTIONS = ['create', 'update', 'delete', 'blocked', 'conflict'] as const;

/** @public */
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/** One field an update changes: its value in the cluster (`from`) and the one applied (`to`); absent: no value. @public */
export interface PlanChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

/** One object of a plan. @public */
export interface PlanItem {
  kind: string;
  name: string;
  action: PlanAction;
  /** The field-level changes of an update (at most `PLAN_MAX_CHANGES`; `changeTotal` counts them all). */
  changes: PlanChange[];
  /** How many changes the update has, when `changes` is cut. */
  changeTotal?: number;
  /** Why: the validation finding that blocks it, the fabric that owns it, a delete that needs a confirmation. */
  reason?: string;
}

/** The prune part of a plan, as the apply's prune policy decides it. @public */
export interface PlanPrune {
  /** Whether the fabric prunes at all (`prune: true`). */
  enabled: boolean;
  /** Objects the prune deletes. */
  total: number;
  /** The fabric's objects in the cluster (labelled for it). */
  owned: number;
  /** The share of `owned` a prune may delete without a confirmation. */
  limit: number;
  /** The prune is larger than the limit: the apply needs `{"confirmPrune": total}`. */
  confirmationRequired: boolean;
  /** Objects Git no longer holds that are kept because their kind's desired state is incomplete. */
  heldBack: number;
  /** Why they are kept, when some are. */
  heldBackReason?: string;
}

/** A branch or pull request of the fabric's repository to plan instead of its imported state. @public */
export type PlanTarget = { branch: string } | { pullRequest: number };

/** What an apply of the fabric's current desired state (or of a branch's or pull request's head) would do. @public */
export interface FabricPlan {
  /** The commit whose desired state is planned (the last import's, or the head of `target`). */
  commit?: string;
  /** The branch or pull request planned, when not the imported state. */
  target?: PlanTarget;
  /** The cluster planned against. */
  cluster: string;
  items: PlanItem[];
  /** Exact counts per action, also when `items` is cut. */
  counts: Record<PlanAction, number>;
  /** Objects the apply leaves alone (they already match). */
  unchanged: number;
  /** How many items the plan has in all (`items` holds at most `PLAN_MAX_ITEMS`). */
  totalItems: number;
  prune: PlanPrune;
}

/** The most items a plan lists (its counts are exact). @public */
export const PLAN_MAX_ITEMS = 2000;
/** The most changes an item of a plan lists. @public */
export const PLAN_MAX_CHANGES = 50;

/** A plan's items of one kind, with their counts. @public */
export interface PlanKindGroup {
  kind: string;
  items: PlanItem[];
  counts: Record<PlanAction, number>;
}

/** Counts of zero for every action. @public */
export function emptyPlanCounts(): Record<PlanAction, number> {
  return { create: 0, update: 0, delete: 0, blocked: 0, conflict: 0 };
}

/** The items grouped by kind, kinds in the order they first appear (the apply's order). Pure. @public */
export function groupPlanByKind(items: PlanItem[]): PlanKindGroup[] {
  const groups = new Map<string, PlanKindGroup>();
  for (const item of items) {
    let group = groups.get(item.kind);
    if (!group) {
      group = { kind: item.kind, items: [], counts: emptyPlanCounts() };
      groups.set(item.kind, group);
    }
    group.items.push(item);
    group.counts[item.action]++;
  }
  return [...groups.values()];
}
