import { containsAddr, formatIPv4, formatPrefix, parseCIDR, parseIPv4, parseMAC } from '../ipam';
import { Doc, entries, int, list, obj, str } from '../model';
import { KindContext } from './context';

/* Hedgehog's Gateway.Validate() and GatewayGroup.Validate() (githedgehog/fabric api/gateway/v1alpha1), the rules that need only the document. */

const LINUX_IFACE = /^[a-zA-Z][a-zA-Z0-9_.-]{0,8}[a-zA-Z0-9]$/;
const PCI = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])$/;

function hostPrefix(text: unknown): string | undefined {
  const p = parseCIDR(text);
  if (!p) return 'is not an IPv4 prefix';
  return p.bits === 32 ? undefined : 'must be a /32 prefix';
}

/**
 * The gateway kinds are refused when the FabricConfig turns the gateway off
 * ("gateway support is not enabled": Gateway, GatewayGroup and GatewayPeering
 * Validate()).
 */
export function checkGatewayEnabled(doc: Doc, { report, config }: KindContext) {
  if (config.enableGateway.value) return;
  report.config(doc, 'gateway.disabled', ['kind'], `${doc.kind} ${doc.name}: gateway support is not enabled in the fabric config (enableGateway is false)`, config.enableGateway.given);
}

/**
 * What hhfab checks of a hydrated Gateway (fabricator pkg/hhfab/hydrate.go,
 * getHydration): its ASN is the fabric's gateway ASN, its protocol and VTEP IPs are
 * inside the fabric's protocol and VTEP subnets; and that ASN is neither the spine
 * ASN nor in the leaf range (api/fabricator/v1beta1 Fabricator.Validate).
 */
function checkGatewayHydration(doc: Doc, { report, config }: KindContext) {
  const asn = int(doc.spec.asn);
  if (asn && asn !== config.gatewayASN.value) {
    report.config(doc, 'gateway.asn', ['spec', 'asn'], `Gateway ASN ${asn} is not the fabric's gateway ASN ${config.gatewayASN.value}`, config.gatewayASN.given);
  }
  // the gateway ASN is neither the spine ASN nor a leaf's (fabricator Fabricator.Validate)
  const { start, end } = config.leafASNs.value;
  if (asn && asn === config.spineASN.value) {
    report.config(doc, 'gateway.asn', ['spec', 'asn'], `Gateway ASN ${asn} is the spine ASN`, config.spineASN.given);
  } else if (asn && asn >= start && asn <= end) {
    report.config(doc, 'gateway.asn', ['spec', 'asn'], `Gateway ASN ${asn} is inside the leaf ASN range ${start}-${end}`, config.leafASNs.given);
  }
  for (const [field, subnet, what] of [
    ['protocolIP', config.protocolSubnet, 'protocol subnet'],
    ['vtepIP', config.vtepSubnet, 'VTEP subnet'],
  ] as const) {
    const p = parseCIDR(doc.spec[field]);
    if (p && p.bits === 32 && !containsAddr(subnet.value, p.addr)) {
      report.config(doc, 'gateway.subnet', ['spec', field], `${field} ${formatIPv4(p.addr)} is not in the ${what} ${formatPrefix(subnet.value)}`, subnet.given);
    }
  }
}

/**
 * What hhfab fills in when it hydrates the wiring (fabricator pkg/hhfab/hydrate.go,
 * hydrate): the ASN, protocol and VTEP IPs and VTEP MAC, each interface's IPs (the
 * link's gateway IP) and a BGP neighbor per gateway link. Gateway.Validate refuses a
 * Gateway without them; like a non-hydrated switch, that is a warning that blocks apply.
 */
function checkGatewayHydrated(doc: Doc, { report }: KindContext) {
  const spec = doc.spec;
  const missing: string[] = [];
  if (!int(spec.asn)) missing.push('ASN (spec.asn)');
  for (const [field, what] of [['protocolIP', 'protocol IP'], ['vtepIP', 'VTEP IP'], ['vtepMAC', 'VTEP MAC']]) {
    if (!str(spec[field])) missing.push(`${what} (spec.${field})`);
  }
  const bare = entries(spec.interfaces).filter(([, iface]) => list(obj(iface)?.ips).length === 0).map(([name]) => name);
  if (bare.length > 0) missing.push(`IPs of interface${bare.length === 1 ? '' : 's'} ${bare.join(', ')}`);
  if (list(spec.neighbors).length === 0) missing.push('BGP neighbors (spec.neighbors)');
  if (missing.length === 0) return;
  const fields = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  report.add(doc, 'hydration.gateway', ['spec'], `Gateway ${doc.name} has no ${fields}: the wiring is not hydrated; hhfab fills them at install, and the gateway cannot be applied without them`);
}

export function checkGatewayGroup(doc: Doc, ctx: KindContext) {
  checkGatewayEnabled(doc, ctx);
}

export function checkGateway(doc: Doc, ctx: KindContext) {
  const { report } = ctx;
  checkGatewayEnabled(doc, ctx);
  checkGatewayHydration(doc, ctx);
  const spec = doc.spec;
  const add = (path: (string | number)[], message: string) => report.add(doc, 'gateway.spec', ['spec', ...path], message);
  checkGatewayHydrated(doc, ctx);
  for (const field of ['protocolIP', 'vtepIP']) {
    const problem = str(spec[field]) ? hostPrefix(spec[field]) : undefined;
    if (problem) add([field], `${field} ${JSON.stringify(spec[field])} ${problem}`);
  }
  const vtep = parseCIDR(spec.vtepIP);
  if (vtep && vtep.bits === 32 && ((vtep.addr >>> 24) === 127 || vtep.addr === 0 || (vtep.addr >>> 28) === 14)) {
    add(['vtepIP'], `vtepIP ${spec.vtepIP} must be a unicast IPv4 address outside 127.0.0.0/8`);
  }
  const mac = parseMAC(spec.vtepMAC);
  if (!mac && str(spec.vtepMAC)) add(['vtepMAC'], `vtepMAC ${JSON.stringify(spec.vtepMAC)} is not a MAC address`);
  else if (mac && (mac === '00:00:00:00:00:00' || (parseInt(mac.slice(0, 2), 16) & 1) === 1)) {
    add(['vtepMAC'], `vtepMAC ${spec.vtepMAC} must be a unicast MAC address, not all zeros`);
  }
  const workers = int(spec.workers);
  if (workers !== undefined && (workers < 1 || workers > 64)) add(['workers'], 'workers should be between 1 and 64');

  const ifaces = entries(spec.interfaces);
  if (ifaces.length === 0) add(['interfaces'], 'at least one interface must be defined');
  for (const [name, iface] of ifaces) {
    const at = ['interfaces', name];
    if (!LINUX_IFACE.test(name)) add(at, `interface name ${name} must be a valid Linux interface name (2-10 characters)`);
    const ips = list(obj(iface)?.ips);
    ips.forEach((ip, i) => {
      if (!parseCIDR(ip)) add([...at, 'ips', i], `interface ${name} IP ${JSON.stringify(ip)} is not an IPv4 prefix`);
    });
    const pci = str(obj(iface)?.pci);
    const kernel = str(obj(iface)?.kernel);
    if (pci && kernel) add(at, `interface ${name} cannot have both a PCI address and a kernel name`);
    if (pci && !(PCI.test(pci) && parseInt(PCI.exec(pci)![3], 16) <= 0x1f)) {
      add([...at, 'pci'], `interface ${name} PCI ${pci} must be a valid PCI address (e.g. 0000:02:00.0)`);
    }
    if (kernel && !LINUX_IFACE.test(kernel)) add([...at, 'kernel'], `kernel name ${kernel} must be a valid Linux interface name (2-10 characters)`);
    if (kernel && kernel === name) add([...at, 'kernel'], `interface name ${name} cannot be the same as its kernel interface name`);
  }

  const neighbors = list(spec.neighbors);
  neighbors.forEach((n, i) => {
    const ip = str(obj(n)?.ip);
    const addr = parseIPv4(ip);
    if (addr === undefined || addr === 0 || (addr >>> 28) === 14) {
      add(['neighbors', i, 'ip'], `BGP neighbor IP ${JSON.stringify(ip ?? '')} must be a unicast IPv4 address`);
    }
    if (!int(obj(n)?.asn)) add(['neighbors', i, 'asn'], `BGP neighbor ${ip ?? i} must have an ASN`);
  });

  const seen = new Set<string>();
  list(spec.groups).forEach((g, i) => {
    const name = str(obj(g)?.name) ?? '';
    if (seen.has(name)) add(['groups', i, 'name'], `gateway group ${name} is listed twice`);
    seen.add(name);
  });
}
