import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { hedgehogFabricSyncPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { ActionDeps, authorizedFabric } from './actionDeps';
import { auditedMutation } from './auditedMutation';
import { fabricNameSchema } from './fabricSchema';

/**
 * `hedgehog:request-sync`: queues a sync of one fabric, as `POST /fabrics/:fabric/sync`
 * without `apply` (permission `hedgehog.fabric.sync` on the fabric). A request while a
 * sync is queued joins it. Audited as the route is (`fabric-sync`, medium), with the
 * caller in the event's meta (an action has no HTTP request).
 */
export function registerRequestSyncAction(registry: ActionsRegistryService, deps: ActionDeps) {
  registry.register({
    name: 'request-sync',
    title: 'Sync a Hedgehog fabric from Git',
    description: [
      "Queues a sync of one Hedgehog fabric from its Git repository: new and changed files are ingested, validated,",
      'committed (or proposed as a pull request, by the fabric\'s write mode) and imported as its desired state;',
      'nothing is applied to the cluster (a fabric with `apply: auto` applies after its sync, as configured).',
      'Returns the run id; poll get-run with it (or get-fabric) until the run has ended. A request while a sync is',
      'queued joins it. Input: the fabric name (list-fabrics gives them).',
    ].join(' '),
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z => z.object({ fabric: fabricNameSchema(z) }),
      output: z => z.object({ runId: z.string().describe('The id of the queued (or joined) sync run; get-run shows it') }),
    },
    action: async ({ input, credentials }) => {
      const output = await auditedMutation(
        deps.auditor,
        { eventId: 'fabric-sync', fabric: input.fabric, credentials },
        async actor => {
          const fabric = await authorizedFabric(deps, credentials, input.fabric, hedgehogFabricSyncPermission);
          return deps.service.requestSync(fabric, 'api', actor);
        },
      );
      return { output: { runId: output.runId } };
    },
  });
}
