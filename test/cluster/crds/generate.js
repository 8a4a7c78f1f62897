#!/usr/bin/env node
// Generates the Hedgehog CustomResourceDefinitions (apiextensions.k8s.io/v1)
// used by the test cluster, one YAML file per kind, from the compact schema
// table below (shapes from the Hedgehog reference notes, sections 1.5 and 2.2):
// the 12 managed kinds, and SwitchProfile, which the plugin only reads (shape of
// githedgehog/fabric api/wiring/v1beta1/switchprofile_types.go).
//
//   node test/cluster/crds/generate.js          # (re)write the YAML files
//   node test/cluster/crds/generate.js --check  # exit 1 when they are stale
//
// The schemas are structural, so the API server rejects wrongly typed fields
// and prunes unknown ones, like a real Hedgehog cluster. Semantic checks of
// Hedgehog's validating webhooks (CIDRs, references, ...) are not part of it.
// Only Node built-ins are used.
/* eslint-env node, es2020 */
'use strict';

const fs = require('fs');
const path = require('path');

// --- schema building blocks ---------------------------------------------------
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const strs = { type: 'array', items: str };
const oneOf = (...values) => ({ type: 'string', enum: values });
const obj = (properties, extra = {}) => ({
  type: 'object',
  properties,
  ...extra,
});
const list = (items, extra = {}) => ({ type: 'array', items, ...extra });
const map = values => ({ type: 'object', additionalProperties: values });
// Free-form value whose exact shape is not known here (kept, not pruned).
const any = { 'x-kubernetes-preserve-unknown-fields': true };

// Connection endpoints: `<device>/<port>`, some with a /31 `ip` (hydration).
const port = obj({ port: str });
const portIP = obj({ port: str, ip: str });
const serverLink = obj({ server: port, switch: port });
const switchPair = obj({ switch1: port, switch2: port });
const serverLinks = (min = 0) =>
  obj({
    links: list(serverLink, min ? { minItems: min } : {}),
    mtu: int,
    fallback: bool,
  });

const dhcpOptions = obj({
  pxeURL: str,
  dnsServers: strs,
  timeServers: strs,
  interfaceMTU: int,
  leaseTimeSeconds: int,
  disableDefaultRoute: bool,
  advertisedRoutes: list(obj({ destination: str, gateway: str })),
});
const vpcSubnet = obj({
  subnet: str,
  gateway: str,
  vlan: int,
  isolated: bool,
  restricted: bool,
  hostBGP: bool,
  dhcp: obj({
    enable: bool,
    relay: str,
    relayVPC: str,
    range: obj({ start: str, end: str }),
    options: dhcpOptions,
    static: map(obj({ ip: str })), // MAC -> {ip}
  }),
});

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
            tcpFilters: any, // shape not documented in HEDGEHOG.md
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

function crd([g, kind, plural, shortNames, categories, spec]) {
  const group = `${g}.githedgehog.com`;
  const names = {
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    categories: ['hedgehog', ...categories],
  };
  if (shortNames.length) names.shortNames = shortNames;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names,
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: obj({
              apiVersion: str,
              kind: str,
              metadata: { type: 'object' },
              spec,
              status: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
            }),
          },
        },
      ],
    },
  };
}

// --- a tiny YAML emitter (block style; enough for these documents) -------------
const PLAIN = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const scalar = v =>
  typeof v === 'string'
    ? PLAIN.test(v) && !RESERVED.test(v)
      ? v
      : `'${v.replace(/'/g, "''")}'` // single-quoted, like prettier
    : String(v);
const isEmpty = v => typeof v === 'object' && Object.keys(v).length === 0;
function yaml(v, indent = '') {
  if (Array.isArray(v)) {
    return v
      .map(x => {
        if (typeof x !== 'object' || isEmpty(x)) {
          return `${indent}- ${
            isEmpty(x) ? (Array.isArray(x) ? '[]' : '{}') : scalar(x)
          }\n`;
        }
        // First line of the nested block goes after the dash.
        const inner = yaml(x, `${indent}  `);
        return `${indent}- ${inner.slice(indent.length + 2)}`;
      })
      .join('');
  }
  return Object.entries(v)
    .map(([k, x]) => {
      if (typeof x !== 'object') return `${indent}${scalar(k)}: ${scalar(x)}\n`;
      if (isEmpty(x))
        return `${indent}${scalar(k)}: ${Array.isArray(x) ? '[]' : '{}'}\n`;
      // Nested blocks (maps and sequences) are indented by two spaces.
      return `${indent}${scalar(k)}:\n${yaml(x, `${indent}  `)}`;
    })
    .join('');
}

// --- main -----------------------------------------------------------------------
function main() {
  const dir = __dirname;
  const check = process.argv.includes('--check');
  const header =
    '# Generated by test/cluster/crds/generate.js - edit the table there, then rerun it.\n';
  let stale = false;
  for (const k of [...KINDS, SWITCH_PROFILE]) {
    const doc = crd(k);
    const file = path.join(
      dir,
      `${doc.spec.group}_${doc.spec.names.plural}.yaml`,
    );
    const text = `${header}${yaml(doc)}`;
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (old === text) continue;
    stale = true;
    if (!check) {
      fs.writeFileSync(file, text);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (check && stale) {
    console.error('CRDs are stale: run node test/cluster/crds/generate.js');
    process.exit(1);
  }
}

module.exports = { KINDS, SWITCH_PROFILE, crd, yaml };
if (require.main === module) main();
