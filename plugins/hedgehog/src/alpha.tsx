import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import { HedgehogClient } from '@fabric-gitops/plugin-hedgehog-common';
import { hedgehogApiRef } from './api';
import {
  isHedgehogFabricAvailable,
  isHedgehogResourceEntity,
} from './predicates';
import { entityContentRouteRef, rootRouteRef } from './routes';

/** `api:hedgehog`: the HedgehogClient over discovery and fetch. @alpha */
export const hedgehogApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: hedgehogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new HedgehogClient({ discoveryApi, fetchApi }),
    }),
});

/** `page:hedgehog`: the fabrics page, with a nav item (title and icon). @alpha */
export const hedgehogFabricsPage = PageBlueprint.make({
  params: {
    path: '/hedgehog',
    routeRef: rootRouteRef,
    title: 'Fabrics',
    icon: <DeviceHubIcon fontSize="inherit" />,
    loader: async () => {
      const [{ Content }, { FabricsPageContent }] = await Promise.all([
        import('@backstage/core-components'),
        import('./components/fabrics/FabricsPage'),
      ]);
      return (
        <Content>
          <FabricsPageContent />
        </Content>
      );
    },
  },
});

/** `entity-content:hedgehog/fabric`: the "Fabric" tab of fabric entities. @alpha */
export const hedgehogEntityContent = EntityContentBlueprint.make({
  name: 'fabric',
  params: {
    path: 'hedgehog',
    title: 'Fabric',
    routeRef: entityContentRouteRef,
    filter: isHedgehogFabricAvailable,
    loader: () =>
      import('./components/fabric/EntityFabricContent').then(m => (
        <m.EntityFabricContent />
      )),
  },
});

/** `entity-card:hedgehog/fabric-status`: overview card. @alpha */
export const hedgehogFabricStatusCard = EntityCardBlueprint.make({
  name: 'fabric-status',
  params: {
    type: 'info',
    filter: isHedgehogFabricAvailable,
    loader: () =>
      import('./components/cards/EntityCards').then(m => (
        <m.EntityFabricStatusCard />
      )),
  },
});

/** `entity-card:hedgehog/fabric-drift`: overview card. @alpha */
export const hedgehogFabricDriftCard = EntityCardBlueprint.make({
  name: 'fabric-drift',
  params: {
    filter: isHedgehogFabricAvailable,
    loader: () =>
      import('./components/cards/EntityCards').then(m => (
        <m.EntityFabricDriftCard />
      )),
  },
});

/**
 * `entity-card:hedgehog/resource`: overview card of switch, server and VPC
 * entities (fabric, kind, name, drift and apply status). @alpha
 */
export const hedgehogResourceCard = EntityCardBlueprint.make({
  name: 'resource',
  params: {
    type: 'info',
    filter: isHedgehogResourceEntity,
    loader: () =>
      import('./components/cards/EntityResourceCard').then(m => (
        <m.EntityResourceCard />
      )),
  },
});

/**
 * The hedgehog plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'hedgehog',
  title: 'Fabrics',
  icon: <DeviceHubIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
  extensions: [
    hedgehogApi,
    hedgehogFabricsPage,
    hedgehogEntityContent,
    hedgehogFabricStatusCard,
    hedgehogFabricDriftCard,
    hedgehogResourceCard,
  ],
});
