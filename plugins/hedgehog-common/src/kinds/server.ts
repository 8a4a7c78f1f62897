import { KindModule, MAX_NAME, WIRING_GROUP } from './types';

/** @public */
export const ServerKind: KindModule = {
  kind: 'Server',
  group: WIRING_GROUP,
  plural: 'servers',
  maxNameLength: MAX_NAME,
  applyOrder: 1,
  preset: 'wiring',
  references: [],
  clusterOwned: [],
  unorderedLists: [],
  columns: [{ title: 'Description', path: 'spec.description' }],
  catalogEntityType: 'hedgehog-server',
};
