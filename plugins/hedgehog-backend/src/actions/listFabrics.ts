import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DRIFT_STATUSES, FABRIC_STATUSES, hedgehogFabricReadPermission } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricAuthorizer } from '../service/FabricAuthorizer';
import { HedgehogService } from '../service/HedgehogService';

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
          fabrics: z.array(
            z.object({
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
            }),
          ),
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
