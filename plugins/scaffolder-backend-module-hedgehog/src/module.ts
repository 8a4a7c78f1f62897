import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAddResourceAction } from './actions/addResource';
import { createBootstrapFabricAction } from './actions/bootstrapFabric';
import { createCheckoutFabricAction } from './actions/checkoutFabric';
import { createPushFabricAction } from './actions/pushFabric';
import { BackendFabricReader } from './lib/backendFabricReader';
import { BackendFabricValidator } from './lib/backendValidation';
import { CatalogFabricEntityReader } from './lib/fabricEntity';

/**
 * Scaffolder module with the Hedgehog actions `hedgehog:fabric:bootstrap`,
 * `hedgehog:fabric:push`, `hedgehog:fabric:checkout` and `hedgehog:resource:add`.
 * Seeds and added resources are validated by the hedgehog backend (`POST /validate`).
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
        // the fabric as the hedgehog backend syncs it, else its catalog entity
        const fabrics = new BackendFabricReader({
          discovery,
          auth,
          catalog: new CatalogFabricEntityReader({ discovery, auth }),
        });
        const validator = new BackendFabricValidator({ discovery, auth });
        scaffolder.addActions(
          createBootstrapFabricAction({ config, validator }),
          createPushFabricAction({ config }),
          createCheckoutFabricAction({ config, fabrics }),
          createAddResourceAction({ fabrics, validator }),
        );
      },
    });
  },
});
