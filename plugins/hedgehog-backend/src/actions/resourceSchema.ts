import { APPLY_STATUSES, DRIFT_STATUSES, HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { ActionZod } from './fabricSchema';

/** The managed kinds, as a zod enum wants them. */
export const KIND_NAMES = HEDGEHOG_KINDS.map(k => k.kind) as [string, ...string[]];

/** A resource's `kind` input: one of the managed kinds. */
export function kindSchema(z: ActionZod) {
  return z.enum(KIND_NAMES).describe('A managed Hedgehog kind, e.g. VPC, Switch, Connection');
}

/** A resource as list-resources lists it (and get-resource starts with), for the output schemas. */
export function resourceItemSchema(z: ActionZod) {
  return z.object({
    kind: z.string(),
    name: z.string(),
    namespace: z.string(),
    gitPath: z.string().describe('Its managed file, relative to the fabric directory'),
    applyStatus: z.enum(APPLY_STATUSES).describe('The outcome of its last apply'),
    drift: z.object({
      status: z.enum(DRIFT_STATUSES).describe('How the cluster differs from Git (`unknown` before a drift check, or without a cluster)'),
      score: z.number().nullable().describe('How far it drifted (null when not known)'),
    }),
    errors: z.number().describe('Error findings open on the resource'),
    warnings: z.number().describe('Warning findings open on the resource'),
  });
}
