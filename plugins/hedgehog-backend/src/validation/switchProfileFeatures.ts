import { connectionModel } from './connectionModel';
import { attachmentSubnet } from './kinds/vpcObjects';
import { Doc, Report, bool, obj, str } from './model';
import { SwitchProfileModel, modeOf } from './switchProfiles';
import { Steps } from './steps';
import type { Resolver } from './fabric/resolver';

/*
 * What a Switch and the VPCs attached to its ports may use, by its SwitchProfile's
 * features and port limits (githedgehog/fabric `Switch.Validate` in
 * api/wiring/v1beta1/switch_types.go, `VPCAttachment.Validate` in
 * api/vpc/v1beta1/vpcattachment_types.go).
 */

/** RoCE, ECMP RoCE QPN hashing and ESLAG only on profiles with the feature (`Switch.Validate`). */
export function checkSwitchFeatures(sw: Doc, profile: SwitchProfileModel, report: Report) {
  const spec = sw.spec;
  const lacks = (feature: string) => profile.features[feature] !== true;
  if (bool(spec.roce) && lacks('roce')) {
    report.add(sw, 'switch.profile-feature', ['spec', 'roce'], `RoCEv2 is not supported on SwitchProfile ${profile.name} of switch ${sw.name}`);
  }
  if (bool(obj(spec.ecmp)?.roceQPN) && lacks('ecmpRoCEQPN')) {
    report.add(sw, 'switch.profile-feature', ['spec', 'ecmp', 'roceQPN'], `ECMP RoCE QPN hashing is not supported on SwitchProfile ${profile.name} of switch ${sw.name}`);
  }
  if (str(obj(spec.redundancy)?.type) === 'eslag' && lacks('eslag')) {
    report.add(sw, 'switch.profile-feature', ['spec', 'redundancy', 'type'], `ESLAG is not supported on SwitchProfile ${profile.name} of switch ${sw.name}`);
  }
}

/**
 * The switch's ports after breakout (a breakout port counts the sub-ports of its
 * mode, any other data port one) stay within the profile's maxPorts and each
 * pipeline's maxPorts (`Switch.Validate`).
 */
export function checkPortLimits(sw: Doc, profile: SwitchProfileModel, report: Report) {
  if (!profile.maxPorts && profile.pipelines.size === 0) return;
  let total = 0;
  const pipelines = new Map<string, { count: number; ports: string[] }>();
  for (const [name, port] of profile.ports) {
    if (port.management) continue;
    const count = port.group ? 1 : modeOf(profile, sw.spec, name)?.subPorts ?? 1;
    total += count;
    if (port.pipeline) {
      const p = pipelines.get(port.pipeline) ?? { count: 0, ports: [] };
      p.count += count;
      p.ports.push(name);
      pipelines.set(port.pipeline, p);
    }
  }
  const path = obj(sw.spec.portBreakouts) ? ['spec', 'portBreakouts'] : ['spec'];
  if (profile.maxPorts && total > profile.maxPorts) {
    report.add(sw, 'switch.port-limit', path, `switch ${sw.name} has ${total} ports after breakout, more than the ${profile.maxPorts} SwitchProfile ${profile.name} allows`);
  }
  for (const [pipeline, p] of pipelines) {
    const max = profile.pipelines.get(pipeline);
    if (max !== undefined && p.count > max) {
      report.add(sw, 'switch.port-limit', path, `pipeline ${pipeline} of SwitchProfile ${profile.name} (ports ${p.ports.join(', ')}) has ${p.count} ports after breakout on switch ${sw.name}, more than its ${max}`);
    }
  }
}

/**
 * The VPC mode of each attachment is one every switch of the connection supports:
 * the default (L2VNI) mode needs L2VNI and L3VNI, l3vni and l3flat need L3VNI
 * (`VPCAttachment.Validate`). Attachments whose VPC, connection or switch is
 * missing are reported by the reference rules.
 */
export function* checkAttachmentFeatures(
  attachments: Doc[],
  resolver: Pick<Resolver, 'get' | 'derive'>,
  profiles: Map<string, SwitchProfileModel>,
  report: Report,
): Steps {
  for (const a of attachments) {
    yield;
    const sub = resolver.derive(a.spec, attachmentSubnet);
    const vpc = sub ? resolver.get('VPC', sub.vpc) : undefined;
    const conn = resolver.get('Connection', str(a.spec.connection) ?? '');
    if (!vpc || !conn) continue;
    const mode = str(vpc.spec.mode) ?? '';
    const needs = mode === '' ? ['l2vni', 'l3vni'] : ['l3vni'];
    const model = resolver.derive(conn.spec, connectionModel);
    if (!['unbundled', 'bundled', 'eslag'].includes(model.key ?? '')) continue;
    for (const swName of model.switches) {
      const sw = resolver.get('Switch', swName);
      const profile = sw ? profiles.get(str(sw.spec.profile) ?? '') : undefined;
      if (!profile || needs.every(f => profile.features[f] === true)) continue;
      report.add(
        a,
        'vpcattachment.profile-feature',
        ['spec', 'connection'],
        `VPC ${vpc.name} is in mode ${mode || 'l2vni (the default)'}, which SwitchProfile ${profile.name} of switch ${swName} does not support (it needs ${needs.map(f => f.toUpperCase()).join(' and ')})`,
      );
    }
  }
}
