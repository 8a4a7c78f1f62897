import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { hedgehogFabricSyncPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { ActionDeps, authorizedFabric } from './actionDeps';
import { auditedMutation } from './auditedMutation';
import { fabricNameSchema } from './fabricSchema';

/**
 * `hedgehog:request-drift-check`: queues a drift check of a fabric against its
 * cluster, as `POST /fabrics/:fabric/drift` (it lists the cluster and writes only
 * drift records: permission `hedgehog.fabric.sync` on the fabric, not apply).
 * Audited as the route is (`fabric-drift`, medium), with the caller.
 */
export function registerRequestDriftCheckAction(registry: ActionsRegistryService, deps: ActionDeps) {
  registry.register({
    name: 'request-drift-check',
    title: 'Check a Hedgehog fabric for drift',
    description: [
      "Queues a drift check of one Hedgehog fabric: its cluster's objects are compared with the desired state from",
      "Git and each resource's drift status is recorded (`in_sync`, `drifted`, `missing_in_cluster`,",
      '`orphaned_in_cluster`, `owned_elsewhere`). Nothing in the cluster or in Git changes. Returns the run id: poll',
      'get-run with it until the run has ended, then list-resources with `driftStatus` (or get-resource) shows the',
      'drift. A request while a check is queued joins it. Fails for a fabric without a cluster.',
    ].join(' '),
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z => z.object({ fabric: fabricNameSchema(z) }),
      output: z => z.object({ runId: z.string().describe('The id of the queued (or joined) drift run; get-run shows it') }),
    },
    action: async ({ input, credentials }) => {
      const output = await auditedMutation(
        deps.auditor,
        { eventId: 'fabric-drift', fabric: input.fabric, credentials },
        async actor => {
          const fabric = await authorizedFabric(deps, credentials, input.fabric, hedgehogFabricSyncPermission);
          return deps.service.requestClusterRun(fabric, 'drift', 'api', actor);
        },
      );
      return { output: { runId: output.runId } };
    },
  });
}
