import { ValidationRuleId } from '@fabric-gitops/plugin-hedgehog-common';
import { Obj, TEST_CONFIG, WIRING_API, baseFabric, get, resource } from './fabric';
import { ValidateFabricOptions } from '../validateFabric';

/**
 * A small SwitchProfile written for the tests (not one of Hedgehog's), with the
 * features of Hedgehog's `vs`: management port M1; E1/1-E1/4 in port group 1; E1/5-E1/24 10G/25G ports; E1/25-E1/28 100G
 * ports that break out 1x100G (default), 2x50G or 4x25G.
 */
export function testSwitchProfile(name = 'vs'): Obj {
  const ports: Obj = { M1: { nos: 'Management0', management: true, oniePortName: 'eth0' } };
  for (let i = 1; i <= 28; i++) {
    const port: Obj = { nos: `Ethernet${(i - 1) * 4}`, label: String(i) };
    if (i <= 4) port.group = '1';
    else if (i <= 24) port.profile = 'SFP28-25G';
    else Object.assign(port, { nos: `1/${i}`, baseNOSName: `Ethernet${(i - 1) * 4}`, profile: 'QSFP28-100G' });
    ports[`E1/${i}`] = port;
  }
  return resource(WIRING_API, 'SwitchProfile', name, {
    displayName: 'Test switch',
    switchSilicon: 'Test',
    nosType: 'sonic-bcm-vs',
    platform: 'x86_64-test',
    features: { subinterfaces: true, l2vni: true, l3vni: true, roce: true, mclag: true, eslag: true },
    ports,
    portGroups: { 1: { nos: '1', profile: 'SFP28-25G' } },
    portProfiles: {
      'SFP28-25G': { speed: { default: '25G', supported: ['10G', '25G'] } },
      'QSFP28-100G': {
        breakout: {
          default: '1x100G',
          supported: { '1x100G': { offsets: ['0'] }, '2x50G': { offsets: ['0', '2'] }, '4x25G': { offsets: ['0', '1', '2', '3'] } },
        },
      },
    },
  });
}

/** A SwitchProfile with some features changed. */
export function withFeatures(profile: Obj, features: Record<string, boolean>): Obj {
  return { ...profile, spec: { ...profile.spec, features: { ...profile.spec.features, ...features } } };
}

/** Config and the test SwitchProfile: what a fabric with a reachable Hedgehog cluster validates with. */
export const PROFILE_OPTIONS: ValidateFabricOptions = { config: TEST_CONFIG, switchProfiles: [testSwitchProfile()] };

/** Cases of the rules that need the cluster's SwitchProfiles, in the form of rules.test.ts. */
export const PROFILE_CASES: Array<{
  rule: ValidationRuleId;
  docs?: () => Obj[];
  break: (docs: Obj[]) => void;
  at: [string, string];
  options?: ValidateFabricOptions;
  brokenOptions?: ValidateFabricOptions;
}> = [
  {
    rule: 'switch.profile-missing',
    options: PROFILE_OPTIONS,
    break: d => (get(d, 'Switch/spine-1').spec.profile = 'dell-s5248f-on'),
    at: ['Switch/spine-1', 'spec.profile'],
  },
  {
    rule: 'switch.port-unknown',
    options: PROFILE_OPTIONS,
    docs: () => {
      const docs = baseFabric();
      Object.assign(get(docs, 'Switch/leaf-1').spec, { portSpeeds: { 'E1/7': '10G' }, portGroupSpeeds: { 1: '10G' } });
      return docs;
    },
    break: d => (get(d, 'Switch/leaf-1').spec.portSpeeds = { 'E1/99': '10G' }),
    at: ['Switch/leaf-1', 'spec.portSpeeds["E1/99"]'],
  },
  {
    rule: 'switch.port-setting',
    options: PROFILE_OPTIONS,
    docs: () => {
      const docs = baseFabric();
      get(docs, 'Switch/leaf-2').spec.portBreakouts = { 'E1/25': '4x25G' };
      return docs;
    },
    break: d => (get(d, 'Switch/leaf-2').spec.portBreakouts = { 'E1/25': '8x10G' }),
    at: ['Switch/leaf-2', 'spec.portBreakouts["E1/25"]'],
  },
  // offline: the profiles built into Hedgehog (validation/builtInProfiles)
  {
    rule: 'switch.profile-unknown',
    brokenOptions: { config: { ...TEST_CONFIG, allowExtraSwitchProfiles: true } },
    break: d => (get(d, 'Switch/spine-1').spec.profile = 'my-switch'),
    at: ['Switch/spine-1', 'spec.profile'],
  },
  {
    // Switch.Validate: ECMP RoCE QPN hashing needs the profile's ecmpRoCEQPN, which vs lacks
    rule: 'switch.profile-feature',
    break: d => (get(d, 'Switch/spine-1').spec.ecmp = { roceQPN: true }),
    at: ['Switch/spine-1', 'spec.ecmp.roceQPN'],
  },
  {
    // Switch.Validate: celestica-ds5000 ports E1/1 and E1/4 share pipeline 1 (at most 10 ports)
    rule: 'switch.port-limit',
    docs: () => {
      const docs = baseFabric();
      get(docs, 'Switch/spine-1').spec.profile = 'celestica-ds5000';
      return docs;
    },
    break: d => (get(d, 'Switch/spine-1').spec.portBreakouts = { 'E1/1': '8x100G', 'E1/4': '4x200G' }),
    at: ['Switch/spine-1', 'spec.portBreakouts'],
  },
  {
    // VPCAttachment.Validate: the default (L2VNI) VPC mode needs the profile's l2vni and l3vni
    rule: 'vpcattachment.profile-feature',
    options: PROFILE_OPTIONS,
    brokenOptions: { config: TEST_CONFIG, switchProfiles: [withFeatures(testSwitchProfile(), { l2vni: false })] },
    break: () => {},
    at: ['VPCAttachment/vpc-1--server-1', 'spec.connection'],
  },
  {
    rule: 'connection.port-profile',
    options: PROFILE_OPTIONS,
    break: d => (get(d, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.link.switch.port = 'leaf-1/E1/25/2'),
    at: ['Connection/server-1--unbundled--leaf-1', 'spec.unbundled.link.switch.port'],
  },
];
