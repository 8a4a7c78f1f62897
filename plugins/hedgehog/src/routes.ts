import { createRouteRef } from '@backstage/core-plugin-api';

/** The fabrics list page. Works in both frontend systems. */
export const rootRouteRef = createRouteRef({ id: 'hedgehog' });

/** The "Fabric" tab of fabric entities. */
export const entityContentRouteRef = createRouteRef({
  id: 'hedgehog:entity-content',
});
