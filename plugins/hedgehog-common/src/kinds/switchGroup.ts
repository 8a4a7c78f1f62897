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
  // its spec is empty (switchgroup_types.go): the list shows its name; the Switches name their groups
  columns: [],
};
