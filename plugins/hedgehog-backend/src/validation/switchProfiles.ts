import { connectionModel } from './connectionModel';
import { Doc, Report, entries, isPlainObject, list, obj, str } from './model';
import type { Resolver } from './fabric/resolver';

/**
 * The parts of a SwitchProfile (`wiring.githedgehog.com/v1beta1`, spec as in
 * githedgehog/fabric `api/wiring/v1beta1/switchprofile_types.go`) that port checks use.
 */
export interface SwitchProfileModel {
  name: string;
  /** Port name (`E1/1`, `M1`) -> its port profile name and group. */
  ports: Map<string, { profile?: string; group?: string; management: boolean }>;
  /** Port group name -> its (speed) port profile name. */
  groups: Map<string, { profile?: string }>;
  /** Port profile name -> speeds or breakout modes. */
  portProfiles: Map<string, PortProfile>;
}

interface PortProfile {
  speed?: { default?: string; supported: string[] };
  /** Breakout mode (`4x25G`) -> number of sub-ports (the mode's NOS name offsets). */
  breakout?: { default?: string; supported: Map<string, number> };
}

/** Reads SwitchProfile objects (as listed from the cluster) by name; objects that are not one are skipped. */
export function switchProfileModels(objects: Array<Record<string, unknown>>): Map<string, SwitchProfileModel> {
  const out = new Map<string, SwitchProfileModel>();
  for (const o of objects) {
    if (!isPlainObject(o) || o.kind !== 'SwitchProfile') continue;
    const name = str(obj(o.metadata)?.name);
    if (!name) continue;
    const spec = obj(o.spec) ?? {};
    const model: SwitchProfileModel = { name, ports: new Map(), groups: new Map(), portProfiles: new Map() };
    for (const [port, p] of entries(spec.ports)) {
      model.ports.set(port, { profile: str(obj(p)?.profile), group: str(obj(p)?.group), management: obj(p)?.management === true });
    }
    for (const [group, g] of entries(spec.portGroups)) model.groups.set(group, { profile: str(obj(g)?.profile) });
    for (const [pp, value] of entries(spec.portProfiles)) {
      const speed = obj(obj(value)?.speed);
      const breakout = obj(obj(value)?.breakout);
      model.portProfiles.set(pp, {
        speed: speed ? { default: str(speed.default), supported: list(speed.supported).filter((s): s is string => typeof s === 'string') } : undefined,
        breakout: breakout
          ? {
              default: str(breakout.default),
              supported: new Map(entries(breakout.supported).map(([mode, m]) => [mode, list(obj(m)?.offsets).length])),
            }
          : undefined,
      });
    }
    out.set(name, model);
  }
  return out;
}

/** The port's breakout profile, when the port can be broken out. */
function breakoutOf(profile: SwitchProfileModel, port: string) {
  const pp = profile.ports.get(port)?.profile;
  return pp ? profile.portProfiles.get(pp)?.breakout : undefined;
}

/** The breakout mode a switch uses on a port: its portBreakouts entry when the profile supports it, else the default. */
function modeOf(profile: SwitchProfileModel, switchSpec: Record<string, any>, port: string): { mode: string; subPorts: number } | undefined {
  const breakout = breakoutOf(profile, port);
  if (!breakout) return undefined;
  const chosen = str(obj(switchSpec.portBreakouts)?.[port]);
  for (const mode of [chosen, breakout.default]) {
    if (mode && breakout.supported.has(mode)) return { mode, subPorts: breakout.supported.get(mode)! };
  }
  return { mode: chosen ?? breakout.default ?? '', subPorts: 0 };
}

/**
 * Why a switch port name (`E1/55`, `E1/55/2`, `M1`) is not one Hedgehog accepts for a
 * switch of this profile, or undefined when it is. As the Connection webhook: the
 * profile's ports, and for a breakout port `E1/55/1` up to `E1/55/<n>` of its mode
 * (`E1/55` is `E1/55/1`).
 */
export function portProblem(profile: SwitchProfileModel, switchSpec: Record<string, any>, local: string): string | undefined {
  const parts = local.split('/');
  const base = parts.length === 3 ? `${parts[0]}/${parts[1]}` : local;
  if (!profile.ports.has(base)) {
    return `SwitchProfile ${profile.name} has no port ${base}`;
  }
  if (parts.length !== 3) return undefined;
  const mode = modeOf(profile, switchSpec, base);
  if (!mode) return `port ${base} of SwitchProfile ${profile.name} cannot be broken out, so it has no sub-port ${local}`;
  const sub = Number(parts[2]);
  if (!/^[1-9][0-9]*$/.test(parts[2]) || sub > mode.subPorts) {
    return `port ${base} is broken out ${mode.mode} (${mode.subPorts} sub-port${mode.subPorts === 1 ? '' : 's'}), so it has no sub-port ${local}`;
  }
  return undefined;
}

/** Strips the `SPEED_` prefix the Switch webhook strips before validating. */
const speedValue = (v: unknown) => (typeof v === 'string' ? v.replace(/^SPEED_/, '') : undefined);

/** Switch portSpeeds, portBreakouts, portGroupSpeeds, portAutoNegs and portFECs against the switch's profile (as the Switch webhook). */
function checkSwitchPorts(sw: Doc, profile: SwitchProfileModel, report: Report) {
  const spec = sw.spec;
  for (const [group, value] of entries(spec.portGroupSpeeds)) {
    const path = ['spec', 'portGroupSpeeds', group];
    const g = profile.groups.get(group);
    if (!g) {
      report.add(sw, 'switch.port-unknown', path, `SwitchProfile ${profile.name} has no port group ${group}`);
      continue;
    }
    const speed = profile.portProfiles.get(g.profile ?? '')?.speed;
    const v = speedValue(value);
    if (v !== undefined && !speed?.supported.includes(v)) {
      report.add(sw, 'switch.port-setting', path, `port group ${group} of SwitchProfile ${profile.name} does not support speed ${v} (supported: ${speed?.supported.join(', ') || 'none'})`);
    }
  }
  for (const [port, value] of entries(spec.portSpeeds)) {
    const path = ['spec', 'portSpeeds', port];
    const p = profile.ports.get(port);
    if (!p) {
      report.add(sw, 'switch.port-unknown', path, `SwitchProfile ${profile.name} has no port ${port}`);
      continue;
    }
    const pp = p.profile ? profile.portProfiles.get(p.profile) : undefined;
    const v = speedValue(value);
    if (!pp?.speed) {
      let why = 'has no configurable speed';
      if (p.group) why = `is in port group ${p.group}; set its speed with portGroupSpeeds`;
      else if (pp?.breakout) why = 'is a breakout port; set its mode with portBreakouts';
      report.add(sw, 'switch.port-setting', path, `port ${port} of SwitchProfile ${profile.name} ${why}`);
    } else if (v !== undefined && !pp.speed.supported.includes(v)) {
      report.add(sw, 'switch.port-setting', path, `port ${port} of SwitchProfile ${profile.name} does not support speed ${v} (supported: ${pp.speed.supported.join(', ')})`);
    }
  }
  for (const [port, value] of entries(spec.portBreakouts)) {
    const path = ['spec', 'portBreakouts', port];
    if (!profile.ports.has(port)) {
      report.add(sw, 'switch.port-unknown', path, `SwitchProfile ${profile.name} has no port ${port}`);
      continue;
    }
    const breakout = breakoutOf(profile, port);
    if (!breakout) {
      report.add(sw, 'switch.port-setting', path, `port ${port} of SwitchProfile ${profile.name} cannot be broken out`);
    } else if (typeof value === 'string' && !breakout.supported.has(value)) {
      report.add(sw, 'switch.port-setting', path, `port ${port} of SwitchProfile ${profile.name} does not support breakout ${value} (supported: ${[...breakout.supported.keys()].join(', ')})`);
    }
  }
  // Auto-negotiation and FEC are set per port, breakout sub-ports included.
  for (const field of ['portAutoNegs', 'portFECs']) {
    for (const [port] of entries(spec[field])) {
      const problem = portProblem(profile, spec, port);
      if (problem) report.add(sw, 'switch.port-unknown', ['spec', field, port], problem);
    }
  }
}

/**
 * The rules that need the cluster's SwitchProfiles: every Switch's profile exists,
 * its port settings name ports the profile has with values it supports, and every
 * switch port of a Connection is a port (or breakout sub-port) of its switch's
 * profile. `resolver` resolves a switch of the fabric (Git, context or live) and
 * gives the connection models the other fabric rules derived. Without profiles
 * nothing is checked.
 */
export function checkSwitchProfiles(
  switches: Doc[],
  connections: Doc[],
  resolver: Pick<Resolver, 'get' | 'derive'>,
  profiles: Map<string, SwitchProfileModel> | undefined,
  report: Report,
) {
  if (!profiles) return;
  for (const sw of switches) {
    const name = str(sw.spec.profile);
    if (!name) continue;
    const profile = profiles.get(name);
    if (!profile) {
      report.add(sw, 'switch.profile-missing', ['spec', 'profile'], `Switch ${sw.name} uses SwitchProfile ${name}, which the cluster does not have (it has: ${[...profiles.keys()].sort().join(', ')})`);
      continue;
    }
    checkSwitchPorts(sw, profile, report);
  }
  for (const c of connections) {
    for (const e of resolver.derive(c.spec, connectionModel).endpoints) {
      if (e.role !== 'switch') continue;
      const sw = resolver.get('Switch', e.device);
      const profile = sw ? profiles.get(str(sw.spec.profile) ?? '') : undefined;
      if (!sw || !profile) continue; // a missing switch or profile is reported on its own
      const problem = portProblem(profile, sw.spec, e.port.slice(e.device.length + 1));
      if (problem) {
        report.add(c, 'connection.port-profile', e.path, `port ${e.port} is not allowed for switch ${e.device}: ${problem}`);
      }
    }
  }
}
