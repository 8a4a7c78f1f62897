import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { hedgehogFabricReadPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricAuthorizer } from '../service/FabricAuthorizer';
import { HedgehogService } from '../service/HedgehogService';
import { fabricSchema } from './fabricSchema';

/**
 * `hedgehog:list-fabrics`: the fabrics the caller may read, as `GET /fabrics` lists
 * them (the same permission, `hedgehog.fabric.read`, checked per fabric; denied
 * outright, the call fails as the route answers 403).
 */
export function registerListFabricsAction(
  registry: ActionsRegistryService,
  deps: { service: HedgehogService; authorizer: FabricAuthorizer },
) {
  registry.register({
    name: 'list-fabrics',
    title: 'List Hedgehog fabrics',
    description: [
      'Lists the Hedgehog network fabrics managed by GitOps in Backstage that you may read, with their health.',
      'Use it to find a fabric\'s name (the other fabric actions take it) or to answer "is fabric X in sync?".',
      '`status` is `in_sync` when the last sync succeeded and Git holds no error findings, conflicts or failed applies;',
      '`partial` while any of those is open (see `findings`, `conflicts`, `applyFailed`, `error`); `error` when the last sync failed;',
      '`never_synced` or `syncing` before the first sync ends; `blocked` when the catalog fabric policy refuses the fabric (`blockedReason`).',
      '`drift` counts resources per drift status against the cluster (all `unknown` without a cluster); `counts` counts resources per kind.',
      'Takes no input; read-only.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          fabrics: z.array(fabricSchema(z)),
        }),
    },
    action: async ({ credentials }) => {
      const readable = await deps.authorizer.filter(credentials, hedgehogFabricReadPermission, deps.service.fabricDefinitions());
      const names = new Set(readable.map(f => f.name));
      const fabrics = await deps.service.listFabrics(f => names.has(f.name));
      return { output: { fabrics } };
    },
  });
}
