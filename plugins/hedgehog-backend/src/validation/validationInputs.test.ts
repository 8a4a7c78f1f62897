import { asFile, baseFabric, get } from './__testUtils__/fabric';
import { mergeFabricConfig, pickFabricConfig, readFabricConfigYaml } from './fabricConfigInput';
import { kindsToResolveLive, needsSwitchProfiles } from './references';
import { validateFabric } from './validateFabric';

describe('kindsToResolveLive', () => {
  const only = (...keys: string[]) => baseFabric().filter(d => keys.includes(`${d.kind}/${d.metadata.name}`));

  it('is empty for a fabric that holds every kind it refers to', () => {
    expect(kindsToResolveLive(baseFabric())).toEqual([]);
  });

  it('lists exactly the referenced kinds the objects hold none of, with implicit default namespaces', () => {
    // VPCs refer to their namespaces even when they do not name them
    expect(kindsToResolveLive(only('VPC/vpc-1', 'VPC/vpc-2'))).toEqual(['IPv4Namespace', 'VLANNamespace']);
    expect(kindsToResolveLive(only('VPC/vpc-1', 'VPCAttachment/vpc-1--server-1'))).toEqual(['Connection', 'IPv4Namespace', 'Switch', 'VLANNamespace']);
    // a fabric connection names switches only; an unbundled one a server too
    expect(kindsToResolveLive(only('Connection/spine-1--fabric--leaf-1'))).toEqual(['Switch']);
    expect(kindsToResolveLive(only('Connection/server-1--unbundled--leaf-1', 'Switch/leaf-1'))).toEqual(['Server', 'VLANNamespace', 'SwitchGroup'].sort());
    expect(kindsToResolveLive([{ kind: 'VPCInfo', spec: {} }, 'not an object', null])).toEqual([]);
  });

  it('lists Gateway for a gateway connection whose Gateway the objects do not hold', () => {
    const conn = {
      kind: 'Connection',
      metadata: { name: 'spine-1--gateway--gw-1' },
      spec: { gateway: { links: [{ switch: { port: 'spine-1/E1/20' }, gateway: { port: 'gw-1/eth0' } }] } },
    };
    expect(kindsToResolveLive([conn])).toEqual(['Gateway', 'Switch']);
    expect(kindsToResolveLive([conn, { kind: 'Gateway', metadata: { name: 'gw-1' }, spec: {} }])).toEqual(['GatewayGroup', 'Switch']);
  });

  it('asks for SwitchProfiles only when switches or connections are validated', () => {
    expect(needsSwitchProfiles(only('VPC/vpc-1'))).toBe(false);
    expect(needsSwitchProfiles(only('Connection/spine-1--fabric--leaf-1'))).toBe(true);
  });
});

describe('FabricConfig input', () => {
  // the shape of Hedgehog's config.yaml (api/meta FabricConfig), with fields validation does not use
  const CONFIG_YAML = `controlVIP: 10.10.0.1/21
apiServer: 10.10.0.1:6443
agentRepo: registry.local/agent
vpcIRBVLANRange:
  - from: 3000
    to: 3799
th5WorkaroundVLANRange:
  - from: 3800
    to: 3899
reservedSubnets: [10.10.0.0/21, 10.10.128.0/17]
users:
  - name: admin
    password: $5$secret-hash
    role: admin
fabricMode: spine-leaf
fabricMTU: 9100
serverFacingMTUOffset: 64
spineASN: 64100
leafASNStart: 64101
leafASNEnd: 64200
managementSubnet: 10.10.0.0/21
managementDHCPStart: 10.10.4.0
protocolSubnet: 10.10.8.0/22
vtepSubnet: 10.10.12.0/22
fabricSubnet: 10.10.128.0/17
vpcPeeringDisabled: false
gatewayASN: 65534
gatewayCommunities:
  0: "50001:0"
  1: "50001:1"
`;

  it('reads the fields validation uses from config.yaml and drops the rest (users, passwords)', () => {
    const { config, problems } = readFabricConfigYaml(CONFIG_YAML);
    expect(problems).toEqual([]);
    expect(config).toEqual({
      controlVIP: '10.10.0.1/21',
      vpcIRBVLANRange: [{ from: 3000, to: 3799 }],
      th5WorkaroundVLANRange: [{ from: 3800, to: 3899 }],
      reservedSubnets: ['10.10.0.0/21', '10.10.128.0/17'],
      fabricMode: 'spine-leaf',
      fabricMTU: 9100,
      serverFacingMTUOffset: 64,
      spineASN: 64100,
      leafASNStart: 64101,
      leafASNEnd: 64200,
      managementSubnet: '10.10.0.0/21',
      managementDHCPStart: '10.10.4.0',
      protocolSubnet: '10.10.8.0/22',
      vtepSubnet: '10.10.12.0/22',
      fabricSubnet: '10.10.128.0/17',
      vpcPeeringDisabled: false,
      gatewayASN: 65534,
      gatewayCommunities: { '0': '50001:0', '1': '50001:1' },
      // written with omitempty: without enableGateway the gateway is off
      enableGateway: false,
    });
    expect(JSON.stringify(config)).not.toContain('secret-hash');
    expect(readFabricConfigYaml(`${CONFIG_YAML}enableGateway: true\n`).config.enableGateway).toBe(true);
    // no field validation uses: no config (and nothing assumed about the gateway)
    expect(readFabricConfigYaml('users: []\n').config).toEqual({});
  });

  it('names wrongly typed fields and ignores them; a YAML error names the key, not the content', () => {
    expect(
      pickFabricConfig({ spineASN: '65100', fabricMTU: 9100, vpcIRBVLANRange: [{ to: 3 }], reservedSubnets: 'x', vpcPeeringDisabled: 'no', gatewayCommunities: { 0: '50001:70000' } }),
    ).toEqual({
      config: { fabricMTU: 9100 },
      problems: [
        'spineASN: not a positive integer',
        'vpcIRBVLANRange: not a list of {from, to} VLAN ranges',
        'reservedSubnets: not a list of CIDR strings',
        'vpcPeeringDisabled: not a boolean',
        'gatewayCommunities: not a map of priority to ASN:value community',
      ],
    });
    expect(pickFabricConfig(['a'])).toEqual({ config: {}, problems: ['(root): not a mapping'] });
    const broken = readFabricConfigYaml('users:\n  - password: "hunter2\nspineASN: [');
    expect(broken.config).toEqual({});
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]).toMatch(/^config\.yaml: not valid YAML/);
    expect(broken.problems[0]).not.toContain('hunter2');
  });

  it('takes each field from the cluster, then app-config, else the default (absent)', () => {
    expect(mergeFabricConfig(undefined, undefined)).toBeUndefined();
    expect(mergeFabricConfig({ spineASN: 1 }, { spineASN: 2, fabricMTU: 9000 })).toEqual({ spineASN: 1, fabricMTU: 9000 });
    expect(mergeFabricConfig(undefined, { spineASN: 2 })).toEqual({ spineASN: 2 });
  });

  it('a real config makes config-dependent findings errors (and they follow its values)', () => {
    const docs = baseFabric();
    get(docs, 'Switch/spine-1').spec.asn = 64100;
    const offline = validateFabric(asFile(docs)).findings.filter(f => f.rule === 'switch.asn');
    expect(offline).toEqual([expect.objectContaining({ severity: 'warning', path: 'spec.asn' })]);
    // the cluster's config says the spine ASN is 64100: no finding about it, and the
    // leaves (65101, 65102) are outside its leaf range: errors
    const real = validateFabric(asFile(docs), { config: readFabricConfigYaml(CONFIG_YAML).config }).findings.filter(f => f.rule === 'switch.asn');
    expect(real.map(f => [f.severity, f.message])).toEqual([
      ['error', 'leaf ASN 65101 is not in the leaf ASN range 64101-64200'],
      ['error', 'leaf ASN 65102 is not in the leaf ASN range 64101-64200'],
    ]);
  });
});
