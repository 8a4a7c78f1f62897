import { apiVersionOf, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { isCommunity, isIPAddress, parseCIDR, parseIPv4, parseMAC } from './ipam';
import { Doc, Path, Report, formatPath, isPlainObject } from './model';

/**
 * Layer 1: the schema of each kind (fields and types of the Hedgehog API v1beta1,
 * githedgehog/fabric `api/`), strict like hhfab: unknown fields are errors.
 */

type Format = 'cidr' | 'ipv4' | 'ip' | 'mac' | 'community' | 'port' | 'cidr-or-any';

type Schema =
  | { t: 'string'; enum?: readonly string[]; format?: Format }
  | { t: 'int'; min: number; max: number; zeroMeansDefault?: boolean }
  | { t: 'bool' }
  | { t: 'object'; fields: Record<string, Schema>; required?: readonly string[] }
  | { t: 'map'; values: Schema; keys?: Format; min?: number; max?: number }
  | { t: 'list'; items: Schema; min?: number; max?: number }
  | { t: 'any' };

const string = (extra: { enum?: readonly string[]; format?: Format } = {}): Schema => ({ t: 'string', ...extra });
const int = (min: number, max: number, zeroMeansDefault = false): Schema => ({ t: 'int', min, max, zeroMeansDefault });
const u8 = int(0, 255);
const u16 = int(0, 65535);
const u32 = int(0, 4294967295);
const bool: Schema = { t: 'bool' };
const any: Schema = { t: 'any' };
const object = (fields: Record<string, Schema>, required: readonly string[] = []): Schema => ({ t: 'object', fields, required });
const map = (values: Schema, extra: { keys?: Format; min?: number; max?: number } = {}): Schema => ({ t: 'map', values, ...extra });
const listOf = (items: Schema, min?: number, max?: number): Schema => ({ t: 'list', items, min, max });
const strings = listOf(string());

// wiring.githedgehog.com

const port = object({ port: string({ format: 'port' }) }, ['port']);
const serverToSwitchLink = object({ server: port, switch: port }, ['server', 'switch']);
const switchToSwitchLink = object({ switch1: port, switch2: port }, ['switch1', 'switch2']);
const ipPort = object({ port: string({ format: 'port' }), ip: string({ format: 'cidr' }) }, ['port']);
const serverFacing = (links: Schema, extra: Record<string, Schema> = {}) =>
  object({ links, mtu: u16, fallback: bool, ...extra }, ['links']);

const CONNECTION_SPEC = object({
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

const SWITCH_SPEC = object(
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

// vpc.githedgehog.com

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

const VPC_SPEC = object(
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

const ACL_STATEMENT = object(
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

const SPECS: Record<string, Schema> = {
  VLANNamespace: object({ ranges: listOf(object({ from: u16, to: u16 }, ['from']), 1, 20) }, ['ranges']),
  IPv4Namespace: object({ subnets: listOf(string({ format: 'cidr' }), 1, 10) }, ['subnets']),
  SwitchGroup: object({}),
  Switch: SWITCH_SPEC,
  Server: object({ description: string(), profile: string() }),
  Connection: CONNECTION_SPEC,
  VPC: VPC_SPEC,
  VPCAttachment: object({ subnet: string(), connection: string(), nativeVLAN: bool }, ['subnet', 'connection']),
  VPCPeering: object(
    { remote: string(), permit: listOf(map(object({ subnets: listOf(string(), 0, 10) })), 1, 10) },
    ['permit'],
  ),
  External: object({
    ipv4Namespace: string(),
    inboundCommunity: string({ format: 'community' }),
    outboundCommunity: string({ format: 'community' }),
    static: object({ prefixes: listOf(string({ format: 'cidr' })) }),
  }),
  ExternalAttachment: object(
    {
      external: string(),
      connection: string(),
      switch: object({ vlan: int(0, 4094), ip: string({ format: 'cidr' }) }),
      neighbor: object({ asn: u32, ip: string({ format: 'ip' }) }),
      static: object(
        { remoteIP: string({ format: 'ipv4' }), vlan: int(0, 4094), ip: string({ format: 'cidr' }), proxy: bool },
        ['remoteIP'],
      ),
      inboundACL: object({ statements: listOf(ACL_STATEMENT) }),
    },
    ['external', 'connection'],
  ),
  ExternalPeering: object(
    {
      permit: object(
        {
          vpc: object({ name: string(), subnets: strings }, ['name']),
          external: object(
            { name: string(), prefixes: listOf(object({ prefix: string({ format: 'cidr' }) }, ['prefix'])) },
            ['name'],
          ),
        },
        ['vpc', 'external'],
      ),
    },
    ['permit'],
  ),
};

/** Kubernetes ObjectMeta: what may appear under metadata (server-set fields included). */
const METADATA = object({
  name: any,
  namespace: any,
  labels: map(string()),
  annotations: map(string()),
  generateName: string(),
  uid: string(),
  resourceVersion: string(),
  generation: int(0, Number.MAX_SAFE_INTEGER),
  creationTimestamp: any,
  deletionTimestamp: any,
  deletionGracePeriodSeconds: int(0, Number.MAX_SAFE_INTEGER),
  selfLink: string(),
  finalizers: strings,
  ownerReferences: any,
  managedFields: any,
});

/** The full document schema of a kind. */
function documentSchema(kind: string): Schema {
  return object(
    {
      apiVersion: any,
      kind: any,
      metadata: METADATA,
      spec: SPECS[kind] ?? any,
      // every status of these kinds is empty
      status: object({}),
    },
  );
}

/** Checks a document against its kind's schema and reports every mismatch. */
export function checkSchema(doc: Doc, report: Report) {
  const kind = findKind(doc.kind)!;
  if (doc.object.apiVersion !== apiVersionOf(kind)) {
    report.add(
      doc,
      'schema.api-version',
      ['apiVersion'],
      `${kind.kind} must use apiVersion ${apiVersionOf(kind)}, not ${JSON.stringify(doc.object.apiVersion ?? null)}`,
    );
  }
  // A missing spec is checked as an empty one, so its required fields are reported.
  const value = doc.object.spec === undefined || doc.object.spec === null ? { ...doc.object, spec: {} } : doc.object;
  walk(documentSchema(kind.kind), value, [], doc, report);
}

function walk(schema: Schema, value: unknown, path: Path, doc: Doc, report: Report) {
  if (value === undefined || value === null || schema.t === 'any') return;
  const where = formatPath(path);
  const typeError = (expected: string) =>
    report.add(doc, 'schema.type', path, `${where} must be ${expected}, not ${describe(value)}`);
  switch (schema.t) {
    case 'string':
      if (typeof value !== 'string') {
        typeError('a string');
        return;
      }
      if (schema.enum && !schema.enum.includes(value)) {
        report.add(
          doc,
          'schema.enum',
          path,
          `${where} is ${JSON.stringify(value)}; allowed: ${schema.enum.map(e => JSON.stringify(e)).join(', ')}`,
        );
      }
      if (schema.format && value !== '') checkFormat(schema.format, value, path, doc, report);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        typeError('an integer');
        return;
      }
      if ((value < schema.min || value > schema.max) && !(schema.zeroMeansDefault && value === 0)) {
        report.add(doc, 'schema.range', path, `${where} is ${value}; allowed: ${schema.min}-${schema.max}`);
      }
      return;
    case 'bool':
      if (typeof value !== 'boolean') typeError('true or false');
      return;
    case 'list':
      if (!Array.isArray(value)) {
        typeError('a list');
        return;
      }
      checkCount(value.length, schema.min, schema.max, 'entries', path, doc, report);
      value.forEach((item, i) => walk(schema.items, item, [...path, i], doc, report));
      return;
    case 'map':
      if (!isPlainObject(value)) {
        typeError('a mapping');
        return;
      }
      checkCount(Object.keys(value).length, schema.min, schema.max, 'entries', path, doc, report);
      for (const [k, v] of Object.entries(value)) {
        if (schema.keys) checkFormat(schema.keys, k, [...path, k], doc, report, 'key');
        walk(schema.values, v, [...path, k], doc, report);
      }
      return;
    case 'object': {
      if (!isPlainObject(value)) {
        typeError('a mapping');
        return;
      }
      for (const field of schema.required ?? []) {
        const v = value[field];
        if (v === undefined || v === null || v === '') {
          report.add(doc, 'schema.required', [...path, field], `${formatPath([...path, field])} is required`);
        }
      }
      const known = Object.keys(schema.fields);
      for (const [k, v] of Object.entries(value)) {
        const field = Object.prototype.hasOwnProperty.call(schema.fields, k) ? schema.fields[k] : undefined;
        if (!field) {
          const hint = suggest(k, known);
          report.add(
            doc,
            'schema.unknown-field',
            [...path, k],
            `unknown field ${formatPath([...path, k])}${hint ? ` (did you mean ${hint}?)` : ''}; ${
              known.length > 0 ? `${where || 'the document'} has: ${known.join(', ')}` : `${where} must be empty`
            }`,
          );
          continue;
        }
        walk(field, v, [...path, k], doc, report);
      }
      return;
    }
    default:
  }
}

function checkCount(n: number, min: number | undefined, max: number | undefined, what: string, path: Path, doc: Doc, report: Report) {
  const where = formatPath(path);
  if (min !== undefined && n < min) {
    report.add(doc, 'schema.items', path, `${where} has ${n} ${what}; at least ${min} required`);
  } else if (max !== undefined && n > max) {
    report.add(doc, 'schema.items', path, `${where} has ${n} ${what}; at most ${max} allowed`);
  }
}

function checkFormat(format: Format, value: string, path: Path, doc: Doc, report: Report, what = 'value') {
  const where = what === 'key' ? `key ${JSON.stringify(value)} of ${formatPath(path.slice(0, -1))}` : formatPath(path);
  const shown = JSON.stringify(value);
  switch (format) {
    case 'cidr':
      if (!parseCIDR(value)) report.add(doc, 'schema.cidr', path, `${where} is ${shown}, not an IPv4 CIDR (e.g. 10.0.0.0/24)`);
      return;
    case 'cidr-or-any':
      if (value !== 'any' && !parseCIDR(value)) {
        report.add(doc, 'schema.cidr', path, `${where} is ${shown}, not an IPv4 CIDR or "any"`);
      }
      return;
    case 'ipv4':
      if (parseIPv4(value) === undefined) report.add(doc, 'schema.ip', path, `${where} is ${shown}, not an IPv4 address`);
      return;
    case 'ip':
      if (!isIPAddress(value)) report.add(doc, 'schema.ip', path, `${where} is ${shown}, not an IP address`);
      return;
    case 'mac':
      if (!parseMAC(value)) report.add(doc, 'schema.mac', path, `${where} is ${shown}, not a MAC address`);
      return;
    case 'community':
      if (!isCommunity(value)) {
        report.add(doc, 'schema.community', path, `${where} is ${shown}, not a community ASN:value (each 0-65535, e.g. 50000:50001)`);
      }
      return;
    case 'port': {
      const slash = value.indexOf('/');
      if (slash <= 0 || slash === value.length - 1) {
        report.add(doc, 'schema.port-name', path, `${where} is ${shown}, not a port name <device>/<port> (e.g. leaf-01/E1/3)`);
      }
      return;
    }
    default:
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  return typeof value;
}

/** A known field close to an unknown one (case or a typo away). */
function suggest(field: string, known: string[]): string | undefined {
  const lower = field.toLowerCase();
  const byCase = known.find(k => k.toLowerCase() === lower);
  if (byCase) return byCase;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
