import { KindModule, VPC_GROUP } from './types';

/** @public */
export const VPCKind: KindModule = {
  kind: 'VPC',
  group: VPC_GROUP,
  plural: 'vpcs',
  maxNameLength: 11,
  applyOrder: 3,
  preset: 'day2',
  references: ['IPv4Namespace', 'VLANNamespace'],
  clusterOwned: [
    'spec.ipv4Namespace',
    'spec.vlanNamespace',
    'spec.subnets.*.gateway',
    'spec.subnets.*.dhcp.range',
    'spec.subnets.*.dhcp.options',
  ],
  unorderedLists: ['spec.subnets.*.dhcp.options.dnsServers', 'spec.subnets.*.dhcp.options.timeServers'],
  columns: [
    { title: 'Mode', path: 'spec.mode' },
    { title: 'Subnets', path: 'spec.subnets', format: 'keys' },
  ],
  catalogEntityType: 'hedgehog-vpc',
};
