import { peeringVPCs } from '../kinds/vpcObjects';
import { vpcNamespaces } from '../kinds/vpc';
import { Doc, Path, Report, entries, list, obj, str } from '../model';
import { Steps } from '../steps';
import { Resolver, Target } from './resolver';

/* VPCPeerings and ExternalPeerings: the VPCs, subnets and Externals they refer to, and their namespaces. */

function checkSubnetsExist(from: Doc, vpc: Target, subnets: unknown, path: Path, report: Report) {
  const have = obj(vpc.spec.subnets) ?? {};
  list(subnets).forEach((s, j) => {
    if (typeof s === 'string' && s !== '' && !Object.prototype.hasOwnProperty.call(have, s)) {
      report.add(from, 'reference.missing', [...path, j], `${from.kind} ${from.name} refers to subnet ${s} of VPC ${vpc.name}, which has no such subnet`);
    }
  });
}

export function* checkPeerings(vpcPeerings: Doc[], externalPeerings: Doc[], r: Resolver, report: Report): Steps {
  for (const p of vpcPeerings) {
    yield;
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
    yield;
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
