import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  hedgehogFabricsExtensionPoint,
  readHedgehogClusterNames,
} from '@fabric-gitops/plugin-hedgehog-node';
import { CatalogFabricSource } from './CatalogFabricSource';

/**
 * Module of the hedgehog backend plugin: fabrics declared as catalog entities
 * (`kind: Resource`, `spec.type: hedgehog-fabric`, annotation
 * `githedgehog.com/gitops-location`, optionally `githedgehog.com/cluster` naming a
 * cluster of `hedgehog.clusters`) are synced like those of app-config, without a
 * restart.
 *
 * @public
 */
export const hedgehogModuleCatalogFabrics = createBackendModule({
  pluginId: 'hedgehog',
  moduleId: 'catalog-fabrics',
  register(env) {
    env.registerInit({
      deps: {
        fabrics: hedgehogFabricsExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
      },
      async init({ fabrics, catalog, auth, logger, config }) {
        fabrics.addFabricSource(
          new CatalogFabricSource({
            catalog,
            auth,
            logger,
            clusterNames: () => readHedgehogClusterNames(config),
          }),
        );
      },
    });
  },
});
