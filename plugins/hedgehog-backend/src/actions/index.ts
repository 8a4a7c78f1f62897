import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { ActionDeps } from './actionDeps';
import { registerGetFabricAction } from './getFabric';
import { registerGetResourceAction } from './getResource';
import { registerGetRunAction } from './getRun';
import { registerListFabricsAction } from './listFabrics';
import { registerListResourcesAction } from './listResources';
import { registerPlanApplyAction } from './planApply';
import { registerRequestApplyAction } from './requestApply';
import { registerRequestDriftCheckAction } from './requestDriftCheck';
import { registerRequestSyncAction } from './requestSync';
import { registerValidateFilesAction } from './validateFiles';

/**
 * The plugin's actions in Backstage's actions registry (served to AI agents over
 * MCP by the MCP actions backend), one file per action. Each checks the same
 * permissions as the HTTP route it mirrors, per fabric; the mutations (and their
 * refusals) are audited as their routes are (see auditedMutation).
 */
export function registerActions(registry: ActionsRegistryService, deps: ActionDeps) {
  registerListFabricsAction(registry, deps);
  registerGetFabricAction(registry, deps);
  registerListResourcesAction(registry, deps);
  registerGetResourceAction(registry, deps);
  registerGetRunAction(registry, deps);
  registerPlanApplyAction(registry, deps);
  registerValidateFilesAction(registry, deps);
  registerRequestSyncAction(registry, deps);
  registerRequestApplyAction(registry, deps);
  registerRequestDriftCheckAction(registry, deps);
}
