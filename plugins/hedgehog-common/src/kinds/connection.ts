import { KindModule, MAX_NAME, WIRING_GROUP } from './types';

/** @public */
export const ConnectionKind: KindModule = {
  kind: 'Connection',
  group: WIRING_GROUP,
  plural: 'connections',
  maxNameLength: MAX_NAME,
  applyOrder: 2,
  preset: 'wiring',
  // per object: the switches, servers and (static external within a VPC) VPC it names
  references: [],
  clusterOwned: [
    'spec.fabric.links.*.spine.ip',
    'spec.fabric.links.*.leaf.ip',
    'spec.mesh.links.*.leaf1.ip',
    'spec.mesh.links.*.leaf2.ip',
    'spec.gateway.links.*.switch.ip',
    'spec.gateway.links.*.gateway.ip',
  ],
  unorderedLists: [],
  // the type is the one key of spec (unbundled, bundled, mclag, eslag, fabric, mesh, gateway, ...)
  columns: [{ title: 'Type', path: 'spec', format: 'keys' }],
};
