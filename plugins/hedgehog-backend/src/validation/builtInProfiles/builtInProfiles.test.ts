import { resolveFabricConfig } from '../fabricConfig';
import { portProblem, switchProfileModels } from '../switchProfiles';
import {
  BUILT_IN_PROFILES_SOURCE,
  BUILT_IN_PROFILE_OBJECTS,
  BUILT_IN_PROFILE_SETS,
  builtInProfileSource,
  builtInSwitchProfiles,
} from '.';

/* The data transcribed from githedgehog/fabric pkg/ctrl/switchprofile (scripts/transcribe-switch-profiles.mjs). */

type Obj = Record<string, any>;
const spec = (name: string): Obj => (BUILT_IN_PROFILE_OBJECTS.find(o => (o.metadata as Obj).name === name) as Obj).spec;
const all = switchProfileModels([...BUILT_IN_PROFILE_OBJECTS]);

describe('the built-in SwitchProfiles (data)', () => {
  it('records the commit of githedgehog/fabric and the source file of every profile', () => {
    expect(BUILT_IN_PROFILES_SOURCE.repository).toBe('https://github.com/githedgehog/fabric');
    expect(BUILT_IN_PROFILES_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const o of BUILT_IN_PROFILE_OBJECTS) {
      expect(builtInProfileSource((o.metadata as Obj).name)).toMatch(/^pkg\/ctrl\/switchprofile\/p_[a-z0-9_]+\.go$/);
    }
  });

  it('has the sets catalog.go registers: 16 always, 6 with includeSONiCCLSPlus, cumulus-vx with includeCumulus', () => {
    expect(BUILT_IN_PROFILE_SETS.default).toHaveLength(16);
    expect(BUILT_IN_PROFILE_SETS.default).toEqual(expect.arrayContaining(['vs', 'dell-s5248f-on', 'celestica-ds5000', 'supermicro-sse-c4632sb']));
    expect(BUILT_IN_PROFILE_SETS.includeSONiCCLSPlus).toEqual([
      'celestica-ds2000-clsp',
      'celestica-ds3000-clsp',
      'celestica-ds4000-clsp',
      'celestica-ds4101-clsp',
      'celestica-ds5000-clsp',
      'vs-clsp',
    ]);
    expect(BUILT_IN_PROFILE_SETS.includeCumulus).toEqual(['cumulus-vx']);
    const names = Object.values(BUILT_IN_PROFILE_SETS).flat();
    expect(new Set(names).size).toBe(BUILT_IN_PROFILE_OBJECTS.length);
    expect([...all.keys()].sort()).toEqual([...names].sort());
  });

  // what SwitchProfile.Validate (api/wiring/v1beta1/switchprofile_types.go) requires of the references
  it.each(BUILT_IN_PROFILE_OBJECTS.map(o => [(o.metadata as Obj).name as string]))('%s parses into the model and its references hold', name => {
    const s = spec(name);
    const model = all.get(name)!;
    expect(s.displayName).toEqual(expect.any(String));
    expect(s.nosType).toEqual(expect.any(String));
    expect(model.ports.get('M1')).toMatchObject({ management: true });
    expect(model.ports.size).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const [port, p] of model.ports) {
      if (p.management) continue;
      if (Boolean(p.profile) === Boolean(p.group)) problems.push(`port ${port} has not exactly one of profile and group`);
      if (p.group && !model.portProfiles.get(model.groups.get(p.group)?.profile ?? '')?.speed) problems.push(`port ${port}: group ${p.group} has no speed profile`);
      if (p.profile && !model.portProfiles.has(p.profile)) problems.push(`port ${port}: no port profile ${p.profile}`);
      if (p.pipeline && !model.pipelines.get(p.pipeline)) problems.push(`port ${port}: no pipeline ${p.pipeline}`);
    }
    for (const [pp, profile] of model.portProfiles) {
      if (profile.breakout && !profile.breakout.supported.has(profile.breakout.default ?? '')) problems.push(`${pp}: default breakout not supported`);
      if (profile.speed && !profile.speed.supported.includes(profile.speed.default ?? '')) problems.push(`${pp}: default speed not supported`);
    }
    expect(problems).toEqual([]);
  });

  it('dell-s5248f-on: 48 ports in 12 port groups, E1/49-E1/56 break out 4x25G; vs is the same without the breakout ports', () => {
    const dell = all.get('dell-s5248f-on')!;
    expect(dell.groups.size).toBe(12);
    expect(dell.ports.get('E1/1')).toMatchObject({ group: '1' });
    expect(portProblem(dell, { portBreakouts: { 'E1/49': '4x25G' } }, 'E1/49/4')).toBeUndefined();
    expect(portProblem(dell, {}, 'E1/49/2')).toContain('broken out 1x100G');
    expect(dell.features).toMatchObject({ l2vni: true, l3vni: true, roce: true, eslag: true });
    const vs = all.get('vs')!;
    expect(vs.ports.size).toBe(49);
    expect(portProblem(vs, {}, 'E1/48')).toBeUndefined();
    expect(portProblem(vs, {}, 'E1/49')).toBe('SwitchProfile vs has no port E1/49');
    expect(vs.features.ecmpRoCEQPN).toBeUndefined(); // false, left out as omitempty does
  });

  it('port limits: celestica-ds5000 has at most 320 ports, 10 per pipeline of two 800G ports; no L2VNI, no ESLAG', () => {
    const ds5000 = all.get('celestica-ds5000')!;
    expect(ds5000.maxPorts).toBe(320);
    expect(ds5000.pipelines.size).toBe(32);
    expect(ds5000.pipelines.get('1')).toBe(10);
    expect([ds5000.ports.get('E1/1')!.pipeline, ds5000.ports.get('E1/4')!.pipeline]).toEqual(['1', '1']);
    expect(ds5000.features).toMatchObject({ l3vni: true, roce: true, ecmpRoCEQPN: true });
    expect(ds5000.features.l2vni).toBeUndefined();
    expect(ds5000.features.eslag).toBeUndefined();
  });

  it('the profiles that exist follow the FabricConfig flags (catalog.go RegisterAll), parsed once per combination', () => {
    const none = builtInSwitchProfiles(resolveFabricConfig({}));
    expect(none.size).toBe(16);
    expect(none.has('vs-clsp') || none.has('cumulus-vx')).toBe(false);
    const both = builtInSwitchProfiles(resolveFabricConfig({ includeSONiCCLSPlus: true, includeCumulus: true }));
    expect(both.size).toBe(23);
    expect(builtInSwitchProfiles(resolveFabricConfig({ includeSONiCCLSPlus: true, includeCumulus: true }))).toBe(both);
  });
});
