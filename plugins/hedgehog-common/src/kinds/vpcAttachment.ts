import { KindModule, MAX_NAME, VPC_GROUP } from './types';

/** @public */
export const VPCAttachmentKind: KindModule = {
  kind: 'VPCAttachment',
  group: VPC_GROUP,
  plural: 'vpcattachments',
  maxNameLength: MAX_NAME,
  applyOrder: 4,
  preset: 'day2',
  references: ['VPC', 'Connection', 'Switch'],
  clusterOwned: [],
  unorderedLists: [],
  columns: [
    { title: 'Subnet', path: 'spec.subnet' },
    { title: 'Connection', path: 'spec.connection' },
  ],
};
