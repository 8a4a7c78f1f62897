import { IPv4Prefix, formatPrefix, isSubset, parseCIDR } from '../ipam';
import {
  Doc,
  MAX_FINDINGS_PER_RULE,
  Path,
  Report,
  entries,
  list,
  obj,
  str,
} from '../model';
import { overlapsOf } from '../overlaps';
import { EXTERNAL_PREFIX } from '../kinds/gatewayPeering';
import { Steps } from '../steps';
import { DEFAULT_GATEWAY_GROUP } from './gateways';
import { Resolver, Target } from './resolver';
import { push, where } from './shared';

/*
 * GatewayPeerings across the fabric (githedgehog/fabric
 * api/gateway/v1alpha1/gatewaypeering_types.go, GatewayPeering.Validate with a
 * client): the GatewayGroup, the VPCs and Externals (`ext.<name>`) they peer, the
 * exposed CIDRs inside the VPC's subnets, the subnets exposes and ACL rules name,
 * and exposed CIDRs towards one VPC that overlap across peerings.
 */

interface Exposed {
  doc: Doc;
  prefix: IPv4Prefix;
  path: Path;
  from: string;
}

/**
 * The CIDRs an entry exposes to its peer (collectExposedCIDRs): the `as` CIDRs of a
 * NATed expose, else its `ips` CIDRs; default exposes none.
 */
function exposedCIDRs(doc: Doc, name: string, entry: unknown): Exposed[] {
  const out: Exposed[] = [];
  list(obj(entry)?.expose).forEach((e, i) => {
    const expose = obj(e) ?? {};
    if (expose.default === true) return;
    const field = list(expose.as).length > 0 ? 'as' : 'ips';
    list(expose[field]).forEach((block, j) => {
      const prefix = parseCIDR(obj(block)?.cidr);
      if (prefix)
        out.push({
          doc,
          prefix,
          path: ['spec', 'peering', name, 'expose', i, field, j, 'cidr'],
          from: name,
        });
    });
  });
  return out;
}

function checkVPCSide(
  p: Doc,
  name: string,
  vpc: Target,
  entry: unknown,
  report: Report,
) {
  const subnets = obj(vpc.spec.subnets) ?? {};
  const prefixes = Object.values(subnets)
    .map(s => parseCIDR(obj(s)?.subnet))
    .filter((x): x is IPv4Prefix => x !== undefined);
  list(obj(entry)?.expose).forEach((e, i) => {
    const expose = obj(e) ?? {};
    if (expose.default === true) return;
    list(expose.ips).forEach((block, j) => {
      const at: Path = ['spec', 'peering', name, 'expose', i, 'ips', j];
      const cidr = parseCIDR(obj(block)?.cidr);
      if (cidr && !prefixes.some(s => isSubset(cidr, s))) {
        report.add(
          p,
          'gatewaypeering.expose-vpc',
          [...at, 'cidr'],
          `CIDR ${formatPrefix(cidr)} is not part of VPC ${
            vpc.name
          } (inside none of its subnets)`,
        );
      }
      const subnet = str(obj(block)?.vpcSubnet);
      if (subnet && !Object.prototype.hasOwnProperty.call(subnets, subnet)) {
        report.add(
          p,
          'reference.missing',
          [...at, 'vpcSubnet'],
          `GatewayPeering ${p.name} exposes subnet ${subnet} of VPC ${vpc.name}, which has no such subnet`,
        );
      }
    });
  });
}

/** ACL rules' vpcSubnet matches name subnets of the VPC on their side (from for sources, to for destinations). */
function checkACLSubnets(
  p: Doc,
  sides: Map<string, Target | undefined>,
  vpcs: string[],
  report: Report,
) {
  const other = (v: string) => (vpcs[0] === v ? vpcs[1] : vpcs[0]);
  list(obj(p.spec.acl)?.rules).forEach((r, i) => {
    const rule = obj(r) ?? {};
    let from = str(rule.from);
    let to = str(rule.to);
    if (!from && to) from = other(to);
    else if (from && !to) to = other(from);
    for (const [field, side] of [
      ['src', from],
      ['dst', to],
    ] as const) {
      list(obj(rule.match)?.[field]).forEach((m, k) => {
        const subnet = str(obj(m)?.vpcSubnet);
        if (!subnet || !side) return;
        const at: Path = [
          'spec',
          'acl',
          'rules',
          i,
          'match',
          field,
          k,
          'vpcSubnet',
        ];
        if (side.startsWith(EXTERNAL_PREFIX)) {
          report.add(
            p,
            'gatewaypeering.acl-subnet',
            at,
            `ACL rule ${i} names VPC subnet ${subnet} on the side of ${side}, which is an External, not a VPC`,
          );
          return;
        }
        const vpc = sides.get(side);
        if (
          vpc &&
          !Object.prototype.hasOwnProperty.call(
            obj(vpc.spec.subnets) ?? {},
            subnet,
          )
        ) {
          report.add(
            p,
            'reference.missing',
            at,
            `ACL rule ${i} of GatewayPeering ${p.name} names subnet ${subnet} of VPC ${vpc.name}, which has no such subnet`,
          );
        }
      });
    }
  });
}

export function* checkGatewayPeerings(
  peerings: Doc[],
  r: Resolver,
  report: Report,
): Steps {
  // by the VPC (or ext.) the CIDRs are exposed to
  const towards = new Map<string, Exposed[]>();
  for (const p of peerings) {
    yield;
    const group = str(p.spec.gatewayGroup);
    r.resolve(
      p,
      'GatewayGroup',
      group ?? DEFAULT_GATEWAY_GROUP,
      ['spec', 'gatewayGroup'],
      !group,
    );
    const peering = entries(p.spec.peering);
    const sides = new Map<string, Target | undefined>();
    for (const [name, entry] of peering) {
      const at: Path = ['spec', 'peering', name];
      if (name.startsWith(EXTERNAL_PREFIX)) {
        sides.set(
          name,
          r.resolve(p, 'External', name.slice(EXTERNAL_PREFIX.length), at),
        );
        continue;
      }
      const vpc = r.resolve(p, 'VPC', name, at);
      sides.set(name, vpc);
      if (vpc) checkVPCSide(p, name, vpc, entry, report);
    }
    if (peering.length !== 2) continue;
    const vpcs = peering.map(([name]) => name);
    checkACLSubnets(p, sides, vpcs, report);
    for (const [name, entry] of peering) {
      const target = name === vpcs[0] ? vpcs[1] : vpcs[0];
      for (const x of exposedCIDRs(p, name, entry)) push(towards, target, x);
    }
  }
  // Exposed CIDRs towards one VPC do not overlap across peerings ("overlap between
  // existing exposed CIDR ... and new exposed CIDR ...").
  for (const [target, exposed] of towards) {
    yield;
    if (new Set(exposed.map(x => x.doc)).size < 2) continue;
    const found = overlapsOf(
      exposed.map(item => ({ prefix: item.prefix, item })),
      3,
      x => x.doc,
    );
    for (const { item, others, count } of found.slice(
      0,
      MAX_FINDINGS_PER_RULE * 4,
    )) {
      yield;
      const first = others[0];
      report.add(
        item.doc,
        'fabric.gateway-peering-overlap',
        item.path,
        `CIDR ${formatPrefix(item.prefix)} that ${
          item.from
        } exposes to ${target} overlaps ${formatPrefix(
          first.prefix,
        )}, exposed to ${target} by ${where(first.doc)}${
          count > 1 ? ` (and ${count - 1} more)` : ''
        }`,
      );
    }
  }
}
