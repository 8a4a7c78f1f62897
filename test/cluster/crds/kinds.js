// The table of the Hedgehog kinds the test cluster defines (see generate.js):
// the 12 managed kinds of wiring and vpc (the gateway kinds' CRDs are Hedgehog's own files), and SwitchProfile, which the plugin only reads.
/* eslint-env node, es2020 */
'use strict';

const {
  str,
  int,
  bool,
  strs,
  oneOf,
  obj,
  list,
  map,
  any,
  port,
  portIP,
  serverLink,
  switchPair,
  serverLinks,
  vpcSubnet,
} = require('./schemaBlocks');

// --- the 12 kinds -------------------------------------------------------------
// [group prefix, kind, plural, shortNames, categories, spec schema]
const W = 'wiring';
const V = 'vpc';
const KINDS = [
  [
    W,
    'VLANNamespace',
    'vlannamespaces',
    ['vlanns'],
    ['wiring'],
    obj({
      ranges: list(obj({ from: int, to: int }), { minItems: 1, maxItems: 20 }),
    }),
  ],
  [
    V,
    'IPv4Namespace',
    'ipv4namespaces',
    ['ipns'],
    ['fabric'],
    obj({
      subnets: list(str, { minItems: 1, maxItems: 20 }),
    }),
  ],
  [W, 'SwitchGroup', 'switchgroups', ['sg'], ['wiring'], obj({})],
  [
    W,
    'Switch',
    'switches',
    ['sw'],
    ['wiring'],
    obj(
      {
        role: oneOf(
          'spine',
          'server-leaf',
          'border-leaf',
          'mixed-leaf',
          'virtual-edge',
        ),
        description: str,
        profile: str,
        groups: strs,
        redundancy: obj({ group: str, type: oneOf('', 'eslag', 'mclag') }),
        vlanNamespaces: strs,
        asn: { type: 'integer', minimum: 0, maximum: 4294967295 },
        ip: str,
        vtepIP: str,
        protocolIP: str,
        portGroupSpeeds: map(str),
        portSpeeds: map(str),
        portBreakouts: map(str),
        portAutoNegs: map(bool),
        portFECs: map(oneOf('rs', 'fc', 'auto', 'disabled')),
        boot: obj({ serial: str, mac: str }),
        enableAllPorts: bool,
        roce: bool,
        ecmp: obj({ roceQPN: bool }),
        linkFlapErrDisable: obj({
          flapThreshold: { type: 'integer', minimum: 1, maximum: 50 },
          samplingInterval: { type: 'integer', minimum: 1, maximum: 65535 },
          recoveryInterval: { type: 'integer', minimum: 0, maximum: 65534 },
        }),
      },
      { required: ['role'] },
    ),
  ],
  [
    W,
    'Server',
    'servers',
    ['srv'],
    ['wiring'],
    obj({ description: str, profile: str }),
  ],
  [
    W,
    'Connection',
    'connections',
    ['conn'],
    ['wiring'],
    obj({
      unbundled: obj({ link: serverLink, mtu: int }),
      bundled: serverLinks(),
      mclag: serverLinks(2),
      eslag: serverLinks(2),
      mclagDomain: obj({
        peerLinks: list(switchPair, { minItems: 1 }),
        sessionLinks: list(switchPair, { minItems: 1 }),
      }),
      fabric: obj({
        links: list(obj({ spine: portIP, leaf: portIP }), { minItems: 1 }),
      }),
      mesh: obj({
        links: list(obj({ leaf1: portIP, leaf2: portIP }), { minItems: 1 }),
      }),
      gateway: obj({
        links: list(obj({ switch: portIP, gateway: portIP }), { minItems: 1 }),
      }),
      vpcLoopback: obj({ links: list(switchPair, { minItems: 1 }) }),
      external: obj({ link: obj({ switch: port }) }),
      staticExternal: obj({
        link: obj({
          switch: obj({
            port: str,
            ip: str,
            nextHop: str,
            subnets: strs,
            vlan: int,
          }),
        }),
        withinVPC: str,
      }),
    }),
  ],
  [
    V,
    'VPC',
    'vpcs',
    [],
    ['fabric'],
    obj({
      mode: oneOf('', 'l3vni', 'l3flat'),
      ipv4Namespace: str,
      vlanNamespace: str,
      defaultIsolated: bool,
      defaultRestricted: bool,
      permit: list(strs),
      staticRoutes: list(obj({ prefix: str, nextHops: strs })),
      subnets: map(vpcSubnet),
    }),
  ],
  [
    V,
    'VPCAttachment',
    'vpcattachments',
    ['vpcattach'],
    ['fabric'],
    obj({
      subnet: str,
      connection: str,
      nativeVLAN: bool,
    }),
  ],
  [
    V,
    'VPCPeering',
    'vpcpeerings',
    ['vpcpeer'],
    ['fabric'],
    obj({
      permit: list(map(obj({ subnets: strs })), { maxItems: 10 }),
      remote: str,
    }),
  ],
  [
    V,
    'External',
    'externals',
    ['ext'],
    ['fabric', 'external'],
    obj({
      ipv4Namespace: str,
      inboundCommunity: str,
      outboundCommunity: str,
      static: obj({ prefixes: strs }),
    }),
  ],
  [
    V,
    'ExternalAttachment',
    'externalattachments',
    ['extattach'],
    ['fabric', 'external'],
    obj({
      external: str,
      connection: str,
      switch: obj({ vlan: int, ip: str }),
      neighbor: obj({
        asn: { type: 'integer', minimum: 0, maximum: 4294967295 },
        ip: str,
      }),
      static: obj({ remoteIP: str, vlan: int, ip: str, proxy: bool }),
      inboundACL: obj({
        statements: list(
          obj({
            seq: int,
            action: oneOf('permit', 'deny', 'discard', 'transit'),
            protocol: oneOf('ip', 'tcp', 'udp', 'icmp'),
            srcPrefix: str,
            dstPrefix: str,
            portRangeBegin: int,
            portRangeEnd: int,
            // TCP flag booleans (established, syn, notSyn, ...): ACLTCPFilters in
            // githedgehog/fabric api/vpc/v1beta1/externalattachment_types.go
            tcpFilters: any,
            icmpType: int,
            icmpCode: int,
          }),
        ),
      }),
    }),
  ],
  [
    V,
    'ExternalPeering',
    'externalpeerings',
    ['extpeering', 'extpeer'],
    ['fabric', 'external'],
    obj({
      permit: obj({
        vpc: obj({ name: str, subnets: strs }),
        external: obj({ name: str, prefixes: list(obj({ prefix: str })) }),
      }),
    }),
  ],
];

// SwitchProfile: read only (port checks). Hedgehog ships the profiles as objects of
// the cluster; tests create their own small ones.
const SWITCH_PROFILE = [
  W,
  'SwitchProfile',
  'switchprofiles',
  ['sp'],
  ['wiring', 'fabric'],
  obj({
    displayName: str,
    otherNames: strs,
    switchSilicon: str,
    features: obj({
      subinterfaces: bool,
      acls: bool,
      l2vni: bool,
      l3vni: bool,
      roce: bool,
      mclag: bool,
      eslag: bool,
      ecmpRoCEQPN: bool,
    }),
    notes: str,
    config: obj({ maxPathsEBGP: int }),
    ports: map(
      obj({
        nos: str,
        baseNOSName: str,
        label: str,
        group: str,
        profile: str,
        management: bool,
        oniePortName: str,
        pipeline: str,
      }),
    ),
    portGroups: map(obj({ nos: str, profile: str })),
    portProfiles: map(
      obj({
        speed: obj({ default: str, supported: strs }),
        breakout: obj({
          default: str,
          supported: map(obj({ offsets: strs })),
        }),
        autoNegAllowed: bool,
        autoNegDefault: bool,
      }),
    ),
    nosType: str,
    platform: str,
    pipelines: map(obj({ maxPorts: int })),
    maxPorts: int,
  }),
];

module.exports = { KINDS, SWITCH_PROFILE };
