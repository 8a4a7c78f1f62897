import { Doc, Report, entries, isPlainObject, list, obj, str } from './model';

/**
 * The parts of a SwitchProfile (`wiring.githedgehog.com/v1beta1`, spec as in
 * githedgehog/fabric `api/wiring/v1beta1/switchprofile_types.go`) that port checks use.
 */
export interface SwitchProfileModel {
  name: string;
  /** Port name (`E1/1`, `M1`) -> its port profile name, group and pipeline. */
  ports: Map<string, { profile?: string; group?: string; management: boolean; pipeline?: string }>;
  /** Port group name -> its (speed) port profile name. */
  groups: Map<string, { profile?: string }>;
  /** Port profile name -> speeds or breakout modes. */
  portProfiles: Map<string, PortProfile>;
  /** The features the switch supports (`roce`, `eslag`, `l2vni`, `l3vni`, `ecmpRoCEQPN`, ...): absent is false. */
  features: Record<string, boolean>;
  /** The most ports (after breakout) the switch may have, when limited. */
  maxPorts?: number;
  /** Pipeline name -> the most ports (after breakout) of its ports. */
  pipelines: Map<string, number>;
}

interface PortProfile {
  speed?: { default?: string; supported: string[] };
  autoNegAllowed: boolean;
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
    const maxPorts = spec.maxPorts;
    const model: SwitchProfileModel = {
      name,
      ports: new Map(),
      groups: new Map(),
      portProfiles: new Map(),
      features: Object.fromEntries(entries(spec.features).map(([f, on]) => [f, on === true])),
      maxPorts: typeof maxPorts === 'number' && maxPorts > 0 ? maxPorts : undefined,
      pipelines: new Map(entries(spec.pipelines).map(([pl, v]) => [pl, Number(obj(v)?.maxPorts) || 0])),
    };
    for (const [port, p] of entries(spec.ports)) {
      const po = obj(p);
      model.ports.set(port, { profile: str(po?.profile), group: str(po?.group), management: po?.management === true, pipeline: str(po?.pipeline) });
    }
    for (const [group, g] of entries(spec.portGroups)) model.groups.set(group, { profile: str(obj(g)?.profile) });
    for (const [pp, value] of entries(spec.portProfiles)) {
      const speed = obj(obj(value)?.speed);
      const breakout = obj(obj(value)?.breakout);
      model.portProfiles.set(pp, {
        autoNegAllowed: obj(value)?.autoNegAllowed === true,
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
export function modeOf(profile: SwitchProfileModel, switchSpec: Record<string, any>, port: string): { mode: string; subPorts: number } | undefined {
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
export function checkSwitchPorts(sw: Doc, profile: SwitchProfileModel, report: Report) {
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
