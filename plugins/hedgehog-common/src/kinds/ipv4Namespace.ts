import { KindModule, VPC_GROUP } from './types';

/** @public */
export const IPv4NamespaceKind: KindModule = {
  kind: 'IPv4Namespace',
  group: VPC_GROUP,
  plural: 'ipv4namespaces',
  maxNameLength: 11,
  applyOrder: 0,
  preset: 'wiring',
  references: [],
  clusterOwned: [],
  unorderedLists: ['spec.subnets'],
  columns: [{ title: 'Subnets', path: 'spec.subnets' }],
};
