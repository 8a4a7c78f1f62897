import { bool, int, listOf, map, object, string, strings, u16, u32, u8 } from './types';

/* The larger specs of the vpc.githedgehog.com kinds: VPC and the ACL statements of ExternalAttachments. */

const DHCP_OPTIONS = object({
  pxeURL: string(),
  dnsServers: listOf(string({ format: 'ip' })),
  timeServers: listOf(string({ format: 'ip' })),
  interfaceMTU: int(96, 9036, true),
  leaseTimeSeconds: u32,
  disableDefaultRoute: bool,
  advertisedRoutes: listOf(
    object({ destination: string({ format: 'cidr' }), gateway: string({ format: 'ipv4' }) }, ['destination', 'gateway']),
  ),
});

const VPC_SUBNET = object(
  {
    subnet: string({ format: 'cidr' }),
    gateway: string({ format: 'ipv4' }),
    vlan: int(0, 4094),
    isolated: bool,
    restricted: bool,
    hostBGP: bool,
    dhcp: object({
      relay: string({ format: 'cidr' }),
      relayVPC: string(),
      enable: bool,
      range: object({ start: string({ format: 'ipv4' }), end: string({ format: 'ipv4' }) }),
      options: DHCP_OPTIONS,
      static: map(object({ ip: string({ format: 'ipv4' }) }, ['ip']), { keys: 'mac' }),
    }),
  },
  ['subnet'],
);

export const VPC_SPEC = object(
  {
    mode: string({ enum: ['', 'l3vni', 'l3flat'] }),
    subnets: map(VPC_SUBNET, { min: 1, max: 20 }),
    ipv4Namespace: string(),
    vlanNamespace: string(),
    defaultIsolated: bool,
    defaultRestricted: bool,
    permit: listOf(strings),
    staticRoutes: listOf(
      object({ prefix: string({ format: 'cidr' }), nextHops: listOf(string({ format: 'ip' })) }, ['prefix']),
    ),
  },
  ['subnets'],
);

export const ACL_STATEMENT = object(
  {
    seq: u16,
    action: string({ enum: ['permit', 'deny', 'discard', 'transit'] }),
    protocol: string({ enum: ['ip', 'tcp', 'udp', 'icmp'] }),
    srcPrefix: string({ format: 'cidr-or-any' }),
    dstPrefix: string({ format: 'cidr-or-any' }),
    portRangeBegin: u16,
    portRangeEnd: u16,
    tcpFilters: object(
      Object.fromEntries(
        ['established', 'fin', 'notFin', 'syn', 'notSyn', 'rst', 'notRst', 'psh', 'notPsh', 'ack', 'notAck', 'urg', 'notUrg'].map(
          f => [f, bool],
        ),
      ),
    ),
    icmpType: u8,
    icmpCode: u8,
  },
  ['seq', 'action', 'protocol', 'srcPrefix', 'dstPrefix'],
);
