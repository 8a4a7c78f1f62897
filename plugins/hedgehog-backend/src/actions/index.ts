import { AuditorService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { FabricAuthorizer } from '../service/FabricAuthorizer';
import { HedgehogService } from '../service/HedgehogService';
import { registerGetFabricAction } from './getFabric';
import { registerListFabricsAction } from './listFabrics';
import { registerRequestSyncAction } from './requestSync';

/**
 * The plugin's actions in Backstage's actions registry (served to AI agents over
 * MCP by the MCP actions backend), one file per action. Each checks the same
 * permissions as the HTTP route it mirrors.
 */
export function registerActions(
  registry: ActionsRegistryService,
  deps: { service: HedgehogService; authorizer: FabricAuthorizer; auditor: AuditorService },
) {
  registerListFabricsAction(registry, deps);
  registerGetFabricAction(registry, deps);
  registerRequestSyncAction(registry, deps);
}
