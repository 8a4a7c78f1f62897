import { ConnectionModel, IP_LINK_KEYS, connectionModel } from './connectionModel';
import { IPv4Prefix, findOverlaps, formatIPv4, formatPrefix, inRanges, isSubset, parseCIDR, rangesOverlap } from './ipam';
import { ipv4SubnetsOf, vlanRangesOf } from './kinds/namespaces';
import { LEAF_ROLES } from './kinds/switch';
import { VPCSubnetModel, vpcNamespaces, vpcSubnetsOf } from './kinds/vpc';
import { attachmentSubnet, peeringVPCs } from './kinds/vpcObjects';
import { Doc, Path, Report, bool, entries, formatPath, int, isPlainObject, list, obj, resourceKey, str } from './model';
import { SwitchProfileModel, checkSwitchProfiles } from './switchProfiles';

/** An object a reference resolved to: a document of the fabric, or a live object. */
interface Target {
  kind: string;
  name: string;
  spec: Record<string, any>;
  doc?: Doc;
}

/**
 * Resolves references: to the fabric's documents; for kinds of which the fabric
 * holds no documents, to the live objects when given, else the reference cannot be
 * checked (a warning, or nothing for implied defaults).
 */
class Resolver {
  private readonly git = new Map<string, Doc>();
  private readonly gitKinds = new Set<string>();
  private readonly live?: Map<string, Target>;
  private readonly models = new WeakMap<object, ConnectionModel>();

  constructor(docs: Doc[], live: Array<Record<string, unknown>> | undefined, private readonly report: Report) {
    for (const d of docs) {
      this.gitKinds.add(d.kind);
      const key = resourceKey(d.kind, d.name);
      if (d.name && !this.git.has(key)) this.git.set(key, d);
    }
    if (live) {
      this.live = new Map();
      for (const o of live) {
        if (!isPlainObject(o) || typeof o.kind !== 'string') continue;
        const name = obj(o.metadata)?.name;
        if (typeof name !== 'string' || this.gitKinds.has(o.kind)) continue;
        this.live.set(resourceKey(o.kind, name), { kind: o.kind, name, spec: obj(o.spec) ?? {} });
      }
    }
  }

  get(kind: string, name: string): Target | undefined {
    const doc = this.git.get(resourceKey(kind, name));
    if (doc) return { kind, name, spec: doc.spec, doc };
    return this.gitKinds.has(kind) ? undefined : this.live?.get(resourceKey(kind, name));
  }

  /** Resolves a reference and reports it when it does not resolve. */
  resolve(from: Doc, kind: string, name: string | undefined, path: Path, implicit = false): Target | undefined {
    if (!name) return undefined;
    const target = this.get(kind, name);
    if (target) return target;
    const what = implicit ? `${kind} ${name} (the default, as ${formatPath(path)} is not set)` : `${kind} ${name}`;
    if (this.gitKinds.has(kind)) {
      this.report.add(from, 'reference.missing', path, `${from.kind} ${from.name} refers to ${what}, which the fabric does not define`);
    } else if (this.live) {
      this.report.add(from, 'reference.missing', path, `${from.kind} ${from.name} refers to ${what}, which is neither in the fabric's Git nor in the cluster`);
    } else if (!implicit) {
      this.report.add(
        from,
        'reference.unverified',
        path,
        `${from.kind} ${from.name} refers to ${what}; the fabric's Git holds no ${kind} objects and no cluster objects were given, so it is not checked`,
      );
    }
    return undefined;
  }

  connection(target: Target): ConnectionModel {
    let m = this.models.get(target.spec);
    if (!m) {
      m = connectionModel(target.spec);
      this.models.set(target.spec, m);
    }
    return m;
  }
}

interface Use {
  doc: Doc;
  path: Path;
  what: string;
}

/** Reports every group of uses that spans more than one document, on each use. */
function reportShared(
  report: Report,
  groups: Map<string, Use[]>,
  rule: Parameters<Report['add']>[1],
  message: (use: Use, others: Use[]) => string,
  skip: (use: Use) => boolean = () => false,
) {
  for (const uses of groups.values()) {
    if (uses.length < 2) continue;
    const docs = new Set(uses.map(u => u.doc));
    if (docs.size < 2) continue;
    for (const use of uses) {
      if (skip(use)) continue;
      const others = uses.filter(u => u.doc !== use.doc);
      if (others.length > 0) report.add(use.doc, rule, use.path, message(use, others));
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const l = map.get(key);
  if (l) l.push(value);
  else map.set(key, [value]);
}

const where = (d: Doc) => `${d.kind} ${d.name} (${d.file}${d.document > 0 ? `#${d.document}` : ''})`;
const names = (uses: Use[], max = 3) =>
  `${uses.slice(0, max).map(u => where(u.doc)).join(', ')}${uses.length > max ? ` and ${uses.length - max} more` : ''}`;

/**
 * Layer 3 and 4: rules across the fabric (duplicates, references, reuse of ports,
 * addresses and VLANs, overlaps, namespaces) and references outside Git. Uses maps
 * and sorted sweeps, so it stays near-linear in the number of documents.
 */
export function checkFabric(
  docs: Doc[],
  live: Array<Record<string, unknown>> | undefined,
  report: Report,
  profiles?: Map<string, SwitchProfileModel>,
) {
  // duplicates
  // A later definition of the same kind/name is reported and takes no part in the
  // other rules (the first one is the resource, as in the ingest plan).
  const defined = new Map<string, Doc>();
  const unique: Doc[] = [];
  for (const d of docs) {
    const key = resourceKey(d.kind, d.name);
    const first = d.name ? defined.get(key) : undefined;
    if (first) {
      report.add(d, 'fabric.duplicate', ['metadata', 'name'], `${d.kind} ${d.name} is also defined in ${first.file}${first.document > 0 ? ` (document ${first.document})` : ''}`);
      continue;
    }
    if (d.name) defined.set(key, d);
    unique.push(d);
  }

  const r = new Resolver(unique, live, report);
  const byKind = new Map<string, Doc[]>();
  for (const d of unique) push(byKind, d.kind, d);
  const of = (kind: string) => byKind.get(kind) ?? [];

  checkSwitches(of('Switch'), r, report);
  checkConnections(of('Connection'), r, report);
  checkVPCs(of('VPC'), r, report);
  checkVPCAttachments(of('VPCAttachment'), r, report);
  checkPeerings(of('VPCPeering'), of('ExternalPeering'), r, report);
  checkExternals(of('External'), of('ExternalAttachment'), r, report);
  checkSwitchProfiles(of('Switch'), of('Connection'), name => r.get('Switch', name), profiles, report);
}

function switchNamespaces(spec: Record<string, any>): string[] {
  const explicit = list(spec.vlanNamespaces).filter((n): n is string => typeof n === 'string' && n !== '');
  return explicit.length > 0 ? explicit : ['default'];
}

function checkSwitches(switches: Doc[], r: Resolver, report: Report) {
  const addresses = new Map<string, Use[]>();
  const asns = new Map<string, Use[]>();
  const mclag = new Set<Doc>();
  for (const sw of switches) {
    const spec = sw.spec;
    const explicit = list(spec.vlanNamespaces);
    const namespaces: Array<{ name: string; ranges: ReturnType<typeof vlanRangesOf> }> = [];
    switchNamespaces(spec).forEach((ns, i) => {
      const path: Path = explicit.length > 0 ? ['spec', 'vlanNamespaces', i] : ['spec', 'vlanNamespaces'];
      const t = r.resolve(sw, 'VLANNamespace', ns, path, explicit.length === 0);
      if (t) namespaces.push({ name: ns, ranges: vlanRangesOf(t.spec) });
    });
    for (let i = 0; i < namespaces.length; i++) {
      for (let j = i + 1; j < namespaces.length; j++) {
        const a = namespaces[i];
        const b = namespaces[j];
        if (a.name === b.name) continue;
        if (a.ranges.some(x => b.ranges.some(y => rangesOverlap(x.range, y.range)))) {
          report.add(sw, 'switch.vlan-namespaces-overlap', ['spec', 'vlanNamespaces'], `the ranges of VLANNamespaces ${a.name} and ${b.name} overlap`);
        }
      }
    }
    const groups = list(spec.groups);
    groups.forEach((g, i) => r.resolve(sw, 'SwitchGroup', str(g), ['spec', 'groups', i]));
    const redundancy = obj(spec.redundancy) ?? {};
    const group = str(redundancy.group);
    if (group && !groups.includes(group)) r.resolve(sw, 'SwitchGroup', group, ['spec', 'redundancy', 'group']);
    if (redundancy.type === 'mclag') mclag.add(sw);

    for (const [field, what] of [['ip', 'management IP'], ['protocolIP', 'protocol IP'], ['vtepIP', 'VTEP IP']]) {
      const p = parseCIDR(spec[field]);
      if (p) push(addresses, `${field}:${p.addr}`, { doc: sw, path: ['spec', field], what: `${what} ${formatIPv4(p.addr)}` });
    }
    const asn = int(spec.asn);
    if (asn && LEAF_ROLES.includes(spec.role)) push(asns, String(asn), { doc: sw, path: ['spec', 'asn'], what: `ASN ${asn}` });
  }
  // MCLAG peers share VTEP IP and ASN (the webhook exempts MCLAG switches).
  reportShared(
    report,
    addresses,
    'fabric.switch-address-reused',
    (u, others) => `${u.what} is also used by ${names(others)}`,
    u => u.path[1] === 'vtepIP' && mclag.has(u.doc),
  );
  reportShared(report, asns, 'fabric.asn-reused', (u, others) => `leaf ${u.what} is also used by ${names(others)}`, u => mclag.has(u.doc));
}

function checkConnections(connections: Doc[], r: Resolver, report: Report) {
  const ports = new Map<string, Use[]>();
  const ips = new Map<string, Use[]>();
  for (const c of connections) {
    const model = r.connection({ kind: 'Connection', name: c.name, spec: c.spec, doc: c });
    const resolved = new Map<string, Target | undefined>();
    const seen = new Set<string>();
    for (const e of model.endpoints) {
      const key = `${e.role}/${e.device}`;
      if (!seen.has(key)) {
        seen.add(key);
        if (e.role === 'switch') resolved.set(e.device, r.resolve(c, 'Switch', e.device, e.path));
        else if (e.role === 'server') r.resolve(c, 'Server', e.device, e.path);
        else {
          report.add(c, 'reference.unmanaged-kind', e.path, `Connection ${c.name} refers to Gateway ${e.device}, a kind outside the managed kinds; the reference is not checked`);
        }
      }
      push(ports, e.alias, { doc: c, path: e.path, what: e.port });
      if (model.key && IP_LINK_KEYS.includes(model.key) && e.ip) {
        const p = parseCIDR(e.ip);
        if (p) push(ips, String(p.addr), { doc: c, path: [...e.endPath, 'ip'], what: formatIPv4(p.addr) });
      }
    }
    if (model.key === 'staticExternal') {
      r.resolve(c, 'VPC', str(obj(c.spec.staticExternal)?.withinVPC), ['spec', 'staticExternal', 'withinVPC']);
    }
    if ((model.key === 'eslag' || model.key === 'mclag') && model.switches.size > 0) {
      const targets = [...model.switches].map(s => resolved.get(s));
      if (targets.every(t => t !== undefined)) {
        const want = model.key;
        const groups = new Set(targets.map(t => str(obj(t!.spec.redundancy)?.group) ?? ''));
        const wrong = targets.filter(t => obj(t!.spec.redundancy)?.type !== want).map(t => t!.name);
        const problems: string[] = [];
        if (groups.has('')) problems.push(`switch(es) ${targets.filter(t => !str(obj(t!.spec.redundancy)?.group)).map(t => t!.name).join(', ')} have no redundancy group`);
        else if (groups.size > 1) problems.push(`the switches are in different redundancy groups (${[...groups].join(', ')})`);
        if (wrong.length > 0) problems.push(`switch(es) ${wrong.join(', ')} do not have redundancy type ${want}`);
        if (problems.length > 0) {
          report.add(c, 'connection.redundancy-group', ['spec', model.key], `${want} connection ${c.name}: ${problems.join('; ')}`);
        }
      }
    }
  }
  reportShared(report, ports, 'fabric.port-reused', (u, others) => `port ${u.what} is also used by ${names(others)}${others.some(o => o.what !== u.what) ? ` (as ${others.find(o => o.what !== u.what)!.what}, the same port)` : ''}`);
  for (const uses of ips.values()) {
    if (uses.length < 2) continue;
    for (const u of uses) {
      const others = uses.filter(o => o !== u);
      const inSame = others.filter(o => o.doc === u.doc);
      report.add(u.doc, 'fabric.link-ip-reused', u.path, `link IP ${u.what} is also used ${inSame.length === others.length ? `by ${formatPath(inSame[0].path)} of the same Connection` : `by ${names(others.filter(o => o.doc !== u.doc))}`}`);
    }
  }
}

function checkVPCs(vpcs: Doc[], r: Resolver, report: Report) {
  const byIPv4 = new Map<string, Array<{ prefix: IPv4Prefix; item: { doc: Doc; sub: VPCSubnetModel } }>>();
  const vlans = new Map<string, Use[]>();
  for (const vpc of vpcs) {
    const ns = vpcNamespaces(vpc.spec);
    const ipv4 = r.resolve(vpc, 'IPv4Namespace', ns.ipv4, ['spec', 'ipv4Namespace'], !ns.ipv4Explicit);
    const vlanNs = r.resolve(vpc, 'VLANNamespace', ns.vlan, ['spec', 'vlanNamespace'], !ns.vlanExplicit);
    const nsSubnets = ipv4 ? ipv4SubnetsOf(ipv4.spec) : [];
    const ranges = vlanNs ? vlanRangesOf(vlanNs.spec).map(x => x.range) : [];
    for (const sub of vpcSubnetsOf(vpc.spec)) {
      if (sub.prefix) {
        push(byIPv4, ns.ipv4, { prefix: sub.prefix, item: { doc: vpc, sub } });
        if (ipv4 && !nsSubnets.some(s => isSubset(sub.prefix!, s.prefix))) {
          report.add(
            vpc,
            'fabric.vpc-subnet-outside-namespace',
            [...sub.path, 'subnet'],
            `subnet ${sub.name} (${formatPrefix(sub.prefix)}) is not inside any subnet of IPv4Namespace ${ns.ipv4} (${nsSubnets.map(s => formatPrefix(s.prefix)).join(', ') || 'none'})`,
          );
        }
      }
      if (!sub.hostBGP && sub.vlan > 0) {
        push(vlans, `${ns.vlan}/${sub.vlan}`, { doc: vpc, path: [...sub.path, 'vlan'], what: `subnet ${sub.name}: VLAN ${sub.vlan}` });
        if (vlanNs && !inRanges(ranges, sub.vlan)) {
          report.add(
            vpc,
            'fabric.vpc-vlan-outside-namespace',
            [...sub.path, 'vlan'],
            `subnet ${sub.name}: VLAN ${sub.vlan} is not in the ranges of VLANNamespace ${ns.vlan} (${ranges.map(x => (x.from === x.to ? x.from : `${x.from}-${x.to}`)).join(', ') || 'none'})`,
          );
        }
      }
      const relayVPC = str(obj(obj(obj(vpc.spec.subnets)?.[sub.name])?.dhcp)?.relayVPC);
      if (relayVPC) r.resolve(vpc, 'VPC', relayVPC, [...sub.path, 'dhcp', 'relayVPC']);
    }
  }
  for (const [ns, items] of byIPv4) {
    for (const [a, b] of findOverlaps(items)) {
      if (a.doc === b.doc) continue; // within one VPC: vpc.subnet-overlap
      for (const [x, y] of [[a, b], [b, a]]) {
        report.add(
          x.doc,
          'fabric.vpc-subnet-overlap',
          [...x.sub.path, 'subnet'],
          `subnet ${x.sub.name} (${formatPrefix(x.sub.prefix!)}) overlaps subnet ${y.sub.name} (${formatPrefix(y.sub.prefix!)}) of ${where(y.doc)}, in the same IPv4Namespace ${ns}`,
        );
      }
    }
  }
  reportShared(report, vlans, 'fabric.vpc-vlan-reused', (u, others) => {
    const ns = vpcNamespaces(u.doc.spec).vlan;
    return `${u.what} is also used by ${names(others)} in the same VLANNamespace ${ns}`;
  });
}

function checkVPCAttachments(attachments: Doc[], r: Resolver, report: Report) {
  const byConnection = new Map<string, Array<{ doc: Doc; subnet: string; native: boolean }>>();
  for (const a of attachments) {
    const sub = attachmentSubnet(a.spec);
    const vpc = sub ? r.resolve(a, 'VPC', sub.vpc, ['spec', 'subnet']) : undefined;
    let subnetSpec: Record<string, any> | undefined;
    if (vpc && sub) {
      subnetSpec = obj(obj(vpc.spec.subnets)?.[sub.subnet]);
      if (!subnetSpec) {
        report.add(a, 'reference.missing', ['spec', 'subnet'], `VPCAttachment ${a.name} refers to subnet ${sub.subnet} of VPC ${sub.vpc}, which has no such subnet (it has: ${Object.keys(obj(vpc.spec.subnets) ?? {}).join(', ') || 'none'})`);
      }
    }
    const connName = str(a.spec.connection);
    const conn = r.resolve(a, 'Connection', connName, ['spec', 'connection']);
    if (conn) {
      const model = r.connection(conn);
      const allowed = ['unbundled', 'bundled', 'eslag', 'mclag'];
      if (model.key && !allowed.includes(model.key)) {
        report.add(a, 'vpcattachment.connection-type', ['spec', 'connection'], `Connection ${conn.name} is of type ${model.type}; VPCs attach only to unbundled, bundled or ESLAG connections`);
      } else if (model.key) {
        if (vpc && model.key === 'eslag' && str(vpc.spec.mode)) {
          report.add(a, 'vpcattachment.eslag-mode', ['spec', 'connection'], `ESLAG connection ${conn.name} cannot be attached to VPC ${vpc.name} in mode ${vpc.spec.mode}; only L2VNI (the default mode)`);
        }
        if (subnetSpec && bool(subnetSpec.hostBGP) && model.key !== 'unbundled') {
          report.add(a, 'vpcattachment.host-bgp', ['spec', 'connection'], `hostBGP subnet ${sub!.subnet} can only be attached through an unbundled connection, not ${model.type}`);
        }
        if (vpc) {
          const ns = vpcNamespaces(vpc.spec).vlan;
          for (const swName of model.switches) {
            const sw = r.get('Switch', swName);
            if (sw && !switchNamespaces(sw.spec).includes(ns)) {
              report.add(a, 'vpcattachment.vlan-namespace', ['spec', 'connection'], `switch ${swName} of Connection ${conn.name} does not have VLANNamespace ${ns} of VPC ${vpc.name}`);
            }
          }
        }
      }
    }
    if (connName && sub) push(byConnection, connName, { doc: a, subnet: `${sub.vpc}/${sub.subnet}`, native: bool(a.spec.nativeVLAN) });
  }
  for (const [conn, list_] of byConnection) {
    const subnets = new Map<string, Doc>();
    let native: Doc | undefined;
    for (const x of list_) {
      const first = subnets.get(x.subnet);
      if (first) {
        report.add(x.doc, 'vpcattachment.duplicate', ['spec', 'subnet'], `Connection ${conn} is already attached to ${x.subnet} by ${where(first)}`);
      } else {
        subnets.set(x.subnet, x.doc);
      }
      if (x.native) {
        if (native) report.add(x.doc, 'vpcattachment.duplicate', ['spec', 'nativeVLAN'], `Connection ${conn} already has a nativeVLAN attachment: ${where(native)}`);
        else native = x.doc;
      }
    }
  }
}

function checkSubnetsExist(from: Doc, vpc: Target, subnets: unknown, path: Path, report: Report) {
  const have = obj(vpc.spec.subnets) ?? {};
  list(subnets).forEach((s, j) => {
    if (typeof s === 'string' && s !== '' && !Object.prototype.hasOwnProperty.call(have, s)) {
      report.add(from, 'reference.missing', [...path, j], `${from.kind} ${from.name} refers to subnet ${s} of VPC ${vpc.name}, which has no such subnet`);
    }
  });
}

function checkPeerings(vpcPeerings: Doc[], externalPeerings: Doc[], r: Resolver, report: Report) {
  for (const p of vpcPeerings) {
    const targets = new Map<string, Target | undefined>();
    list(p.spec.permit).forEach((entry, i) => {
      for (const [vpcName, peer] of entries(entry)) {
        if (!targets.has(vpcName)) targets.set(vpcName, r.resolve(p, 'VPC', vpcName, ['spec', 'permit', i, vpcName]));
        const vpc = targets.get(vpcName);
        if (vpc) checkSubnetsExist(p, vpc, obj(peer)?.subnets, ['spec', 'permit', i, vpcName, 'subnets'], report);
      }
    });
    const vpcs = peeringVPCs(p.spec);
    if (vpcs.length === 2) {
      const [a, b] = vpcs.map(v => targets.get(v));
      if (a && b) {
        const na = vpcNamespaces(a.spec);
        const nb = vpcNamespaces(b.spec);
        if (na.ipv4 !== nb.ipv4) {
          report.add(p, 'vpcpeering.namespaces', ['spec', 'permit'], `VPCs ${a.name} and ${b.name} are in different IPv4Namespaces (${na.ipv4}, ${nb.ipv4})`);
        }
        if (na.vlan !== nb.vlan) {
          report.add(p, 'vpcpeering.namespaces', ['spec', 'permit'], `VPCs ${a.name} and ${b.name} are in different VLANNamespaces (${na.vlan}, ${nb.vlan})`);
        }
      }
    }
  }
  for (const p of externalPeerings) {
    const permit = obj(p.spec.permit) ?? {};
    const vpcPart = obj(permit.vpc) ?? {};
    const extPart = obj(permit.external) ?? {};
    const vpc = r.resolve(p, 'VPC', str(vpcPart.name), ['spec', 'permit', 'vpc', 'name']);
    const ext = r.resolve(p, 'External', str(extPart.name), ['spec', 'permit', 'external', 'name']);
    if (vpc) checkSubnetsExist(p, vpc, vpcPart.subnets, ['spec', 'permit', 'vpc', 'subnets'], report);
    if (vpc && ext) {
      const a = vpcNamespaces(vpc.spec).ipv4;
      const b = str(ext.spec.ipv4Namespace) ?? 'default';
      if (a !== b) {
        report.add(p, 'externalpeering.namespace', ['spec', 'permit'], `VPC ${vpc.name} (IPv4Namespace ${a}) and External ${ext.name} (IPv4Namespace ${b}) are in different IPv4Namespaces`);
      }
    }
  }
}

function checkExternals(externals: Doc[], attachments: Doc[], r: Resolver, report: Report) {
  for (const e of externals) {
    const ns = str(e.spec.ipv4Namespace);
    r.resolve(e, 'IPv4Namespace', ns ?? 'default', ['spec', 'ipv4Namespace'], ns === undefined);
  }
  const vlans = new Map<string, Use[]>();
  for (const a of attachments) {
    const isStatic = obj(a.spec.static) !== undefined;
    const ext = r.resolve(a, 'External', str(a.spec.external), ['spec', 'external']);
    if (ext && (obj(ext.spec.static) !== undefined) !== isStatic) {
      report.add(
        a,
        'externalattachment.external-mode',
        isStatic ? ['spec', 'static'] : ['spec', 'external'],
        isStatic ? `the attachment is static but External ${ext.name} is not` : `External ${ext.name} is static but the attachment is not (set static)`,
      );
    }
    const connName = str(a.spec.connection);
    const conn = r.resolve(a, 'Connection', connName, ['spec', 'connection']);
    if (conn) {
      const model = r.connection(conn);
      if (model.key && model.key !== 'external') {
        report.add(a, 'externalattachment.connection-type', ['spec', 'connection'], `Connection ${conn.name} is of type ${model.type}; ExternalAttachments use external connections`);
      }
    }
    if (connName) {
      const vlan = isStatic ? int(obj(a.spec.static)?.vlan) ?? 0 : int(obj(a.spec.switch)?.vlan) ?? 0;
      push(vlans, `${connName}/${vlan}`, { doc: a, path: isStatic ? ['spec', 'static', 'vlan'] : ['spec', 'switch', 'vlan'], what: `VLAN ${vlan}` });
    }
  }
  // The webhook refuses the later attachment; report every attachment after the first.
  for (const uses of vlans.values()) {
    uses.slice(1).forEach(u =>
      report.add(u.doc, 'externalattachment.vlan-reused', u.path, `connection ${str(u.doc.spec.connection)} already has an ExternalAttachment with ${u.what}: ${where(uses[0].doc)}`),
    );
  }
}
