import { Obj, TEST_CONFIG, asFile, baseFabric, get, indexOf } from './__testUtils__/fabric';
import { PROFILE_OPTIONS } from './__testUtils__/profiles';
import { ValidationCache } from './ValidationCache';
import { ValidateFabricOptions, validateFabric } from './validateFabric';

/*
 * Offline (no cluster): Switches, ports and features checked against the
 * SwitchProfiles built into Hedgehog. Each case names the Hedgehog function the
 * rule comes from (githedgehog/fabric).
 */

const OFFLINE: ValidateFabricOptions = { config: TEST_CONFIG };
const found = (docs: Obj[], options: ValidateFabricOptions = OFFLINE) =>
  validateFabric(asFile(docs), options).findings.map(f => [f.severity, f.rule, f.document, f.path, f.message]);

describe('offline checks against the built-in SwitchProfiles', () => {
  it('the base fabric (vs switches) has no finding', () => {
    expect(validateFabric(asFile(baseFabric()), OFFLINE).findings).toEqual([]);
  });

  describe('Switch.Validate: the profile exists (catalog.go RegisterAll, SwitchProfileWebhook.ValidateCreate)', () => {
    it('an unknown profile is an error with a config, a warning without', () => {
      const docs = baseFabric();
      get(docs, 'Switch/spine-1').spec.profile = 'dell-s5248';
      const at = indexOf(docs, 'Switch/spine-1');
      const [[severity, rule, doc, path, message]] = found(docs);
      expect([severity, rule, doc, path]).toEqual(['error', 'switch.profile-missing', at, 'spec.profile']);
      expect(message).toMatch(/^Switch spine-1: SwitchProfile dell-s5248 is not one of the SwitchProfiles built into Hedgehog \(celestica-ds2000, .*vs\), and without allowExtraSwitchProfiles the cluster has no other$/);
      expect(found(docs, {})).toEqual([['warning', 'switch.profile-missing', at, 'spec.profile', expect.stringContaining("assuming hhfab's default")]]);
      expect(found(docs, { config: { ...TEST_CONFIG, allowExtraSwitchProfiles: true } })).toEqual([
        ['warning', 'switch.profile-unknown', at, 'spec.profile', expect.stringContaining('with allowExtraSwitchProfiles the cluster may have it')],
      ]);
    });

    it('a SONiC+ profile exists only with includeSONiCCLSPlus, cumulus-vx only with includeCumulus', () => {
      const docs = baseFabric();
      get(docs, 'Switch/spine-1').spec.profile = 'vs-clsp';
      expect(found(docs)).toEqual([
        ['error', 'switch.profile-missing', indexOf(docs, 'Switch/spine-1'), 'spec.profile', 'Switch spine-1: SwitchProfile vs-clsp is built into Hedgehog only when the FabricConfig sets includeSONiCCLSPlus: true'],
      ]);
      expect(found(docs, { config: { ...TEST_CONFIG, includeSONiCCLSPlus: true } })).toEqual([]);
      get(docs, 'Switch/spine-1').spec.profile = 'cumulus-vx';
      expect(found(docs, { config: { ...TEST_CONFIG, includeSONiCCLSPlus: true } }).map(f => f[1])).toEqual(['switch.profile-missing']);
      expect(found(docs, { config: { ...TEST_CONFIG, includeCumulus: true } })).toEqual([]);
    });
  });

  it('Connection.Validate (GetAPI2NOSPortsFor): a port the profile lacks is an error', () => {
    const docs = baseFabric();
    // vs has E1/1-E1/48 only: Hedgehog leaves out the breakout ports of dell-s5248f-on
    get(docs, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.link.switch.port = 'leaf-1/E1/49';
    expect(found(docs)).toEqual([
      ['error', 'connection.port-profile', indexOf(docs, 'Connection/server-1--unbundled--leaf-1'), 'spec.unbundled.link.switch.port', 'port leaf-1/E1/49 is not allowed for switch leaf-1: SwitchProfile vs has no port E1/49'],
    ]);
  });

  it('Switch.Validate: a breakout mode the port profile does not support is an error; a supported one makes its sub-ports', () => {
    const docs = baseFabric();
    get(docs, 'Switch/spine-1').spec.profile = 'dell-s5248f-on';
    get(docs, 'Switch/spine-1').spec.portBreakouts = { 'E1/49': '8x10G' };
    expect(found(docs)).toEqual([
      ['error', 'switch.port-setting', indexOf(docs, 'Switch/spine-1'), 'spec.portBreakouts["E1/49"]', 'port E1/49 of SwitchProfile dell-s5248f-on does not support breakout 8x10G (supported: 1x100G, 1x40G, 2x50G, 1x50G, 4x25G, 4x10G, 1x25G, 1x10G)'],
    ]);
    get(docs, 'Switch/spine-1').spec.portBreakouts = { 'E1/49': '4x25G' };
    get(docs, 'Connection/spine-1--fabric--leaf-1').spec.fabric.links[0].spine.port = 'spine-1/E1/49/4';
    expect(found(docs)).toEqual([]);
  });

  describe('Switch.Validate: features', () => {
    it('RoCE on a profile without it (edgecore-dcs501)', () => {
      const docs = baseFabric();
      Object.assign(get(docs, 'Switch/spine-1').spec, { profile: 'edgecore-dcs501', roce: true });
      expect(found(docs)).toEqual([
        ['error', 'switch.profile-feature', indexOf(docs, 'Switch/spine-1'), 'spec.roce', 'RoCEv2 is not supported on SwitchProfile edgecore-dcs501 of switch spine-1'],
      ]);
      get(docs, 'Switch/spine-1').spec.profile = 'dell-s5248f-on';
      expect(found(docs)).toEqual([]);
    });

    it('ESLAG redundancy on a profile without it (celestica-ds4000)', () => {
      const docs = baseFabric();
      for (const leaf of ['leaf-1', 'leaf-2']) get(docs, `Switch/${leaf}`).spec.profile = 'celestica-ds4000';
      const rules = found(docs).map(f => [f[1], f[2], f[3]]);
      expect(rules).toEqual(expect.arrayContaining([
        ['switch.profile-feature', indexOf(docs, 'Switch/leaf-1'), 'spec.redundancy.type'],
        ['switch.profile-feature', indexOf(docs, 'Switch/leaf-2'), 'spec.redundancy.type'],
      ]));
    });
  });

  it('VPCAttachment.Validate: a VPC mode the switch profile cannot do (celestica-ds5000 has L3VNI, no L2VNI)', () => {
    const docs = baseFabric();
    // leaf-1 on a ds5000, without ESLAG (which it lacks too) and attached only by server-1
    const leaf1 = get(docs, 'Switch/leaf-1').spec;
    Object.assign(leaf1, { profile: 'celestica-ds5000' });
    delete leaf1.redundancy;
    delete leaf1.groups;
    const keep = docs.filter(d => !['Connection/server-2--eslag--leaf-1--leaf-2', 'VPCAttachment/vpc-2--server-2'].includes(`${d.kind}/${d.metadata.name}`));
    expect(found(keep)).toEqual([
      ['error', 'vpcattachment.profile-feature', indexOf(keep, 'VPCAttachment/vpc-1--server-1'), 'spec.connection', 'VPC vpc-1 is in mode l2vni (the default), which SwitchProfile celestica-ds5000 of switch leaf-1 does not support (it needs L2VNI and L3VNI)'],
    ]);
    get(keep, 'VPC/vpc-1').spec.mode = 'l3vni';
    expect(found(keep)).toEqual([]);
  });

  it('Switch.Validate: ports after breakout within maxPorts (celestica-ds4000: 144) and per pipeline (18)', () => {
    const docs = baseFabric();
    const spine = get(docs, 'Switch/spine-1').spec;
    spine.profile = 'celestica-ds4000';
    // two ports of each 4-port pipeline 8x50G: 18 per pipeline, 8 x 18 + the SFP port = 145
    spine.portBreakouts = Object.fromEntries([...Array(8).keys()].flatMap(p => [[`E1/${4 * p + 1}`, '8x50G'], [`E1/${4 * p + 2}`, '8x50G']]));
    get(docs, 'Connection/spine-1--fabric--leaf-1').spec.fabric.links[0].spine.port = 'spine-1/E1/1/1';
    get(docs, 'Connection/spine-1--fabric--leaf-2').spec.fabric.links[0].spine.port = 'spine-1/E1/2/1';
    expect(found(docs)).toEqual([
      ['error', 'switch.port-limit', indexOf(docs, 'Switch/spine-1'), 'spec.portBreakouts', 'switch spine-1 has 145 ports after breakout, more than the 144 SwitchProfile celestica-ds4000 allows'],
    ]);
    spine.portBreakouts['E1/3'] = '4x25G';
    expect(found(docs).map(f => f[4])).toEqual([
      'switch spine-1 has 148 ports after breakout, more than the 144 SwitchProfile celestica-ds4000 allows',
      'pipeline 1 of SwitchProfile celestica-ds4000 (ports E1/1, E1/2, E1/3, E1/4) has 21 ports after breakout on switch spine-1, more than its 18',
    ]);
  });

  it('with the cluster\'s profiles given, those win over the built-in ones', () => {
    const docs = baseFabric();
    // the test profile "vs" breaks E1/25 out; Hedgehog's vs has E1/25 in a port group
    get(docs, 'Switch/leaf-1').spec.portBreakouts = { 'E1/25': '2x50G' };
    get(docs, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.link.switch.port = 'leaf-1/E1/25/2';
    expect(found(docs).map(f => f[1])).toEqual(['switch.port-setting', 'connection.port-profile']);
    expect(found(docs, PROFILE_OPTIONS)).toEqual([]);
  });

  it('ValidationCache: the flags that decide which profiles exist are part of what the cached findings depend on', () => {
    const cache = new ValidationCache();
    const docs = asFile(baseFabric());
    const spine = docs[indexOf(baseFabric(), 'Switch/spine-1')].object as Obj;
    spine.spec.profile = 'vs-clsp';
    expect(cache.validate(docs, OFFLINE).findings.map(f => f.rule)).toEqual(['switch.profile-missing']);
    expect(cache.validate(docs, { config: { ...TEST_CONFIG, includeSONiCCLSPlus: true } }).findings).toEqual([]);
    expect(cache.validate(docs, OFFLINE).findings.map(f => f.rule)).toEqual(['switch.profile-missing']);
  });
});
