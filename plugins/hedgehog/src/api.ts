import { createApiRef } from '@backstage/core-plugin-api';
import type { HedgehogApi } from '@fabric-gitops/plugin-hedgehog-common';

/**
 * The hedgehog backend API as a Backstage utility API. Both frontend systems
 * register {@link @fabric-gitops/plugin-hedgehog-common#HedgehogClient} for it
 * (over `discoveryApiRef` and `fetchApiRef`).
 *
 * @public
 */
export const hedgehogApiRef = createApiRef<HedgehogApi>({
  id: 'plugin.hedgehog.api',
});
