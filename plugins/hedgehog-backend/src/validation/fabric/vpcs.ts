import { IPv4Prefix, formatPrefix, inRanges, isSubset } from '../ipam';
import { overlapsOf } from '../overlaps';
import { ipv4SubnetsOf, vlanRangesOf } from '../kinds/namespaces';
import { VPCSubnetModel, vpcNamespaces, vpcSubnetsOf } from '../kinds/vpc';
import { Doc, Report, obj, str } from '../model';
import { Steps } from '../steps';
import { Resolver } from './resolver';
import { Use, names, push, reportShared, where } from './shared';

/* VPCs across the fabric: subnets and VLANs inside their namespaces, overlapping subnets, reused VLANs. */

/** How many of the subnets a subnet overlaps its finding names (the rest is counted). */
const OVERLAPS_NAMED = 3;

const vlanRanges = (spec: Record<string, any>) => vlanRangesOf(spec).map(x => x.range);

export function* checkVPCs(vpcs: Doc[], r: Resolver, report: Report): Steps {
  const byIPv4 = new Map<string, Array<{ prefix: IPv4Prefix; item: { doc: Doc; sub: VPCSubnetModel } }>>();
  const vlans = new Map<string, Use[]>();
  for (const vpc of vpcs) {
    yield;
    const ns = r.derive(vpc.spec, vpcNamespaces);
    const ipv4 = r.resolve(vpc, 'IPv4Namespace', ns.ipv4, ['spec', 'ipv4Namespace'], !ns.ipv4Explicit);
    const vlanNs = r.resolve(vpc, 'VLANNamespace', ns.vlan, ['spec', 'vlanNamespace'], !ns.vlanExplicit);
    const nsSubnets = ipv4 ? r.derive(ipv4.spec, ipv4SubnetsOf) : [];
    const ranges = vlanNs ? r.derive(vlanNs.spec, vlanRanges) : [];
    for (const sub of r.derive(vpc.spec, vpcSubnetsOf)) {
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
    yield;
    // one finding per subnet: the first subnets of other VPCs it overlaps, and how many there are
    // (within one VPC: vpc.subnet-overlap)
    for (const { item: x, others, count } of overlapsOf(items, OVERLAPS_NAMED, i => i.doc)) {
      yield;
      const named = others.map(y => `subnet ${y.sub.name} (${formatPrefix(y.sub.prefix!)}) of ${where(y.doc)}`).join(', ');
      report.add(
        x.doc,
        'fabric.vpc-subnet-overlap',
        [...x.sub.path, 'subnet'],
        `subnet ${x.sub.name} (${formatPrefix(x.sub.prefix!)}) overlaps ${named}${count > others.length ? ` and ${count - others.length} more` : ''}, in the same IPv4Namespace ${ns}`,
      );
    }
  }
  yield* reportShared(report, vlans, 'fabric.vpc-vlan-reused', (u, others) => {
    const ns = vpcNamespaces(u.doc.spec).vlan;
    return `${u.what} is also used by ${names(others)} in the same VLANNamespace ${ns}`;
  });
}
