import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { HedgehogClient } from '@fabric-gitops/plugin-hedgehog-common';
import type { JSX } from 'react';
import { hedgehogApiRef } from './api';
import type { FabricViewProps } from './components/fabric/FabricView';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The hedgehog frontend plugin for the legacy frontend system. For the new
 * frontend system use the default export of `@fabric-gitops/plugin-hedgehog/alpha`.
 *
 * @public
 */
export const hedgehogPlugin = createPlugin({
  id: 'hedgehog',
  apis: [
    createApiFactory({
      api: hedgehogApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new HedgehogClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * The fabrics list page (mount it at e.g. `/hedgehog` and add a sidebar item).
 *
 * @public
 */
export const HedgehogFabricsPage: () => JSX.Element = hedgehogPlugin.provide(
  createRoutableExtension({
    name: 'HedgehogFabricsPage',
    component: () =>
      import('./components/fabrics/FabricsPage').then(
        m => m.HedgehogFabricsPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Fabric" entity tab: mount it with
 * `<EntityLayout.Route path="/hedgehog" title="Fabric" if={isHedgehogFabricAvailable}>`.
 *
 * @public
 */
export const EntityHedgehogFabricContent: (
  props: Omit<FabricViewProps, 'fabric'>,
) => JSX.Element = hedgehogPlugin.provide(
  createRoutableExtension({
    name: 'EntityHedgehogFabricContent',
    component: () =>
      import('./components/fabric/EntityFabricContent').then(
        m => m.EntityFabricContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * Overview card with the fabric's sync status.
 *
 * @public
 */
export const EntityHedgehogFabricStatusCard: () => JSX.Element =
  hedgehogPlugin.provide(
    createComponentExtension({
      name: 'EntityHedgehogFabricStatusCard',
      component: {
        lazy: () =>
          import('./components/cards/EntityCards').then(
            m => m.EntityFabricStatusCard,
          ),
      },
    }),
  );

/**
 * Overview card with the fabric's drift summary.
 *
 * @public
 */
export const EntityHedgehogFabricDriftCard: () => JSX.Element =
  hedgehogPlugin.provide(
    createComponentExtension({
      name: 'EntityHedgehogFabricDriftCard',
      component: {
        lazy: () =>
          import('./components/cards/EntityCards').then(
            m => m.EntityFabricDriftCard,
          ),
      },
    }),
  );

/**
 * Overview card of a switch, server or VPC entity of the catalog module: its
 * fabric, kind, name, drift and apply status, linking to the resource in the
 * fabric's tab. Show it `if={isHedgehogResourceEntity}`.
 *
 * @public
 */
export const EntityHedgehogResourceCard: () => JSX.Element =
  hedgehogPlugin.provide(
    createComponentExtension({
      name: 'EntityHedgehogResourceCard',
      component: {
        lazy: () =>
          import('./components/cards/EntityResourceCard').then(
            m => m.EntityResourceCard,
          ),
      },
    }),
  );
