import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { FabricPlan, hedgehogFabricReadPermission, PLAN_ACTIONS } from '@fabric-gitops/plugin-hedgehog-common';
import { ActionDeps, admitLiveRead, authorizedFabric } from './actionDeps';
import { boundedValue, firstOf } from './bounded';
import { fabricNameSchema } from './fabricSchema';

/** The most objects, and changes per object, one plan lists (its counts are exact). */
export const PLAN_APPLY_MAX_ITEMS = 100;
export const PLAN_APPLY_MAX_CHANGES = 10;
/** The longest JSON a changed value keeps. */
const MAX_VALUE_CHARS = 500;

/**
 * `hedgehog:plan-apply`: what an apply of the fabric's desired state would do in its
 * cluster, as `POST /fabrics/:fabric/plan` answers it for the imported state
 * (permission `hedgehog.fabric.read` on the fabric; counted as a live read: it lists
 * the cluster). Nothing is changed and no run is queued.
 */
export function registerPlanApplyAction(registry: ActionsRegistryService, deps: ActionDeps) {
  registry.register({
    name: 'plan-apply',
    title: "Plan an apply of a Hedgehog fabric's desired state",
    description: [
      "What request-apply would do now in one Hedgehog fabric's Kubernetes cluster, planned against the cluster's",
      "objects (the fabric's desired state from its last sync): the objects it would `create`, `update` (with the",
      'field-level changes, `from` the cluster `to` Git), `delete` (prune of objects Git no longer holds), and those',
      'it leaves out: `blocked` by validation findings, `conflict` with another fabric\'s object (with the `reason`).',
      '`counts` are exact; `items` lists the first objects. `prune.confirmationRequired` means request-apply needs',
      '`confirmPrune: prune.total`. Use it before request-apply and to answer "what would an apply change?".',
      'Nothing is changed and no run is queued. Fails for a fabric without a cluster, or when the cluster cannot be reached.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ fabric: fabricNameSchema(z) }),
      output: z => {
        const count = z.number();
        return z.object({
          fabric: z.string(),
          cluster: z.string().describe('The cluster planned against'),
          commit: z.string().optional().describe('The commit whose desired state is planned'),
          counts: z.record(z.enum(PLAN_ACTIONS), count).describe('Objects per action, exact'),
          unchanged: count.describe('Objects the apply leaves alone: they already match'),
          totalItems: count.describe('How many objects the plan has, also those left out of `items`'),
          items: z
            .array(
              z.object({
                kind: z.string(),
                name: z.string(),
                action: z.enum(PLAN_ACTIONS),
                changes: z
                  .array(z.object({ path: z.string(), from: z.unknown().optional(), to: z.unknown().optional() }))
                  .max(PLAN_APPLY_MAX_CHANGES),
                changeTotal: count.describe('How many fields the update changes, also those left out of `changes`'),
                reason: z.string().optional().describe('Why it is blocked, a conflict, or a delete that waits for a confirmation'),
              }),
            )
            .max(PLAN_APPLY_MAX_ITEMS),
          prune: z.object({
            enabled: z.boolean().describe('Whether the fabric prunes at all'),
            total: count.describe('Objects the prune deletes'),
            owned: count.describe("The fabric's objects in the cluster"),
            limit: count.describe('The share of `owned` a prune may delete without a confirmation (0.1 = 10%)'),
            confirmationRequired: z.boolean(),
            heldBack: count.describe("Objects Git no longer holds, kept because their kind's desired state is incomplete"),
            heldBackReason: z.string().optional(),
          }),
        });
      },
    },
    action: async ({ input, credentials }) => {
      const fabric = await authorizedFabric(deps, credentials, input.fabric, hedgehogFabricReadPermission);
      admitLiveRead(deps.service, credentials);
      return { output: { fabric, ...boundedPlan(await deps.service.plan(fabric)) } };
    },
  });
}

/** The plan as the action answers it: its items and their changes cut, their totals kept. Pure. */
export function boundedPlan(plan: FabricPlan) {
  return {
    cluster: plan.cluster,
    commit: plan.commit,
    counts: plan.counts,
    unchanged: plan.unchanged,
    totalItems: plan.totalItems,
    items: firstOf(plan.items, PLAN_APPLY_MAX_ITEMS).items.map(item => ({
      kind: item.kind,
      name: item.name,
      action: item.action,
      changes: firstOf(item.changes, PLAN_APPLY_MAX_CHANGES).items.map(c => ({
        path: c.path,
        from: boundedValue(c.from, MAX_VALUE_CHARS),
        to: boundedValue(c.to, MAX_VALUE_CHARS),
      })),
      changeTotal: item.changeTotal ?? item.changes.length,
      reason: item.reason,
    })),
    prune: plan.prune,
  };
}
