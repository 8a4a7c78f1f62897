import { KindModule, MAX_NAME, WIRING_GROUP } from './types';

/** @public */
export const SwitchKind: KindModule = {
  kind: 'Switch',
  group: WIRING_GROUP,
  plural: 'switches',
  maxNameLength: MAX_NAME,
  applyOrder: 1,
  preset: 'wiring',
  references: ['VLANNamespace', 'SwitchGroup'],
  clusterOwned: [
    'spec.asn',
    'spec.ip',
    'spec.protocolIP',
    'spec.vtepIP',
    'spec.vlanNamespaces',
    'spec.groups',
    'spec.linkFlapErrDisable',
  ],
  unorderedLists: ['spec.groups', 'spec.vlanNamespaces'],
  columns: [
    { title: 'Role', path: 'spec.role' },
    { title: 'Profile', path: 'spec.profile' },
    { title: 'Groups', path: 'spec.groups' },
  ],
  catalogEntityType: 'hedgehog-switch',
};
