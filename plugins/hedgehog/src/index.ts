/**
 * Frontend plugin of the Hedgehog fabric GitOps suite: a "Fabric" tab and
 * overview cards on fabric entities, and a fabrics page. This entry point is
 * the legacy frontend system; `./alpha` is the new one.
 *
 * @packageDocumentation
 */
export {
  hedgehogPlugin,
  HedgehogFabricsPage,
  EntityHedgehogFabricContent,
  EntityHedgehogFabricStatusCard,
  EntityHedgehogFabricDriftCard,
  EntityHedgehogResourceCard,
} from './plugin';
export { hedgehogApiRef } from './api';
export {
  isHedgehogFabricAvailable,
  isHedgehogFabricEntity,
  fabricNameOf,
  isHedgehogResourceEntity,
  fabricResourceOf,
} from './predicates';
export type { FabricResourceRef } from './predicates';
export { FabricView } from './components/fabric/FabricView';
export type { FabricViewProps } from './components/fabric/FabricView';
