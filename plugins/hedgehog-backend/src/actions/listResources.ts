import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DRIFT_STATUSES, hedgehogFabricReadPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { ActionDeps, authorizedFabric } from './actionDeps';
import { fabricNameSchema } from './fabricSchema';
import { kindSchema, resourceItemSchema } from './resourceSchema';

/** The most resources one call lists (the route pages up to 500; an agent's context is smaller). */
export const LIST_RESOURCES_MAX = 100;

/**
 * `hedgehog:list-resources`: a page of a fabric's resources with their drift and
 * finding counts, as `GET /fabrics/:fabric/resources` lists them (permission
 * `hedgehog.fabric.read` on the fabric; the same filters), without the desired
 * objects (get-resource has one's), at most LIST_RESOURCES_MAX per call.
 */
export function registerListResourcesAction(registry: ActionsRegistryService, deps: ActionDeps) {
  registry.register({
    name: 'list-resources',
    title: "List a Hedgehog fabric's resources",
    description: [
      "Lists the resources of one Hedgehog fabric (its desired state from Git, and objects only its cluster holds),",
      'ordered by kind and name, each with its drift status against the cluster, its last apply status and its open',
      'error and warning findings. Filter by `kind`, by part of the `name`, by `driftStatus` (e.g. `drifted` to answer',
      '"what drifted?"), by `withFindings` (`errors` or `warnings`) or by a finding `rule`. Paged: `totalItems` counts',
      'every match; when `nextOffset` is present, call again with `offset: nextOffset` for more. get-resource shows',
      "one resource's differences and findings. Read-only.",
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          fabric: fabricNameSchema(z),
          kind: kindSchema(z).optional(),
          name: z.string().max(253).optional().describe('Part of the resource name (case-insensitive)'),
          driftStatus: z.enum(DRIFT_STATUSES).optional().describe('Only resources with this drift status'),
          withFindings: z.enum(['errors', 'warnings']).optional().describe('Only resources with error (or warning) findings'),
          rule: z.string().min(1).max(64).optional().describe('Only resources with an open finding of this rule'),
          offset: z.number().int().min(0).max(1_000_000).default(0),
          limit: z.number().int().min(1).max(LIST_RESOURCES_MAX).default(25),
        }),
      output: z =>
        z.object({
          items: z.array(resourceItemSchema(z)).max(LIST_RESOURCES_MAX),
          totalItems: z.number().describe('How many resources match, on every page'),
          offset: z.number(),
          nextOffset: z.number().optional().describe('The offset of the next page, when more resources match'),
        }),
    },
    action: async ({ input, credentials }) => {
      const fabric = await authorizedFabric(deps, credentials, input.fabric, hedgehogFabricReadPermission);
      const { items, totalItems } = await deps.store.listResources(fabric, {
        kind: input.kind,
        q: input.name,
        status: input.driftStatus,
        findings: input.withFindings,
        rule: input.rule,
        offset: input.offset,
        limit: input.limit,
      });
      const next = input.offset + items.length;
      return { output: { items, totalItems, offset: input.offset, ...(next < totalItems ? { nextOffset: next } : {}) } };
    },
  });
}
