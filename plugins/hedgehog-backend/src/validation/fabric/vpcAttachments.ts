import { attachmentSubnet } from '../kinds/vpcObjects';
import { vpcNamespaces } from '../kinds/vpc';
import { Doc, Report, bool, obj, str } from '../model';
import { Steps } from '../steps';
import { Resolver } from './resolver';
import { push, where } from './shared';
import { switchNamespaces } from './switches';

/* VPCAttachments: the subnet and connection they refer to, and duplicate attachments of a connection. */

export function* checkVPCAttachments(attachments: Doc[], r: Resolver, report: Report): Steps {
  const byConnection = new Map<string, Array<{ doc: Doc; subnet: string; native: boolean }>>();
  for (const a of attachments) {
    yield;
    const sub = r.derive(a.spec, attachmentSubnet);
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
      // VPCAttachment.Validate: only Unbundled, Bundled or ESLAG (not the deprecated MCLAG)
      const allowed = ['unbundled', 'bundled', 'eslag'];
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
          const ns = r.derive(vpc.spec, vpcNamespaces).vlan;
          for (const swName of model.switches) {
            const sw = r.get('Switch', swName);
            if (sw && !r.derive(sw.spec, switchNamespaces).includes(ns)) {
              report.add(a, 'vpcattachment.vlan-namespace', ['spec', 'connection'], `switch ${swName} of Connection ${conn.name} does not have VLANNamespace ${ns} of VPC ${vpc.name}`);
            }
            if (sw && subnetSpec && bool(subnetSpec.hostBGP) && obj(sw.spec.redundancy)?.type === 'mclag' && str(obj(sw.spec.redundancy)?.group)) {
              report.add(a, 'vpcattachment.host-bgp', ['spec', 'connection'], `hostBGP subnet ${sub!.subnet} cannot be attached to switch ${swName}, which is an MCLAG peer`);
            }
          }
        }
      }
    }
    if (connName && sub) push(byConnection, connName, { doc: a, subnet: `${sub.vpc}/${sub.subnet}`, native: bool(a.spec.nativeVLAN) });
  }
  for (const [conn, list_] of byConnection) {
    yield;
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
