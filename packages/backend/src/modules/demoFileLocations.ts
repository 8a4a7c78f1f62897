import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Demo only: lets the catalog register `file` locations, which the local publish
 * uses for the new fabric's catalog-info.yaml.
 */
export default createBackendModule({
  pluginId: 'catalog',
  moduleId: 'demo-file-locations',
  register(env) {
    env.registerInit({
      deps: { locations: catalogLocationsExtensionPoint, config: coreServices.rootConfig },
      async init({ locations, config }) {
        if (!config.getOptionalString('hedgehogDemo.examplesDir')) return;
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
