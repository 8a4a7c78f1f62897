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
  columns: [
    // the peered VPCs are the keys of each spec.permit entry
    { title: 'VPCs', path: 'spec.permit.*', format: 'keys' },
    { title: 'Remote', path: 'spec.remote' },
  ],
};
