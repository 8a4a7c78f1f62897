import { TEST_CONFIG, asFile, baseFabric, get, indexOf } from './__testUtils__/fabric';
import { PROFILE_OPTIONS, testSwitchProfile } from './__testUtils__/profiles';
import { portProblem, switchProfileModels } from './switchProfiles';
import { validateFabric } from './validateFabric';

const profile = switchProfileModels([testSwitchProfile('p')]).get('p')!;
const rulesOf = (findings: Array<{ rule: string }>) => findings.map(f => f.rule);

describe('SwitchProfile port checks', () => {
  it.each([
    ['E1/5', {}, undefined],
    ['M1', {}, undefined],
    ['E1/1', {}, undefined], // a port of a port group
    ['E1/25', {}, undefined], // a breakout port by its own name is its first sub-port
    ['E1/25/1', {}, undefined],
    ['E1/25/2', {}, 'port E1/25 is broken out 1x100G (1 sub-port), so it has no sub-port E1/25/2'],
    ['E1/25/2', { portBreakouts: { 'E1/25': '2x50G' } }, undefined],
    ['E1/25/3', { portBreakouts: { 'E1/25': '2x50G' } }, 'port E1/25 is broken out 2x50G (2 sub-ports), so it has no sub-port E1/25/3'],
    ['E1/25/4', { portBreakouts: { 'E1/25': '4x25G' } }, undefined],
    ['E1/25/0', { portBreakouts: { 'E1/25': '4x25G' } }, 'port E1/25 is broken out 4x25G (4 sub-ports), so it has no sub-port E1/25/0'],
    ['E1/5/1', {}, 'port E1/5 of SwitchProfile p cannot be broken out, so it has no sub-port E1/5/1'],
    ['E1/29', {}, 'SwitchProfile p has no port E1/29'],
    ['Ethernet0', {}, 'SwitchProfile p has no port Ethernet0'],
  ])('port %s of a switch with %j: %s', (port, spec, problem) => {
    expect(portProblem(profile, spec, port)).toBe(problem);
  });

  it('an unsupported breakout mode is reported on the switch; its ports count as the default mode', () => {
    expect(portProblem(profile, { portBreakouts: { 'E1/25': '8x10G' } }, 'E1/25/1')).toBeUndefined();
    expect(portProblem(profile, { portBreakouts: { 'E1/25': '8x10G' } }, 'E1/25/2')).toContain('broken out 1x100G');
  });

  it('the base fabric passes with the profile; offline the built-in profiles check the ports', () => {
    const docs = baseFabric();
    get(docs, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.link.switch.port = 'leaf-1/E1/99';
    get(docs, 'Switch/leaf-1').spec.portSpeeds = { 'E1/98': '10G' };
    const expected = (name: string) => [
      expect.objectContaining({ rule: 'switch.port-unknown', document: indexOf(docs, 'Switch/leaf-1'), path: 'spec.portSpeeds["E1/98"]', severity: 'error' }),
      expect.objectContaining({
        rule: 'connection.port-profile',
        document: indexOf(docs, 'Connection/server-1--unbundled--leaf-1'),
        path: 'spec.unbundled.link.switch.port',
        message: `port leaf-1/E1/99 is not allowed for switch leaf-1: SwitchProfile ${name} has no port E1/99`,
      }),
    ];
    // offline (no cluster): Hedgehog's built-in vs
    expect(validateFabric(asFile(docs), { config: TEST_CONFIG }).findings).toEqual(expected('vs'));
    // an empty profile list is the same as none (a Hedgehog cluster always has its built-in profiles)
    expect(validateFabric(asFile(docs), { config: TEST_CONFIG, switchProfiles: [] }).findings).toEqual(expected('vs'));
    expect(validateFabric(asFile(docs), PROFILE_OPTIONS).findings).toEqual(expected('vs'));
  });

  it('with the cluster\'s profiles, an unknown profile name is an error naming the cluster\'s profiles', () => {
    const docs = baseFabric();
    get(docs, 'Switch/spine-1').spec.profile = 'my-switch';
    const [finding] = validateFabric(asFile(docs), PROFILE_OPTIONS).findings;
    expect(finding).toMatchObject({ rule: 'switch.profile-missing', severity: 'error', path: 'spec.profile' });
    expect(finding.message).toBe('Switch spine-1 uses SwitchProfile my-switch, which the cluster does not have (it has: vs)');
  });

  it('checks speeds and breakouts against the port, its group and its port profile', () => {
    const docs = baseFabric();
    const spec = get(docs, 'Switch/leaf-1').spec;
    spec.portSpeeds = { 'E1/5': 'SPEED_25G', 'E1/6': '100G', 'E1/2': '10G', 'E1/26': '25G' };
    spec.portGroupSpeeds = { 1: '25G', 2: '10G' };
    spec.portBreakouts = { 'E1/25': '2x50G', 'E1/7': '4x25G', 'E1/30': '4x25G' };
    spec.portAutoNegs = { 'E1/5': true, 'E1/25/2': false, 'E1/31': true };
    spec.portFECs = { 'E1/6': 'rs', 'E1/25/3': 'rs' };
    const findings = validateFabric(asFile(docs), PROFILE_OPTIONS).findings;
    expect(findings.map(f => [f.rule, f.path, f.message])).toEqual([
      ['switch.port-unknown', 'spec.portGroupSpeeds.2', 'SwitchProfile vs has no port group 2'],
      ['switch.port-setting', 'spec.portSpeeds["E1/6"]', 'port E1/6 of SwitchProfile vs does not support speed 100G (supported: 10G, 25G)'],
      ['switch.port-setting', 'spec.portSpeeds["E1/2"]', 'port E1/2 of SwitchProfile vs is in port group 1; set its speed with portGroupSpeeds'],
      ['switch.port-setting', 'spec.portSpeeds["E1/26"]', 'port E1/26 of SwitchProfile vs is a breakout port; set its mode with portBreakouts'],
      ['switch.port-setting', 'spec.portBreakouts["E1/7"]', 'port E1/7 of SwitchProfile vs cannot be broken out'],
      ['switch.port-unknown', 'spec.portBreakouts["E1/30"]', 'SwitchProfile vs has no port E1/30'],
      ['switch.port-unknown', 'spec.portAutoNegs["E1/31"]', 'SwitchProfile vs has no port E1/31'],
      ['switch.port-unknown', 'spec.portFECs["E1/25/3"]', 'port E1/25 is broken out 2x50G (2 sub-ports), so it has no sub-port E1/25/3'],
    ]);
  });

  it('checks ports of switches that only the cluster holds (live objects)', () => {
    const all = baseFabric();
    const docs = all.filter(d => d.kind !== 'Switch');
    const live = all.filter(d => d.kind === 'Switch');
    get(docs, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.link.switch.port = 'leaf-1/E1/25/4';
    const options = { ...PROFILE_OPTIONS, live };
    expect(rulesOf(validateFabric(asFile(docs), options).findings)).toEqual(['connection.port-profile']);
    const leaf1 = live.find(d => d.metadata.name === 'leaf-1')!;
    leaf1.spec.portBreakouts = { 'E1/25': '4x25G' };
    expect(validateFabric(asFile(docs), options).findings).toEqual([]);
  });

  it('E1/25 and E1/25/1 are the same port: used by two connections, only the reuse rule reports it', () => {
    const docs = baseFabric();
    get(docs, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.link.switch.port = 'leaf-1/E1/25';
    get(docs, 'Connection/leaf-1--external').spec.external.link.switch.port = 'leaf-1/E1/25/1';
    expect([...new Set(rulesOf(validateFabric(asFile(docs), PROFILE_OPTIONS).findings))]).toEqual(['fabric.port-reused']);
  });
});
