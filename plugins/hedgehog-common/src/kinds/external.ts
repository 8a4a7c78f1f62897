import { KindModule, VPC_GROUP } from './types';

/** @public */
export const ExternalKind: KindModule = {
  kind: 'External',
  group: VPC_GROUP,
  plural: 'externals',
  maxNameLength: 11,
  applyOrder: 3,
  preset: 'day2',
  references: ['IPv4Namespace'],
  clusterOwned: ['spec.ipv4Namespace'],
  unorderedLists: [],
  columns: [
    { title: 'Inbound community', path: 'spec.inboundCommunity' },
    { title: 'Outbound community', path: 'spec.outboundCommunity' },
  ],
};
