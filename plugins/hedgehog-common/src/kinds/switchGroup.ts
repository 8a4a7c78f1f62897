import { KindModule, MAX_NAME, WIRING_GROUP } from './types';

/** @public */
export const SwitchGroupKind: KindModule = {
  kind: 'SwitchGroup',
  group: WIRING_GROUP,
  plural: 'switchgroups',
  maxNameLength: MAX_NAME,
  applyOrder: 0,
  preset: 'wiring',
  references: [],
  clusterOwned: [],
  unorderedLists: [],
  columns: [],
};
