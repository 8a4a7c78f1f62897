import { Schema, bool, int, listOf, map, object, string, strings, u16, u32 } from './types';

/* The specs of the wiring.githedgehog.com kinds that need more than a line: Connection and Switch. */

const port = object({ port: string({ format: 'port' }) }, ['port']);
const serverToSwitchLink = object({ server: port, switch: port }, ['server', 'switch']);
const switchToSwitchLink = object({ switch1: port, switch2: port }, ['switch1', 'switch2']);
const ipPort = object({ port: string({ format: 'port' }), ip: string({ format: 'cidr' }) }, ['port']);
const serverFacing = (links: Schema, extra: Record<string, Schema> = {}) =>
  object({ links, mtu: u16, fallback: bool, ...extra }, ['links']);

export const CONNECTION_SPEC = object({
  unbundled: object({ link: serverToSwitchLink, mtu: u16 }, ['link']),
  bundled: serverFacing(listOf(serverToSwitchLink, 1)),
  mclag: serverFacing(listOf(serverToSwitchLink, 2)),
  eslag: serverFacing(listOf(serverToSwitchLink, 2)),
  mclagDomain: object(
    { peerLinks: listOf(switchToSwitchLink, 1), sessionLinks: listOf(switchToSwitchLink, 1) },
    ['peerLinks', 'sessionLinks'],
  ),
  fabric: object({ links: listOf(object({ spine: ipPort, leaf: ipPort }, ['spine', 'leaf']), 1) }, ['links']),
  mesh: object({ links: listOf(object({ leaf1: ipPort, leaf2: ipPort }, ['leaf1', 'leaf2']), 1) }, ['links']),
  gateway: object({ links: listOf(object({ switch: ipPort, gateway: ipPort }, ['switch', 'gateway']), 1) }, ['links']),
  vpcLoopback: object({ links: listOf(switchToSwitchLink, 1) }, ['links']),
  external: object({ link: object({ switch: port }, ['switch']) }, ['link']),
  staticExternal: object(
    {
      link: object(
        {
          switch: object(
            {
              port: string({ format: 'port' }),
              ip: string({ format: 'cidr' }),
              nextHop: string({ format: 'ipv4' }),
              subnets: listOf(string({ format: 'cidr' })),
              vlan: int(0, 4094),
            },
            ['port', 'ip', 'nextHop'],
          ),
        },
        ['switch'],
      ),
      withinVPC: string(),
    },
    ['link'],
  ),
});

const SWITCH_ROLES = ['spine', 'server-leaf', 'border-leaf', 'mixed-leaf', 'virtual-edge'] as const;

export const SWITCH_SPEC = object(
  {
    role: string({ enum: SWITCH_ROLES }),
    description: string(),
    profile: string(),
    groups: strings,
    redundancy: object({ group: string(), type: string({ enum: ['', 'eslag', 'mclag'] }) }),
    vlanNamespaces: strings,
    asn: u32,
    ip: string({ format: 'cidr' }),
    vtepIP: string({ format: 'cidr' }),
    protocolIP: string({ format: 'cidr' }),
    portGroupSpeeds: map(string()),
    portSpeeds: map(string()),
    portBreakouts: map(string()),
    portAutoNegs: map(bool),
    portFECs: map(string({ enum: ['rs', 'fc', 'auto', 'disabled'] })),
    boot: object({ serial: string(), mac: string({ format: 'mac' }) }),
    enableAllPorts: bool,
    roce: bool,
    ecmp: object({ roceQPN: bool }),
    linkFlapErrDisable: object({
      flapThreshold: int(1, 50),
      samplingInterval: int(1, 65535),
      recoveryInterval: int(0, 65534),
    }),
  },
  ['role', 'profile'],
);
