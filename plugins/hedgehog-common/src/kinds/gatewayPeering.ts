import { GATEWAY_API_VERSION, GATEWAY_GROUP, KindModule, MAX_NAME } from './types';

/**
 * Hedgehog's GatewayPeering (api/gateway/v1alpha1/gatewaypeering_types.go): two VPCs
 * (or a VPC and an `ext.`-prefixed External) peered through a GatewayGroup.
 *
 * @public
 */
export const GatewayPeeringKind: KindModule = {
  kind: 'GatewayPeering',
  group: GATEWAY_GROUP,
  version: GATEWAY_API_VERSION,
  plural: 'gatewaypeerings',
  maxNameLength: MAX_NAME,
  // after the VPCs it peers
  applyOrder: 4,
  preset: 'day2',
  references: ['VPC', 'GatewayGroup'],
  // GatewayPeering.Default(): the `default` group, NAT idle timeouts, the ACL's default action and rule scopes
  clusterOwned: [
    'spec.gatewayGroup',
    'spec.peering.*.expose.*.nat.masquerade.idleTimeout',
    'spec.peering.*.expose.*.nat.portForward.idleTimeout',
    'spec.acl.default',
    'spec.acl.rules.*.scope',
  ],
  unorderedLists: [],
  // the two peers are the keys of spec.peering (VPC names, or `ext.<external>`)
  columns: [
    { title: 'Peers', path: 'spec.peering', format: 'keys' },
    { title: 'Gateway group', path: 'spec.gatewayGroup' },
  ],
};
