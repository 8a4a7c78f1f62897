import { KindModule, MAX_NAME, WIRING_GROUP } from './types';

/** @public */
export const VLANNamespaceKind: KindModule = {
  kind: 'VLANNamespace',
  group: WIRING_GROUP,
  plural: 'vlannamespaces',
  maxNameLength: MAX_NAME,
  applyOrder: 0,
  preset: 'wiring',
  references: [],
  clusterOwned: [],
  unorderedLists: [],
  columns: [{ title: 'Ranges', path: 'spec.ranges', format: 'range' }],
};
