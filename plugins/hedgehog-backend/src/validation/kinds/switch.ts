import { containsAddr, formatIPv4, formatPrefix, parseCIDR } from '../ipam';
import { Doc, int, obj, str } from '../model';
import { KindContext } from './context';

export const LEAF_ROLES = ['server-leaf', 'border-leaf', 'mixed-leaf'];

export function checkSwitch(doc: Doc, { report, config }: KindContext) {
  const spec = doc.spec;
  const role = str(spec.role);
  const isSpine = role === 'spine';
  const isLeaf = role !== undefined && LEAF_ROLES.includes(role);
  const redundancy = obj(spec.redundancy) ?? {};
  const group = str(redundancy.group);
  const type = str(redundancy.type);

  if (group && !type) {
    report.add(doc, 'switch.redundancy', ['spec', 'redundancy', 'type'], `redundancy group ${group} is set without a redundancy type (eslag)`);
  }
  if (type && !group) {
    report.add(doc, 'switch.redundancy', ['spec', 'redundancy', 'group'], `redundancy type ${type} is set without a redundancy group`);
  }
  if (type === 'mclag') {
    report.add(doc, 'deprecated.mclag', ['spec', 'redundancy', 'type'], `Switch ${doc.name} uses MCLAG redundancy, which is deprecated and no longer supported by current Hedgehog releases (use ESLAG)`);
  }
  // hydration: hhfab allocates these at install; the webhook rejects a switch without them
  const spineLeaf = config.fabricMode.value === 'spine-leaf';
  const missing: Array<[string, string]> = [];
  if (!int(spec.asn)) missing.push(['asn', 'ASN']);
  if (!str(spec.ip)) missing.push(['ip', 'management IP']);
  if (!str(spec.protocolIP)) missing.push(['protocolIP', 'protocol IP']);
  if (isLeaf && spineLeaf && !str(spec.vtepIP)) missing.push(['vtepIP', 'VTEP IP']);
  // one finding per switch, naming every field it lacks
  if (missing.length > 0) {
    const fields = listed(missing.map(([field, what]) => `${what} (spec.${field})`));
    report.add(
      doc,
      'hydration.switch',
      missing.length === 1 ? ['spec', missing[0][0]] : ['spec'],
      `Switch ${doc.name} has no ${fields}: the wiring is not hydrated; hhfab fills ${missing.length === 1 ? 'it' : 'them'} at install, and the switch cannot be applied without ${missing.length === 1 ? 'it' : 'them'}`,
    );
  }

  if (isSpine && str(spec.vtepIP)) {
    report.add(doc, 'switch.vtep-ip', ['spec', 'vtepIP'], `spine ${doc.name} must not have a VTEP IP`);
  }
  for (const field of ['protocolIP', 'vtepIP']) {
    const p = parseCIDR(spec[field]);
    if (p && p.bits !== 32) {
      report.add(doc, 'switch.address-prefix', ['spec', field], `${field} ${spec[field]} must be a /32`);
    }
  }

  // against the fabric config
  const ip = parseCIDR(spec.ip);
  if (ip) {
    const mgmt = config.managementSubnet;
    if (!containsAddr(mgmt.value, ip.addr)) {
      report.config(doc, 'switch.management-ip', ['spec', 'ip'], `management IP ${formatIPv4(ip.addr)} is not in the management subnet ${formatPrefix(mgmt.value)}`, mgmt.given);
    } else if (ip.addr >= config.managementDHCPStart.value) {
      report.config(
        doc,
        'switch.management-ip',
        ['spec', 'ip'],
        `management IP ${formatIPv4(ip.addr)} is in the management DHCP range starting at ${formatIPv4(config.managementDHCPStart.value)}`,
        mgmt.given && config.managementDHCPStart.given,
      );
    } else if (ip.addr === config.controlVIP.value) {
      report.config(doc, 'switch.management-ip', ['spec', 'ip'], `management IP ${formatIPv4(ip.addr)} is the control VIP`, config.controlVIP.given);
    }
  }
  const protocolIP = parseCIDR(spec.protocolIP);
  if (protocolIP && !containsAddr(config.protocolSubnet.value, protocolIP.addr)) {
    report.config(
      doc,
      'switch.protocol-ip',
      ['spec', 'protocolIP'],
      `protocol IP ${formatIPv4(protocolIP.addr)} is not in the protocol subnet ${formatPrefix(config.protocolSubnet.value)}`,
      config.protocolSubnet.given,
    );
  }
  const vtepIP = parseCIDR(spec.vtepIP);
  if (vtepIP && isLeaf && !containsAddr(config.vtepSubnet.value, vtepIP.addr)) {
    report.config(
      doc,
      'switch.vtep-subnet',
      ['spec', 'vtepIP'],
      `VTEP IP ${formatIPv4(vtepIP.addr)} is not in the VTEP subnet ${formatPrefix(config.vtepSubnet.value)}`,
      config.vtepSubnet.given,
    );
  }
  const asn = int(spec.asn);
  if (asn) {
    const leaf = config.leafASNs.value;
    if (isLeaf && (asn < leaf.start || asn > leaf.end)) {
      report.config(doc, 'switch.asn', ['spec', 'asn'], `leaf ASN ${asn} is not in the leaf ASN range ${leaf.start}-${leaf.end}`, config.leafASNs.given);
    }
    if (isSpine && asn !== config.spineASN.value) {
      report.config(doc, 'switch.asn', ['spec', 'asn'], `spine ASN ${asn} is not the spine ASN ${config.spineASN.value}`, config.spineASN.given);
    }
  }
}

/** "a", "a and b", "a, b and c". */
function listed(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
