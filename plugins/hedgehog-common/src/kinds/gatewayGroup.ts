import { GATEWAY_API_VERSION, GATEWAY_GROUP, KindModule, MAX_NAME } from './types';

/** Hedgehog's GatewayGroup (api/gateway/v1alpha1/gatewaygroup_types.go): an empty spec. @public */
export const GatewayGroupKind: KindModule = {
  kind: 'GatewayGroup',
  group: GATEWAY_GROUP,
  version: GATEWAY_API_VERSION,
  plural: 'gatewaygroups',
  maxNameLength: MAX_NAME,
  applyOrder: 0,
  preset: 'wiring',
  references: [],
  clusterOwned: [],
  unorderedLists: [],
  // its spec is empty (gateway_group_types.go): the list shows its name; the Gateways name their groups
  columns: [],
};
