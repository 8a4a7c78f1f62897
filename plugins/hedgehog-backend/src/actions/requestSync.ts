import { AuditorService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { hedgehogFabricSyncPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricAuthorizer } from '../service/FabricAuthorizer';
import { HedgehogService } from '../service/HedgehogService';
import { who } from '../service/requestInput';

/**
 * `hedgehog:request-sync`: queues a sync of one fabric, as `POST /fabrics/:fabric/sync`
 * without `apply` (permission `hedgehog.fabric.sync` on the fabric). A request while a
 * sync is queued joins it. Audited as the route is (`fabric-sync`, medium), with the
 * caller in the event's meta (an action has no HTTP request).
 */
export function registerRequestSyncAction(
  registry: ActionsRegistryService,
  deps: { service: HedgehogService; authorizer: FabricAuthorizer; auditor: AuditorService },
) {
  registry.register({
    name: 'request-sync',
    title: 'Sync a Hedgehog fabric from Git',
    description: [
      "Queues a sync of one Hedgehog fabric from its Git repository: new and changed files are ingested, validated,",
      'committed (or proposed as a pull request, by the fabric\'s write mode) and imported as its desired state;',
      'nothing is applied to the cluster (a fabric with `apply: auto` applies after its sync, as configured).',
      'Returns the run id; poll get-fabric until its status is no longer `syncing`. A request while a sync is',
      'queued joins it. Input: the fabric name (list-fabrics gives them).',
    ].join(' '),
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z => z.object({ fabric: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/).describe('The fabric name (an RFC 1123 label)') }),
      output: z => z.object({ runId: z.string().describe('The id of the queued (or joined) sync run') }),
    },
    action: async ({ input, credentials }) => {
      const actor = who(credentials);
      const event = await deps.auditor.createEvent({
        eventId: 'fabric-sync',
        severityLevel: 'medium',
        meta: { fabric: input.fabric, via: 'action', ...(actor ? { actor } : {}) },
      });
      try {
        await deps.authorizer.require(credentials, [hedgehogFabricSyncPermission], input.fabric);
        const { runId } = await deps.service.requestSync(deps.service.fabric(input.fabric).name, 'api', actor);
        await event.success({ meta: { runId } });
        return { output: { runId } };
      } catch (e) {
        await event.fail({ error: e instanceof Error ? e : new Error(String(e)) });
        throw e;
      }
    },
  });
}
