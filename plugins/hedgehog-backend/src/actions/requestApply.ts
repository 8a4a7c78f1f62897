import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { hedgehogFabricApplyPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { ActionDeps, authorizedFabric } from './actionDeps';
import { auditedMutation } from './auditedMutation';
import { fabricNameSchema } from './fabricSchema';

/**
 * `hedgehog:request-apply`: queues an apply of a fabric's desired state to its
 * cluster, as `POST /fabrics/:fabric/apply` (permission `hedgehog.fabric.apply` on
 * the fabric, the same body: `dryRun`, `confirmPrune`). Audited as the route is
 * (`fabric-apply`, medium), with the caller and the options in the event's meta.
 * Destructive: an apply changes the cluster and, for a fabric that prunes, deletes
 * objects (the attributes are the action's, not the call's: a dry run changes nothing).
 */
export function registerRequestApplyAction(registry: ActionsRegistryService, deps: ActionDeps) {
  registry.register({
    name: 'request-apply',
    title: "Apply a Hedgehog fabric's desired state to its cluster",
    description: [
      "Queues an apply of one Hedgehog fabric's desired state (its last sync from Git) to the fabric's Kubernetes",
      'cluster: objects are created and updated, resources with blocking findings are left out, and a fabric that',
      'prunes deletes the objects Git no longer holds. This changes the network: call plan-apply first and show its',
      'plan; with `dryRun: true` the apply is only planned and validated against the cluster (nothing changes) and',
      "the run's apply stage reports what it would do. A prune larger than the fabric's limit happens only with",
      '`confirmPrune` set to the number of objects it deletes (plan-apply `prune.total`). Returns the run id: poll',
      'get-run with it until the run has ended (`succeeded`, `partial`, `failed`). A request while an apply is queued',
      'joins it. Fails for a fabric without a cluster.',
    ].join(' '),
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          fabric: fabricNameSchema(z),
          dryRun: z.boolean().optional().describe('Plan and validate against the cluster only; nothing is changed (default false)'),
          confirmPrune: z
            .number()
            .int()
            .min(0)
            .max(1_000_000)
            .optional()
            .describe('Confirms a prune beyond the fabric\'s limit: the number of objects it deletes, as plan-apply reported'),
        }),
      output: z => z.object({ runId: z.string().describe('The id of the queued (or joined) apply run; get-run shows it') }),
    },
    action: async ({ input, credentials }) => {
      const { fabric: name, ...options } = input;
      const output = await auditedMutation(
        deps.auditor,
        { eventId: 'fabric-apply', fabric: name, credentials, meta: { ...options } },
        async actor => {
          const fabric = await authorizedFabric(deps, credentials, name, hedgehogFabricApplyPermission);
          return deps.service.requestClusterRun(fabric, 'apply', 'api', actor, options);
        },
      );
      return { output: { runId: output.runId } };
    },
  });
}
