import { KindModule, MAX_NAME, VPC_GROUP } from './types';

/** @public */
export const ExternalPeeringKind: KindModule = {
  kind: 'ExternalPeering',
  group: VPC_GROUP,
  plural: 'externalpeerings',
  maxNameLength: MAX_NAME,
  applyOrder: 4,
  preset: 'day2',
  references: ['VPC', 'External'],
  clusterOwned: [],
  unorderedLists: ['spec.permit.vpc.subnets', 'spec.permit.external.prefixes'],
  columns: [
    { title: 'VPC', path: 'spec.permit.vpc.name' },
    { title: 'External', path: 'spec.permit.external.name' },
  ],
};
