import { IPv4Prefix, containsAddr, formatIPv4, formatPrefix, isCanonical, overlaps, parseCIDR, parseIPv4 } from '../ipam';
import { Doc, MAX_FINDINGS_PER_RULE, Path, bool, entries, int, list, obj, str } from '../model';
import { findOverlaps } from '../overlaps';
import { KindContext } from './context';

/** A VPC subnet as the webhook sees it after defaulting. */
export interface VPCSubnetModel {
  name: string;
  path: Path;
  prefix?: IPv4Prefix;
  /** The VLAN, 0 when not set. */
  vlan: number;
  hostBGP: boolean;
}

export function vpcSubnetsOf(spec: Record<string, any>): VPCSubnetModel[] {
  return entries(spec.subnets).map(([name, raw]) => {
    const s = obj(raw) ?? {};
    return {
      name,
      path: ['spec', 'subnets', name],
      prefix: parseCIDR(s.subnet),
      vlan: int(s.vlan) ?? 0,
      hostBGP: bool(s.hostBGP),
    };
  });
}

/** The namespaces a VPC uses; absent fields default to `default`. */
export function vpcNamespaces(spec: Record<string, any>) {
  return {
    ipv4: str(spec.ipv4Namespace) ?? 'default',
    ipv4Explicit: str(spec.ipv4Namespace) !== undefined,
    vlan: str(spec.vlanNamespace) ?? 'default',
    vlanExplicit: str(spec.vlanNamespace) !== undefined,
  };
}

export function checkVPC(doc: Doc, { report, config }: KindContext) {
  const spec = doc.spec;
  if (doc.name.startsWith('ext.')) {
    report.add(doc, 'vpc.name-prefix', ['metadata', 'name'], `VPC name ${doc.name} must not start with "ext."`);
  }
  if (spec.mode === 'l3flat') {
    report.add(doc, 'vpc.mode', ['spec', 'mode'], 'VPC mode l3flat is not supported yet');
  }

  const vlans = new Map<number, string>();
  const prefixes: Array<{ prefix: IPv4Prefix; item: VPCSubnetModel }> = [];
  for (const sub of vpcSubnetsOf(spec)) {
    const raw = obj(spec.subnets[sub.name]) ?? {};
    const p = sub.prefix;
    if (!p) continue;
    prefixes.push({ prefix: p, item: sub });
    const subnetPath: Path = [...sub.path, 'subnet'];
    if (p.bits > 30) {
      report.add(doc, 'vpc.subnet-prefix', subnetPath, `subnet ${sub.name}: prefix length ${p.bits} is too long; at most /30`);
    }
    for (const reserved of config.reservedSubnets) {
      if (overlaps(p, reserved.value.prefix)) {
        report.config(
          doc,
          'vpc.subnet-reserved',
          subnetPath,
          `subnet ${sub.name} (${raw.subnet}) overlaps the ${reserved.value.name} ${formatPrefix(reserved.value.prefix)}`,
          reserved.given,
        );
      }
    }

    const dhcp = obj(raw.dhcp) ?? {};
    const dhcpPath: Path = [...sub.path, 'dhcp'];
    const enabled = bool(dhcp.enable);
    // The webhook defaults the gateway to the first host of the subnet.
    let gateway: number | undefined;
    if (sub.hostBGP) {
      if (enabled) {
        report.add(doc, 'vpc.host-bgp', [...dhcpPath, 'enable'], `subnet ${sub.name}: DHCP cannot be enabled for a hostBGP subnet`);
      }
    } else {
      const given = parseIPv4(raw.gateway);
      if (given !== undefined && !containsAddr(p, given)) {
        report.add(doc, 'vpc.subnet-gateway', [...sub.path, 'gateway'], `subnet ${sub.name}: gateway ${raw.gateway} is not in ${formatPrefix(p)}`);
      }
      gateway = given ?? p.network + 1;
      if (sub.vlan === 0) {
        if (raw.vlan === undefined || raw.vlan === null || raw.vlan === 0) {
          report.add(doc, 'vpc.subnet-vlan', [...sub.path, 'vlan'], `subnet ${sub.name}: a VLAN is required`);
        }
      } else {
        const other = vlans.get(sub.vlan);
        if (other !== undefined) {
          report.add(doc, 'vpc.vlan-duplicate', [...sub.path, 'vlan'], `subnet ${sub.name}: VLAN ${sub.vlan} is also used by subnet ${other} of this VPC`);
        } else {
          vlans.set(sub.vlan, sub.name);
        }
      }
    }

    const relay = str(dhcp.relay);
    if (relay && enabled) {
      report.add(doc, 'vpc.dhcp-relay', [...dhcpPath, 'relay'], `subnet ${sub.name}: DHCP relay and the DHCP server (enable) cannot be used together`);
    }
    if (!relay && str(dhcp.relayVPC)) {
      report.add(doc, 'vpc.dhcp-relay', [...dhcpPath, 'relayVPC'], `subnet ${sub.name}: relayVPC is set but DHCP relay is not`);
    }

    if (!enabled) {
      const options = obj(dhcp.options);
      if (options && Object.values(options).some(v => v !== null && v !== undefined && v !== '' && v !== 0 && v !== false && !(Array.isArray(v) && v.length === 0))) {
        report.add(doc, 'vpc.dhcp-disabled', [...dhcpPath, 'options'], `subnet ${sub.name}: DHCP options are set but DHCP is not enabled (dhcp.enable: true); Hedgehog would drop them`);
      }
      const range = obj(dhcp.range);
      if (range && (str(range.start) || str(range.end))) {
        report.add(doc, 'vpc.dhcp-disabled', [...dhcpPath, 'range'], `subnet ${sub.name}: a DHCP range is set but DHCP is not enabled (dhcp.enable: true); Hedgehog would drop it`);
      }
      if (entries(dhcp.static).length > 0) {
        report.add(doc, 'vpc.dhcp-disabled', [...dhcpPath, 'static'], `subnet ${sub.name}: static leases need DHCP enabled (dhcp.enable: true)`);
      }
    } else if (p.bits <= 30) {
      checkDHCP(doc, sub.name, p, gateway, dhcp, dhcpPath, report);
    }
  }

  const overlapping = findOverlaps(prefixes, MAX_FINDINGS_PER_RULE);
  for (const [a, b] of overlapping.pairs) {
    report.add(
      doc,
      'vpc.subnet-overlap',
      [...b.path, 'subnet'],
      `subnet ${b.name} (${formatPrefix(b.prefix!)}) overlaps subnet ${a.name} (${formatPrefix(a.prefix!)}) of the same VPC`,
    );
  }
  report.leftOut(doc, 'vpc.subnet-overlap', overlapping.total - overlapping.pairs.length);

  const names = new Set(Object.keys(obj(spec.subnets) ?? {}));
  list(spec.permit).forEach((raw, i) => {
    if (!Array.isArray(raw)) return;
    const path: Path = ['spec', 'permit', i];
    if (raw.length < 2) {
      report.add(doc, 'vpc.permit', path, `permit list ${i} must name at least 2 subnets`);
    }
    const seen = new Set<unknown>();
    raw.forEach((name, j) => {
      if (typeof name !== 'string') return;
      if (!names.has(name)) {
        report.add(doc, 'vpc.permit', [...path, j], `permit list ${i}: VPC ${doc.name} has no subnet ${name}`);
      }
      if (seen.has(name)) {
        report.add(doc, 'vpc.permit', [...path, j], `permit list ${i}: subnet ${name} is listed twice`);
      }
      seen.add(name);
    });
  });

  list(spec.staticRoutes).forEach((raw, i) => {
    const route = obj(raw);
    if (!route) return;
    const path: Path = ['spec', 'staticRoutes', i];
    const prefix = parseCIDR(route.prefix);
    if (prefix && !isCanonical(prefix)) {
      report.add(doc, 'vpc.static-route', [...path, 'prefix'], `static route ${i}: prefix ${route.prefix} has host bits set; use ${formatPrefix(prefix)}`);
    }
    if (list(route.nextHops).length === 0) {
      report.add(doc, 'vpc.static-route', [...path, 'nextHops'], `static route ${i}: at least one next hop is required`);
    }
  });
}

function checkDHCP(
  doc: Doc,
  name: string,
  p: IPv4Prefix,
  gateway: number | undefined,
  dhcp: Record<string, any>,
  path: Path,
  report: KindContext['report'],
) {
  const range = obj(dhcp.range) ?? {};
  // Defaults of the webhook (HEAD): start = network + 2, end = last address.
  const ends: Array<['start' | 'end', number]> = [];
  for (const end of ['start', 'end'] as const) {
    const given = parseIPv4(range[end]);
    const at: Path = [...path, 'range', end];
    if (given === undefined) {
      ends.push([end, end === 'start' ? p.network + 2 : p.last]);
      continue;
    }
    ends.push([end, given]);
    if (!containsAddr(p, given)) {
      report.add(doc, 'vpc.dhcp-range', at, `subnet ${name}: DHCP range ${end} ${range[end]} is not in ${formatPrefix(p)}`);
    } else if (given === p.network) {
      report.add(doc, 'vpc.dhcp-range', at, `subnet ${name}: DHCP range ${end} ${range[end]} is the network address`);
    } else if (given === gateway) {
      report.add(doc, 'vpc.dhcp-range', at, `subnet ${name}: DHCP range ${end} ${range[end]} is the gateway`);
    }
  }
  const [[, start], [, end]] = ends;
  if (start >= end && (parseIPv4(range.start) !== undefined || parseIPv4(range.end) !== undefined)) {
    report.add(doc, 'vpc.dhcp-range', [...path, 'range'], `subnet ${name}: DHCP range start ${formatIPv4(start)} does not come before end ${formatIPv4(end)}`);
  }

  const options = obj(dhcp.options);
  list(options?.advertisedRoutes).forEach((raw, i) => {
    const gw = parseIPv4(obj(raw)?.gateway);
    if (gw !== undefined && !containsAddr(p, gw)) {
      report.add(
        doc,
        'vpc.dhcp-options',
        [...path, 'options', 'advertisedRoutes', i, 'gateway'],
        `subnet ${name}: advertised route gateway ${formatIPv4(gw)} is not in ${formatPrefix(p)}`,
      );
    }
  });

  const used = new Map<number, string>();
  for (const [mac, raw] of entries(dhcp.static)) {
    const ip = parseIPv4(obj(raw)?.ip);
    if (ip === undefined) continue;
    const at: Path = [...path, 'static', mac, 'ip'];
    const shown = formatIPv4(ip);
    if (!containsAddr(p, ip)) {
      report.add(doc, 'vpc.dhcp-static', at, `subnet ${name}: static IP ${shown} for ${mac} is not in ${formatPrefix(p)}`);
    } else if (ip === p.network) {
      report.add(doc, 'vpc.dhcp-static', at, `subnet ${name}: static IP ${shown} for ${mac} is the network address`);
    } else if (ip === gateway) {
      report.add(doc, 'vpc.dhcp-static', at, `subnet ${name}: static IP ${shown} for ${mac} is the gateway`);
    } else if (ip === p.last) {
      report.add(doc, 'vpc.dhcp-static', at, `subnet ${name}: static IP ${shown} for ${mac} is the broadcast address`);
    }
    const other = used.get(ip);
    if (other !== undefined) {
      report.add(doc, 'vpc.dhcp-static', at, `subnet ${name}: static IP ${shown} is also assigned to ${other}`);
    } else {
      used.set(ip, mac);
    }
  }
}
