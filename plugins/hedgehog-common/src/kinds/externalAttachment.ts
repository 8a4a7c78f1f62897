import { KindModule, MAX_NAME, VPC_GROUP } from './types';

/** @public */
export const ExternalAttachmentKind: KindModule = {
  kind: 'ExternalAttachment',
  group: VPC_GROUP,
  plural: 'externalattachments',
  maxNameLength: MAX_NAME,
  applyOrder: 4,
  preset: 'day2',
  references: ['External', 'Connection'],
  clusterOwned: ['spec.switch', 'spec.neighbor'],
  unorderedLists: [],
  columns: [
    { title: 'External', path: 'spec.external' },
    { title: 'Connection', path: 'spec.connection' },
  ],
};
