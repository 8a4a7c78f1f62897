import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAddResourceAction } from './actions/addResource';
import { createBootstrapFabricAction } from './actions/bootstrapFabric';
import { CatalogFabricEntityReader } from './lib/fabricEntity';

/**
 * Scaffolder module with the Hedgehog actions `hedgehog:fabric:bootstrap` and
 * `hedgehog:resource:add`.
 *
 * @public
 */
export const scaffolderModuleHedgehog = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'hedgehog',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, discovery, auth }) {
        scaffolder.addActions(
          createBootstrapFabricAction({ config }),
          createAddResourceAction({
            fabrics: new CatalogFabricEntityReader({ discovery, auth }),
          }),
        );
      },
    });
  },
});
