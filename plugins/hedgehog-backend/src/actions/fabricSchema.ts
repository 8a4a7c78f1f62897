import { DRIFT_STATUSES, FABRIC_STATUSES } from '@fabric-gitops/plugin-hedgehog-common';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';

/** The zod the actions registry hands to an action's schemas. */
export type ActionZod = Parameters<Parameters<ActionsRegistryService['register']>[0]['schema']['input']>[0];

/** The `fabric` input of the fabric actions: a fabric name (list-fabrics gives them). */
export function fabricNameSchema(z: ActionZod) {
  return z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
    .describe('The fabric name (an RFC 1123 label; list-fabrics gives them)');
}

/** A fabric as the actions answer it (`GET /fabrics/:fabric`), for their output schemas. */
export function fabricSchema(z: ActionZod) {
  return z.object({
    name: z.string().describe('The fabric name, which identifies it in every other fabric action'),
    title: z.string(),
    status: z.enum(FABRIC_STATUSES),
    error: z.string().optional().describe('Why the status is not in_sync'),
    blockedReason: z.string().optional(),
    owner: z.string().optional().describe("The owner's entity ref"),
    source: z.string().describe('Where the fabric is defined: app-config or a catalog entity ref'),
    cluster: z.string().optional().describe('The cluster the fabric is applied to and checked against, if any'),
    git: z.object({ url: z.string(), branch: z.string(), path: z.string() }),
    lastSyncAt: z.string().optional(),
    lastSyncedCommit: z.string().optional(),
    counts: z.record(z.number()).describe('Resources per kind'),
    drift: z.record(z.enum(DRIFT_STATUSES), z.number()).describe('Resources per drift status'),
    findings: z.object({ errors: z.number(), warnings: z.number() }).describe('Findings open in Git now'),
    conflicts: z.number().describe('Raw documents held back because they conflict with others'),
    applyFailed: z.number().describe('Resources whose last apply failed'),
  });
}

/** A validation finding (of a resource, a run or files validated), for the actions' output schemas. */
export function findingSchema(z: ActionZod) {
  return z.object({
    severity: z.enum(['error', 'warning']),
    rule: z.string().describe('The rule id, e.g. `hydration.switch`'),
    file: z.string().describe('The file, relative to the fabric directory'),
    document: z.number().optional().describe('0-based document index in the file; absent for the whole file'),
    path: z.string().describe('The JSON path in the document'),
    message: z.string(),
    leftOut: z.number().optional().describe('A summary finding: how many more of its rule, file and document it stands for'),
    blocksApply: z.boolean().optional().describe('Whether it keeps its resource from being applied'),
  });
}
