import { KindScope, KindScopeSetting, resolveKindScope } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { FabricState } from '../database/HedgehogStore';

/** What a fabric's definition says of its kinds: app-config's (or a module's) and the catalog entity's. */
export function declaredKinds(fabric: FabricDefinition): { appConfig?: KindScopeSetting; entity?: KindScopeSetting } {
  return { appConfig: fabric.kinds, entity: fabric.entityKinds };
}

/**
 * The kinds a fabric manages now: app-config's, else what the manifest said at the
 * last import, else the catalog entity's, else all. What apply, prune, drift and
 * adopt consider.
 */
export function fabricScope(fabric: FabricDefinition, state: FabricState | undefined): KindScope {
  return resolveKindScope({ ...declaredKinds(fabric), manifest: state?.kindScope?.manifest });
}
