import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  hedgehogFabricReadPermission,
  RUN_STAGES,
  RUN_STATUSES,
  RUN_TRIGGERS,
  RUN_TYPES,
  RunDetail,
  RunStage,
  STAGE_STATUSES,
} from '@fabric-gitops/plugin-hedgehog-common';
import { ActionDeps } from './actionDeps';
import { firstOf } from './bounded';
import { ActionZod, findingSchema } from './fabricSchema';

/** The most errors per stage, prune objects per stage and findings one answer lists (their totals count them all). */
export const RUN_MAX_STAGE_ERRORS = 20;
export const RUN_MAX_PRUNE_OBJECTS = 20;
export const RUN_MAX_FINDINGS = 50;

/**
 * `hedgehog:get-run`: one run with its stages, outcome and counts, as `GET /runs/:id`
 * answers it (permission `hedgehog.fabric.read` on the run's fabric: denied outright,
 * refused before the run is looked up), its lists bounded.
 */
export function registerGetRunAction(registry: ActionsRegistryService, deps: ActionDeps) {
  registry.register({
    name: 'get-run',
    title: 'Get a run of a Hedgehog fabric',
    description: [
      'One run of a Hedgehog fabric (a sync, apply, drift check or restore) by the run id that request-sync,',
      'request-apply and request-drift-check return: its `status` (`queued`, `running`, then `succeeded`, `partial`',
      'or `failed`), its `error`, the commits before and after, and each stage (fetch, plan, ingest, validate, commit,',
      'import, apply, drift) with its status, counts (e.g. applied, unchanged, blocked, failed, pruned for apply;',
      'drift statuses for drift), first errors and, for an apply of a fabric that prunes, what it deleted or would',
      'delete. Also the run\'s first validation findings with exact totals. Poll it until `status` is no longer',
      '`queued` or `running`. Lists are cut (see the `...Total` fields). Read-only.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          runId: z.string().regex(/^[0-9a-fA-F-]{36}$/).describe('The run id (a UUID)'),
        }),
      output: z => z.object({ run: runSchema(z) }),
    },
    action: async ({ input, credentials }) => {
      // as GET /runs/:id: the policy first, then the run, then the permission on its fabric
      const decisions = await deps.authorizer.decide(credentials, [hedgehogFabricReadPermission]);
      const run = await deps.service.getRun(input.runId.toLowerCase());
      decisions.require(run.fabric);
      return { output: { run: boundedRun(run) } };
    },
  });
}

function runSchema(z: ActionZod) {
  const count = z.number();
  return z.object({
    id: z.string(),
    fabric: z.string(),
    type: z.enum(RUN_TYPES),
    trigger: z.enum(RUN_TRIGGERS),
    requestedBy: z.string().optional().describe('Who asked for the run'),
    status: z.enum(RUN_STATUSES),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    commitBefore: z.string().optional(),
    commitAfter: z.string().optional(),
    error: z.string().optional().describe('Why the run failed or is partial'),
    stages: z
      .array(
        z.object({
          name: z.enum(RUN_STAGES),
          status: z.enum(STAGE_STATUSES),
          startedAt: z.string(),
          finishedAt: z.string().optional(),
          counts: z.record(count).describe("The stage's counts, e.g. applied, unchanged, blocked, failed, pruned"),
          errors: z
            .array(z.object({ message: z.string(), file: z.string().optional(), document: z.number().optional(), path: z.string().optional() }))
            .max(RUN_MAX_STAGE_ERRORS),
          errorTotal: count.describe('How many errors the stage had, also those left out of the list'),
          message: z.string().optional().describe('Why the stage was skipped or ended the run early'),
          prune: z
            .object({
              objects: z.array(z.object({ kind: z.string(), name: z.string() })).max(RUN_MAX_PRUNE_OBJECTS),
              total: count.describe('Objects deleted, or that would be deleted'),
              deleted: z.boolean().describe('Whether they were deleted (false in a dry run or when held back)'),
              confirmationRequired: z.boolean().describe('The prune waits for request-apply with confirmPrune: total'),
              heldBack: count.describe('Objects kept because their kind\'s desired state is incomplete'),
            })
            .optional(),
        }),
      )
      .max(RUN_STAGES.length),
    findings: z.array(findingSchema(z)).max(RUN_MAX_FINDINGS).describe("The run's first validation findings"),
    findingCount: count.describe('How many findings the run has in all'),
    findingTotals: z.object({ errors: count, warnings: count, new: count.optional() }).optional(),
    coalescedRequests: count.describe('Requests that joined this run while it was queued'),
  });
}

/** The run as the action answers it: its lists cut, the counts of what was cut kept. Pure. */
export function boundedRun(run: RunDetail) {
  return {
    ...run,
    stages: run.stages.map(boundedStage),
    findings: firstOf(run.findings ?? [], RUN_MAX_FINDINGS).items,
    findingCount: run.findingCount ?? run.findings?.length ?? 0,
    ...(run.findingTotals
      ? { findingTotals: { errors: run.findingTotals.errors, warnings: run.findingTotals.warnings, new: run.findingTotals.new } }
      : {}),
    coalescedRequests: run.coalesced?.length ?? 0,
  };
}

function boundedStage(stage: RunStage) {
  const { prune } = stage;
  return {
    ...stage,
    errors: firstOf(stage.errors, RUN_MAX_STAGE_ERRORS).items,
    errorTotal: stage.errorTotal ?? stage.errors.length,
    prune: prune && {
      objects: firstOf(prune.objects, RUN_MAX_PRUNE_OBJECTS).items,
      total: prune.total,
      deleted: prune.deleted,
      confirmationRequired: prune.confirmationRequired,
      heldBack: prune.heldBack.reduce((n, h) => n + h.kept, 0),
    },
  };
}
