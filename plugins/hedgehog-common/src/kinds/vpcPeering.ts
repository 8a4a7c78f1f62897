import { KindModule, MAX_NAME, VPC_GROUP } from './types';

/** @public */
export const VPCPeeringKind: KindModule = {
  kind: 'VPCPeering',
  group: VPC_GROUP,
  plural: 'vpcpeerings',
  maxNameLength: MAX_NAME,
  applyOrder: 4,
  preset: 'day2',
  references: ['VPC'],
  clusterOwned: [],
  unorderedLists: [],
  columns: [{ title: 'Remote', path: 'spec.remote' }],
};
