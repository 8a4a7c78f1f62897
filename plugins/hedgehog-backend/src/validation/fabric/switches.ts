import { formatIPv4, parseCIDR, rangesOverlap } from '../ipam';
import { VLANRangeAt, vlanRangesOf } from '../kinds/namespaces';
import { LEAF_ROLES } from '../kinds/switch';
import { Doc, Path, Report, int, list, obj, str } from '../model';
import { Steps } from '../steps';
import { Resolver } from './resolver';
import { Use, names, push, reportShared } from './shared';

/* Switches across the fabric: their VLANNamespaces and groups, reused addresses and leaf ASNs. */

export function switchNamespaces(spec: Record<string, any>): string[] {
  const explicit = list(spec.vlanNamespaces).filter((n): n is string => typeof n === 'string' && n !== '');
  return explicit.length > 0 ? explicit : ['default'];
}

export function* checkSwitches(switches: Doc[], r: Resolver, report: Report): Steps {
  const addresses = new Map<string, Use[]>();
  const asns = new Map<string, Use[]>();
  const mclag = new Set<Doc>();
  for (const sw of switches) {
    yield;
    const spec = sw.spec;
    const explicit = list(spec.vlanNamespaces);
    const namespaces: Array<{ name: string; ranges: VLANRangeAt[] }> = [];
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
  yield* reportShared(
    report,
    addresses,
    'fabric.switch-address-reused',
    (u, others) => `${u.what} is also used by ${names(others)}`,
    u => u.path[1] === 'vtepIP' && mclag.has(u.doc),
  );
  yield* reportShared(report, asns, 'fabric.asn-reused', (u, others) => `leaf ${u.what} is also used by ${names(others)}`, u => mclag.has(u.doc));
}
