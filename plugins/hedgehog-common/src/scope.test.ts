import { HEDGEHOG_KINDS } from './kinds';
import { layoutFiles, manifestContent } from './layout';
import { DAY2_KINDS, WIRING_KINDS, kindsOfScope, readKindScope, resolveKindScope } from './scope';

describe('kind scopes', () => {
  it('has presets that split the managed kinds into day-2 objects and wiring', () => {
    expect(kindsOfScope('all')).toEqual(HEDGEHOG_KINDS.map(k => k.kind));
    expect(kindsOfScope('day2')).toEqual(['VPC', 'External', 'VPCAttachment', 'VPCPeering', 'ExternalAttachment', 'ExternalPeering', 'GatewayPeering']);
    expect(kindsOfScope('wiring')).toEqual(['VLANNamespace', 'IPv4Namespace', 'SwitchGroup', 'GatewayGroup', 'Switch', 'Server', 'Gateway', 'Connection']);
    expect([...DAY2_KINDS, ...WIRING_KINDS].sort()).toEqual(HEDGEHOG_KINDS.map(k => k.kind).sort());
  });

  it('reads presets, lists and comma-separated kinds, and says what is wrong otherwise', () => {
    expect(readKindScope('day2')).toEqual({ setting: 'day2' });
    expect(readKindScope(['VPC', 'VPC', 'Switch'])).toEqual({ setting: ['VPC', 'Switch'] });
    expect(readKindScope('VPC, VPCAttachment')).toEqual({ setting: ['VPC', 'VPCAttachment'] });
    expect(readKindScope('VPC')).toEqual({ setting: ['VPC'] });
    expect(readKindScope('day3')).toEqual({ problem: expect.stringContaining('"day3" is neither a preset (all, day2, wiring)') });
    expect(readKindScope(['VPC', 'VPCInfo'])).toEqual({ problem: expect.stringContaining('"VPCInfo" is not one of the managed kinds') });
    expect(readKindScope([])).toEqual({ problem: expect.stringContaining('names no kind') });
    expect(readKindScope(3)).toEqual({ problem: expect.stringContaining('must be a preset') });
  });

  it('takes app-config, then the manifest, then the entity, else all', () => {
    expect(resolveKindScope({ appConfig: 'wiring', manifest: 'day2', entity: ['VPC'] })).toMatchObject({ from: 'app-config', setting: 'wiring' });
    expect(resolveKindScope({ manifest: 'day2', entity: ['VPC'] })).toMatchObject({ from: 'manifest', setting: 'day2' });
    expect(resolveKindScope({ entity: ['VPC'] })).toMatchObject({ from: 'entity', kinds: ['VPC'] });
    expect(resolveKindScope({})).toMatchObject({ from: 'default', setting: 'all', kinds: HEDGEHOG_KINDS.map(k => k.kind) });
  });

  it('writes the scope into the manifest and lays out only its folders', () => {
    expect(manifestContent('lab')).toBe(manifestContent('lab', undefined));
    expect(manifestContent('lab')).not.toContain('scope:');
    const day2 = manifestContent('lab', 'day2');
    expect(day2).toContain('\nscope: day2\n');
    expect(day2).toContain('  VPCAttachment: managed/vpcattachments\n');
    expect(day2).not.toContain('Switch');
    expect(manifestContent('lab', ['VPC', 'Switch'])).toContain('\nscope: [VPC, Switch]\n');
    const paths = layoutFiles('lab', 'day2').map(f => f.path);
    expect(paths).toContain('managed/vpcs/.gitkeep');
    expect(paths).not.toContain('managed/switches/.gitkeep');
    expect(layoutFiles('lab')).toHaveLength(19);
    expect(layoutFiles('lab', 'day2')).toHaveLength(11);
  });
});
