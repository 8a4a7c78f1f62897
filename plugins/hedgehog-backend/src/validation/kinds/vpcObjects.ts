import { formatPrefix, parseCIDR } from '../ipam';
import { Doc, MAX_FINDINGS_PER_RULE, Path, bool, entries, int, list, obj, str } from '../model';
import { findOverlaps } from '../overlaps';
import { KindContext } from './context';

const P2P_LINK_ANNOTATION = 'fabric.githedgehog.com/p2p-link';

/** `<vpc>/<subnet>` of a VPCAttachment; no `/` means the subnet `default`. */
export function attachmentSubnet(spec: Record<string, any>): { vpc: string; subnet: string } | undefined {
  const value = str(spec.subnet);
  if (!value) return undefined;
  const slash = value.indexOf('/');
  if (slash === 0) return undefined;
  return slash < 0 ? { vpc: value, subnet: 'default' } : { vpc: value.slice(0, slash), subnet: value.slice(slash + 1) };
}

export function checkVPCAttachment(doc: Doc, { report }: KindContext) {
  const value = str(doc.spec.subnet);
  if (value && (value.startsWith('/') || value.endsWith('/'))) {
    report.add(doc, 'vpcattachment.subnet', ['spec', 'subnet'], `subnet ${JSON.stringify(value)} must be <vpc>/<subnet>`);
  }
  const annotations = obj(obj(doc.object.metadata)?.annotations);
  if (annotations && P2P_LINK_ANNOTATION in annotations) {
    const raw = annotations[P2P_LINK_ANNOTATION];
    const p = parseCIDR(raw);
    if (!p || p.bits !== 31) {
      report.add(
        doc,
        'vpcattachment.p2p-link',
        ['metadata', 'annotations', P2P_LINK_ANNOTATION],
        `annotation ${P2P_LINK_ANNOTATION} is ${JSON.stringify(raw)}; it must be an IPv4 /31 prefix`,
      );
    }
  }
}

/** The VPC names of a VPCPeering, in order of appearance. */
export function peeringVPCs(spec: Record<string, any>): string[] {
  const names: string[] = [];
  for (const entry of list(spec.permit)) {
    for (const [name] of entries(entry)) if (!names.includes(name)) names.push(name);
  }
  return names;
}

export function checkVPCPeering(doc: Doc, { report, config }: KindContext) {
  if (str(doc.spec.remote)) {
    report.add(doc, 'vpcpeering.remote', ['spec', 'remote'], 'remote is deprecated and no longer supported; leave it empty');
  }
  const permit = list(doc.spec.permit);
  permit.forEach((entry, i) => {
    const n = entries(entry).length;
    if (obj(entry) && n !== 2) {
      report.add(doc, 'vpcpeering.permit', ['spec', 'permit', i], `permit entry ${i} names ${n} VPC${n === 1 ? '' : 's'}; exactly 2 are required`);
    }
  });
  const vpcs = peeringVPCs(doc.spec);
  if (permit.length > 0 && vpcs.length !== 2) {
    report.add(doc, 'vpcpeering.permit', ['spec', 'permit'], `a VPCPeering peers exactly 2 VPCs; its permit entries name ${vpcs.length} (${vpcs.join(', ')})`);
  }
  if (config.vpcPeeringDisabled.value) {
    report.config(doc, 'vpcpeering.disabled', ['spec'], 'VPC peering is disabled in the fabric config (vpcPeeringDisabled)', config.vpcPeeringDisabled.given);
  }
}

export function checkExternal(doc: Doc, { report }: KindContext) {
  const stat = obj(doc.spec.static);
  if (!stat) return;
  for (const field of ['inboundCommunity', 'outboundCommunity']) {
    if (str(doc.spec[field])) {
      report.add(doc, 'external.static', ['spec', field], `a static External has no ${field}`);
    }
  }
  const prefixes = list(stat.prefixes);
  if (prefixes.length === 0) {
    report.add(doc, 'external.static', ['spec', 'static', 'prefixes'], 'a static External needs at least one prefix');
  }
  const parsed = prefixes.flatMap((s, i) => {
    const prefix = parseCIDR(s);
    return prefix ? [{ prefix, item: { prefix, path: ['spec', 'static', 'prefixes', i] as Path } }] : [];
  });
  const overlapping = findOverlaps(parsed, MAX_FINDINGS_PER_RULE);
  for (const [a, b] of overlapping.pairs) {
    report.add(doc, 'external.static', b.path, `prefix ${formatPrefix(b.prefix)} overlaps prefix ${formatPrefix(a.prefix)}`);
  }
  report.leftOut(doc, 'external.static', overlapping.total - overlapping.pairs.length);
}

export function checkExternalAttachment(doc: Doc, { report }: KindContext) {
  const spec = doc.spec;
  const sw = obj(spec.switch) ?? {};
  const neighbor = obj(spec.neighbor) ?? {};
  const stat = obj(spec.static);
  if (!stat) {
    if (!str(sw.ip)) report.add(doc, 'externalattachment.bgp', ['spec', 'switch', 'ip'], 'a BGP ExternalAttachment needs switch.ip');
    if (!int(neighbor.asn)) report.add(doc, 'externalattachment.bgp', ['spec', 'neighbor', 'asn'], 'a BGP ExternalAttachment needs neighbor.asn');
    if (!str(neighbor.ip)) report.add(doc, 'externalattachment.bgp', ['spec', 'neighbor', 'ip'], 'a BGP ExternalAttachment needs neighbor.ip');
  } else {
    if (str(sw.ip) || int(sw.vlan)) {
      report.add(doc, 'externalattachment.static', ['spec', 'switch'], 'a static ExternalAttachment has no switch values (use static.vlan and static.ip)');
    }
    if (str(neighbor.ip) || int(neighbor.asn)) {
      report.add(doc, 'externalattachment.static', ['spec', 'neighbor'], 'a static ExternalAttachment has no neighbor');
    }
    if (!!str(stat.ip) === bool(stat.proxy)) {
      report.add(doc, 'externalattachment.static', ['spec', 'static'], 'a static ExternalAttachment needs exactly one of static.ip and static.proxy');
    }
  }
  checkACL(doc, spec, report);
}

const TCP_FLAGS = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg'];

function checkACL(doc: Doc, spec: Record<string, any>, report: KindContext['report']) {
  const seqs = new Set<number>();
  list(obj(spec.inboundACL)?.statements).forEach((raw, i) => {
    const s = obj(raw);
    if (!s) return;
    const path: Path = ['spec', 'inboundACL', 'statements', i];
    const add = (field: string | undefined, message: string) =>
      report.add(doc, 'externalattachment.acl', field ? [...path, field] : path, `statement ${i}: ${message}`);
    const seq = int(s.seq);
    if (seq !== undefined) {
      if (seq < 10) add('seq', `sequence number ${seq} is reserved; user statements use seq >= 10`);
      if (seqs.has(seq)) add('seq', `sequence number ${seq} is used twice`);
      seqs.add(seq);
    }
    const protocol = s.protocol;
    const filters = obj(s.tcpFilters);
    if (filters) {
      if (protocol !== 'tcp') add('tcpFilters', 'tcpFilters need protocol tcp');
      const set = (f: string) => filters[f] === true;
      if (set('established') && TCP_FLAGS.some(f => set(f) || set(`not${f[0].toUpperCase()}${f.slice(1)}`))) {
        add('tcpFilters', 'established cannot be combined with individual TCP flags');
      }
      const both = TCP_FLAGS.filter(f => set(f) && set(`not${f[0].toUpperCase()}${f.slice(1)}`));
      if (both.length > 0) add('tcpFilters', `contradictory TCP flags: ${both.join(', ')} and their negation`);
    }
    if ((s.icmpType !== undefined && s.icmpType !== null) || (s.icmpCode !== undefined && s.icmpCode !== null)) {
      if (protocol !== 'icmp') add(s.icmpType !== undefined ? 'icmpType' : 'icmpCode', 'icmpType and icmpCode need protocol icmp');
    }
    const begin = int(s.portRangeBegin) ?? 0;
    const end = int(s.portRangeEnd) ?? 0;
    if (begin > 0 || end > 0) {
      if (protocol !== 'tcp' && protocol !== 'udp') add('portRangeBegin', 'port ranges need protocol tcp or udp');
      else if (begin === 0) add('portRangeBegin', 'portRangeBegin must be at least 1');
      else if (begin > end) add('portRangeEnd', `portRangeBegin ${begin} is greater than portRangeEnd ${end}`);
    }
  });
}
