import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { hedgehogFabricReadPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricAuthorizer } from '../service/FabricAuthorizer';
import { HedgehogService } from '../service/HedgehogService';
import { fabricNameSchema, fabricSchema } from './fabricSchema';

/**
 * `hedgehog:get-fabric`: one fabric's status, as `GET /fabrics/:fabric` answers it
 * (permission `hedgehog.fabric.read` on that fabric).
 */
export function registerGetFabricAction(
  registry: ActionsRegistryService,
  deps: { service: HedgehogService; authorizer: FabricAuthorizer },
) {
  registry.register({
    name: 'get-fabric',
    title: 'Get a Hedgehog fabric',
    description: [
      'The status of one Hedgehog network fabric: whether it is in sync (`status`: `in_sync`, `partial`, `error`,',
      '`never_synced`, `syncing`, `blocked`), its last sync and commit, resources per kind, drift per status against its',
      'cluster, open findings, conflicts and failed applies. Use it to answer "is fabric X in sync?" or before asking',
      'for a sync. Input: the fabric name (list-fabrics gives them). Read-only.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ fabric: fabricNameSchema(z) }),
      output: z => z.object({ fabric: fabricSchema(z) }),
    },
    action: async ({ input, credentials }) => {
      // as GET /fabrics/:fabric: the permission on the fabric, then the fabric (a blocked one is described)
      await deps.authorizer.require(credentials, [hedgehogFabricReadPermission], input.fabric);
      return { output: { fabric: await deps.service.getFabric(input.fabric) } };
    },
  });
}
