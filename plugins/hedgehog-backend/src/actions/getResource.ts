import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotFoundError } from '@backstage/errors';
import { checkResourceName, hedgehogFabricReadPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { ActionDeps, authorizedFabric } from './actionDeps';
import { boundedValue, firstOf } from './bounded';
import { fabricNameSchema, findingSchema } from './fabricSchema';
import { kindSchema, resourceItemSchema } from './resourceSchema';

/** The most differences and findings one answer lists (their totals count them all). */
export const RESOURCE_MAX_DIFFERENCES = 100;
export const RESOURCE_MAX_FINDINGS = 50;
/** The longest JSON a value of a difference keeps, and an object (desired, live) keeps. */
const MAX_VALUE_CHARS = 1_000;
const MAX_OBJECT_CHARS = 20_000;

/**
 * `hedgehog:get-resource`: one resource of a fabric with its drift differences and
 * findings, as `GET /fabrics/:fabric/resources/:kind/:name` answers it (permission
 * `hedgehog.fabric.read` on the fabric), its lists and values bounded.
 */
export function registerGetResourceAction(registry: ActionsRegistryService, deps: ActionDeps) {
  registry.register({
    name: 'get-resource',
    title: 'Get a resource of a Hedgehog fabric',
    description: [
      'One resource of a Hedgehog fabric (by kind and name; list-resources finds them): its drift status against the',
      'cluster with the field-level `differences` (JSON path, the value in Git, the value in the cluster), its open',
      'validation `findings` (an error blocks its apply), its last apply status, where it came from in Git, and its',
      'desired (Git) and live (cluster) objects. Use it to explain why a resource drifted or is not applied.',
      'Lists are cut (see `differenceTotal`, `findingTotal`) and long values shortened. Read-only.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ fabric: fabricNameSchema(z), kind: kindSchema(z), name: z.string().min(1).max(253).describe('The resource name') }),
      output: z =>
        z.object({
          resource: resourceItemSchema(z).extend({
            differences: z
              .array(z.object({ path: z.string(), desired: z.unknown().optional(), actual: z.unknown().optional() }))
              .max(RESOURCE_MAX_DIFFERENCES)
              .describe('How the cluster differs from Git: `desired` is the value in Git, `actual` the one in the cluster (absent: none)'),
            differenceTotal: z.number().describe('How many differences there are, also those left out of the list'),
            findings: z.array(findingSchema(z)).max(RESOURCE_MAX_FINDINGS),
            findingTotal: z.number().describe('How many findings there are, also those left out of the list'),
            source: z.object({ file: z.string(), document: z.number() }).optional().describe('The raw file and document it came from'),
            desired: z.unknown().describe('The object in Git (null when only the cluster holds it)'),
            live: z.unknown().optional().describe('The object in the cluster, as the last drift check read it'),
          }),
        }),
    },
    action: async ({ input, credentials }) => {
      const fabric = await authorizedFabric(deps, credentials, input.fabric, hedgehogFabricReadPermission);
      const problem = checkResourceName(input.name);
      if (problem) throw new InputError(`"${input.name}" is not a valid resource name: ${problem}`);
      const resource = await deps.store.getResource(fabric, input.kind, input.name);
      if (!resource) throw new NotFoundError(`No ${input.kind} named ${input.name} in fabric ${fabric}`);
      const differences = firstOf(resource.differences, RESOURCE_MAX_DIFFERENCES);
      const findings = firstOf(resource.findings, RESOURCE_MAX_FINDINGS);
      return {
        output: {
          resource: {
            ...resource,
            differences: differences.items.map(d => ({
              path: d.path,
              desired: boundedValue(d.desired, MAX_VALUE_CHARS),
              actual: boundedValue(d.actual, MAX_VALUE_CHARS),
            })),
            differenceTotal: resource.differences.length,
            findings: findings.items,
            findingTotal: resource.findings.length,
            desired: boundedValue(resource.desired, MAX_OBJECT_CHARS),
            live: boundedValue(resource.live, MAX_OBJECT_CHARS),
          },
        },
      };
    },
  });
}
