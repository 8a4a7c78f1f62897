import { GATEWAY_API_VERSION, GATEWAY_GROUP, KindModule, MAX_NAME } from './types';

/** Hedgehog's Gateway (api/gateway/v1alpha1/gateway_types.go), made by the installer from the wiring. @public */
export const GatewayKind: KindModule = {
  kind: 'Gateway',
  group: GATEWAY_GROUP,
  version: GATEWAY_API_VERSION,
  plural: 'gateways',
  maxNameLength: MAX_NAME,
  // after its GatewayGroups
  applyOrder: 1,
  preset: 'wiring',
  // the `default` GatewayGroup when it names none
  references: ['GatewayGroup'],
  // Gateway.Default(): log levels, rate limit, workers, the `default` group; hhfab's hydration
  // (fabricator pkg/hhfab/hydrate.go): ASN, protocol and VTEP IPs, VTEP MAC and MTU, interface IPs and MTU, BGP neighbors
  clusterOwned: [
    'spec.logs',
    'spec.workers',
    'spec.groups',
    'spec.asn',
    'spec.protocolIP',
    'spec.vtepIP',
    'spec.vtepMAC',
    'spec.vtepMTU',
    'spec.interfaces.*.ips',
    'spec.interfaces.*.mtu',
    'spec.neighbors',
  ],
  unorderedLists: ['spec.groups'],
  columns: [
    { title: 'Protocol IP', path: 'spec.protocolIP' },
    { title: 'VTEP IP', path: 'spec.vtepIP' },
    { title: 'ASN', path: 'spec.asn' },
    { title: 'Interfaces', path: 'spec.interfaces', format: 'count' },
    { title: 'Groups', path: 'spec.groups.*.name' },
  ],
  catalogEntityType: 'hedgehog-gateway',
};
