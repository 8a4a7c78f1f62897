import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { HedgehogFabricsExtensionPoint } from './fabrics';

/**
 * Lets backend modules contribute fabric definitions to the hedgehog plugin.
 *
 * @public
 */
export const hedgehogFabricsExtensionPoint =
  createExtensionPoint<HedgehogFabricsExtensionPoint>({
    id: 'hedgehog.fabrics',
  });
