import {
  VALIDATION_RULES,
  VALIDATION_RULE_LIST,
  ValidationRuleId,
  blocksApply,
  findValidationRule,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  Obj,
  TEST_CONFIG,
  VPC_API,
  WIRING_API,
  asFile,
  baseFabric,
  get,
  indexOf,
  ipv4Namespace,
  resource,
  staticExternal,
  vlanNamespace,
} from './__testUtils__/fabric';
import { PROFILE_CASES, PROFILE_OPTIONS } from './__testUtils__/profiles';
import { ValidateFabricOptions, validateFabric } from './validateFabric';

/**
 * One case per rule: a small document set that validates with no finding, and a
 * change to it that breaks exactly that rule (every finding is of that rule), with
 * where the finding must be.
 */
interface Case {
  rule: ValidationRuleId;
  /** The valid documents (default: baseFabric()). */
  docs?: () => Obj[];
  /** Changes the documents so that they break the rule. */
  break: (docs: Obj[]) => void;
  /** Where a finding must be: the document `Kind/name` and the JSON path. */
  at: [string, string];
  /** Options for both runs (default: config TEST_CONFIG). */
  options?: ValidateFabricOptions;
  /** Options of the broken run only. */
  brokenOptions?: ValidateFabricOptions;
  /** Options of the fixed run only. */
  fixedOptions?: ValidateFabricOptions;
}

/** Deep copy (JSON: structuredClone makes objects of another realm under jest). */
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

const withDocs = (...extra: Obj[]) => () => [...baseFabric(), ...extra];
const without = (...keys: string[]) => () => baseFabric().filter(d => !keys.includes(`${d.kind}/${d.metadata.name}`));

const staticExternalConnection = () =>
  resource(WIRING_API, 'Connection', 'leaf-2--static-external', {
    staticExternal: {
      link: { switch: { port: 'leaf-2/E1/10', ip: '172.31.1.1/24', nextHop: '172.31.1.2', subnets: ['10.200.0.0/16'] } },
    },
  });
const staticAttachment = () =>
  resource(VPC_API, 'ExternalAttachment', 'ext-s--leaf-1', {
    external: 'ext-s',
    connection: 'leaf-1--external',
    switch: {},
    neighbor: {},
    static: { remoteIP: '172.31.3.2', ip: '172.31.3.1/24', vlan: 200 },
  });
const gatewayConnection = () =>
  resource(WIRING_API, 'Connection', 'spine-1--gateway--gw-1', {
    gateway: {
      links: [
        { switch: { port: 'spine-1/E1/20', ip: '172.30.128.10/31' }, gateway: { port: 'gw-1/eth0', ip: '172.30.128.11/31' } },
      ],
    },
  });
const GATEWAY_API = 'gateway.githedgehog.com/v1alpha1';
const gateway = () =>
  resource(GATEWAY_API, 'Gateway', 'gw-1', {
    protocolIP: '172.30.8.100/32',
    vtepIP: '172.30.12.100/32',
    vtepMAC: 'ca:fe:ba:be:00:01',
    asn: 65534,
    interfaces: { eth0: { pci: '0000:02:00.0', ips: ['172.30.128.11/31'] } },
    neighbors: [{ source: 'eth0', ip: '172.30.128.10', asn: 65100 }],
    groups: [{ name: 'default', priority: 0 }],
  });
const gatewayPeering = () =>
  resource(GATEWAY_API, 'GatewayPeering', 'vpc-1--vpc-2', {
    gatewayGroup: 'default',
    peering: { 'vpc-1': { expose: [{ ips: [{ cidr: '10.0.1.0/24' }] }] }, 'vpc-2': { expose: [{ ips: [{ vpcSubnet: 'default' }] }] } },
  });
const gatewayGroup = (name = 'default') => resource(GATEWAY_API, 'GatewayGroup', name, {});
const secondGateway = () => {
  const gw = gateway();
  gw.metadata.name = 'gw-2';
  Object.assign(gw.spec, { protocolIP: '172.30.8.101/32', vtepIP: '172.30.12.101/32', vtepMAC: 'ca:fe:ba:be:00:02' });
  return gw;
};
const natPeering = () =>
  resource(GATEWAY_API, 'GatewayPeering', 'vpc-1--vpc-2--nat', {
    peering: {
      'vpc-1': { expose: [{ ips: [{ cidr: '10.0.1.0/24' }], as: [{ cidr: '192.168.0.0/24' }], nat: { static: {} } }] },
      'vpc-2': { expose: [{ ips: [{ vpcSubnet: 'default' }] }] },
    },
  });
const externalPeering = () =>
  resource(GATEWAY_API, 'GatewayPeering', 'vpc-1--ext-1', {
    peering: { 'vpc-1': { expose: [{ ips: [{ vpcSubnet: 'default' }] }] }, 'ext.ext-1': { expose: [{ ips: [{ cidr: '10.50.0.0/16' }] }] } },
    acl: { default: 'deny', rules: [{ action: 'allow', from: 'vpc-1', match: { src: [{ vpcSubnet: 'default' }], dst: [{ cidr: '10.50.0.0/16' }] } }] },
  });
const withGateway = withDocs(gatewayGroup(), gateway(), gatewayConnection());
const otherVLANs = () => vlanNamespace('other', [{ from: 100, to: 200 }]);
const otherIPs = () => ipv4Namespace('other', ['10.1.0.0/16']);
const subnet = (docs: Obj[], vpc: string, name = 'default') => get(docs, `VPC/${vpc}`).spec.subnets[name];

const CASES: Case[] = [
  // document
  {
    rule: 'document.unmanaged',
    break: d => d.push({ apiVersion: 'gateway.githedgehog.com/v1alpha1', kind: 'VPCInfo', metadata: { name: 'gw-1', namespace: 'fab' }, spec: {} }),
    at: ['VPCInfo/gw-1', 'kind'],
  },

  // schema
  { rule: 'schema.api-version', break: d => (get(d, 'VPC/vpc-1').apiVersion = 'wiring.githedgehog.com/v1beta1'), at: ['VPC/vpc-1', 'apiVersion'] },
  { rule: 'schema.unknown-field', break: d => (subnet(d, 'vpc-1').vlanId = 5), at: ['VPC/vpc-1', 'spec.subnets.default.vlanId'] },
  { rule: 'schema.required', break: d => delete get(d, 'Switch/spine-1').spec.profile, at: ['Switch/spine-1', 'spec.profile'] },
  { rule: 'schema.type', break: d => (subnet(d, 'vpc-1').vlan = '1001'), at: ['VPC/vpc-1', 'spec.subnets.default.vlan'] },
  { rule: 'schema.enum', break: d => (get(d, 'Switch/leaf-1').spec.role = 'leaf'), at: ['Switch/leaf-1', 'spec.role'] },
  {
    rule: 'schema.range',
    break: d => (get(d, 'Switch/spine-1').spec.linkFlapErrDisable = { flapThreshold: 60 }),
    at: ['Switch/spine-1', 'spec.linkFlapErrDisable.flapThreshold'],
  },
  { rule: 'schema.items', break: d => (get(d, 'VPCPeering/vpc-1--vpc-2').spec.permit = []), at: ['VPCPeering/vpc-1--vpc-2', 'spec.permit'] },
  { rule: 'schema.cidr', break: d => (get(d, 'ExternalAttachment/ext-1--leaf-1').spec.switch.ip = '172.31.0.1'), at: ['ExternalAttachment/ext-1--leaf-1', 'spec.switch.ip'] },
  { rule: 'schema.ip', break: d => (get(d, 'ExternalAttachment/ext-1--leaf-1').spec.neighbor.ip = '172.31.0.300'), at: ['ExternalAttachment/ext-1--leaf-1', 'spec.neighbor.ip'] },
  { rule: 'schema.mac', break: d => (get(d, 'Switch/spine-1').spec.boot.mac = '0c:20:12:ff:00'), at: ['Switch/spine-1', 'spec.boot.mac'] },
  { rule: 'schema.community', break: d => (get(d, 'External/ext-1').spec.inboundCommunity = '65536:1'), at: ['External/ext-1', 'spec.inboundCommunity'] },
  {
    rule: 'schema.port-name',
    break: d => (get(d, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.link.server.port = 'server-1'),
    at: ['Connection/server-1--unbundled--leaf-1', 'spec.unbundled.link.server.port'],
  },
  { rule: 'metadata.name', break: d => (get(d, 'VPCPeering/vpc-1--vpc-2').metadata.name = 'VPC1--vpc2'), at: ['VPCPeering/VPC1--vpc2', 'metadata.name'] },
  {
    rule: 'metadata.name-length',
    break: d => {
      get(d, 'External/ext-1').metadata.name = 'external-one';
      get(d, 'ExternalAttachment/ext-1--leaf-1').spec.external = 'external-one';
      get(d, 'ExternalPeering/vpc-1--ext-1').spec.permit.external.name = 'external-one';
    },
    at: ['External/external-one', 'metadata.name'],
  },
  { rule: 'metadata.namespace', break: d => (get(d, 'Server/server-2').metadata.namespace = 'fab'), at: ['Server/server-2', 'metadata.namespace'] },

  // kind
  { rule: 'vlannamespace.range', break: d => get(d, 'VLANNamespace/default').spec.ranges.push({ from: 4000, to: 4095 }), at: ['VLANNamespace/default', 'spec.ranges[1].to'] },
  { rule: 'vlannamespace.overlap', break: d => get(d, 'VLANNamespace/default').spec.ranges.push({ from: 1500, to: 1600 }), at: ['VLANNamespace/default', 'spec.ranges[1]'] },
  { rule: 'vlannamespace.reserved', break: d => get(d, 'VLANNamespace/default').spec.ranges.push({ from: 3500, to: 3600 }), at: ['VLANNamespace/default', 'spec.ranges[1]'] },
  { rule: 'ipv4namespace.overlap', break: d => get(d, 'IPv4Namespace/default').spec.subnets.push('10.0.128.0/17'), at: ['IPv4Namespace/default', 'spec.subnets[1]'] },
  { rule: 'ipv4namespace.reserved', break: d => get(d, 'IPv4Namespace/default').spec.subnets.push('172.30.0.0/24'), at: ['IPv4Namespace/default', 'spec.subnets[1]'] },
  { rule: 'switch.redundancy', break: d => (get(d, 'Switch/spine-1').spec.redundancy = { type: 'eslag' }), at: ['Switch/spine-1', 'spec.redundancy.group'] },
  { rule: 'switch.vtep-ip', break: d => (get(d, 'Switch/spine-1').spec.vtepIP = '172.30.12.9/32'), at: ['Switch/spine-1', 'spec.vtepIP'] },
  { rule: 'switch.address-prefix', break: d => (get(d, 'Switch/leaf-1').spec.protocolIP = '172.30.8.2/31'), at: ['Switch/leaf-1', 'spec.protocolIP'] },
  { rule: 'switch.management-ip', break: d => (get(d, 'Switch/leaf-1').spec.ip = '192.168.1.5/24'), at: ['Switch/leaf-1', 'spec.ip'] },
  { rule: 'switch.protocol-ip', break: d => (get(d, 'Switch/leaf-1').spec.protocolIP = '172.30.16.2/32'), at: ['Switch/leaf-1', 'spec.protocolIP'] },
  { rule: 'switch.vtep-subnet', break: d => (get(d, 'Switch/leaf-1').spec.vtepIP = '172.30.20.1/32'), at: ['Switch/leaf-1', 'spec.vtepIP'] },
  { rule: 'switch.asn', break: d => (get(d, 'Switch/leaf-1').spec.asn = 64000), at: ['Switch/leaf-1', 'spec.asn'] },
  { rule: 'connection.type', break: d => (get(d, 'Connection/leaf-1--external').spec = {}), at: ['Connection/leaf-1--external', 'spec'] },
  {
    rule: 'connection.endpoints',
    break: d => (get(d, 'Connection/server-2--eslag--leaf-1--leaf-2').spec.eslag.links[1].server.port = 'server-1/eth1'),
    at: ['Connection/server-2--eslag--leaf-1--leaf-2', 'spec.eslag'],
  },
  {
    rule: 'connection.ports-distinct',
    // E1/25 of the test profile breaks out; E1/25/1 is E1/25
    options: PROFILE_OPTIONS,
    break: d => {
      const links = get(d, 'Connection/server-2--eslag--leaf-1--leaf-2').spec.eslag.links;
      links[0].switch.port = 'leaf-1/E1/25';
      links[1].switch.port = 'leaf-1/E1/25/1';
    },
    at: ['Connection/server-2--eslag--leaf-1--leaf-2', 'spec.eslag.links[1].switch.port'],
  },
  {
    rule: 'connection.link-ip',
    break: d => (get(d, 'Connection/spine-1--fabric--leaf-1').spec.fabric.links[0].leaf.ip = '172.30.128.5/31'),
    at: ['Connection/spine-1--fabric--leaf-1', 'spec.fabric.links[0].leaf.ip'],
  },
  {
    rule: 'connection.link-ip-subnet',
    break: d => {
      const link = get(d, 'Connection/spine-1--fabric--leaf-1').spec.fabric.links[0];
      link.spine.ip = '10.255.0.0/31';
      link.leaf.ip = '10.255.0.1/31';
    },
    at: ['Connection/spine-1--fabric--leaf-1', 'spec.fabric.links[0].spine.ip'],
  },
  {
    rule: 'connection.mtu',
    break: d => (get(d, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.mtu = 9100),
    at: ['Connection/server-1--unbundled--leaf-1', 'spec.unbundled.mtu'],
  },
  {
    rule: 'connection.static-external',
    docs: withDocs(staticExternalConnection()),
    break: d => (get(d, 'Connection/leaf-2--static-external').spec.staticExternal.link.switch.nextHop = '172.31.2.1'),
    at: ['Connection/leaf-2--static-external', 'spec.staticExternal.link.switch.nextHop'],
  },
  {
    rule: 'connection.static-external-reserved',
    docs: withDocs(staticExternalConnection()),
    break: d => (get(d, 'Connection/leaf-2--static-external').spec.staticExternal.link.switch.subnets = ['172.30.8.0/24']),
    at: ['Connection/leaf-2--static-external', 'spec.staticExternal.link.switch.subnets[0]'],
  },
  {
    rule: 'connection.fabric-mode',
    break: () => {},
    brokenOptions: { config: { ...TEST_CONFIG, fabricMode: 'collapsed-core' } },
    at: ['Connection/server-2--eslag--leaf-1--leaf-2', 'spec.eslag'],
  },
  {
    rule: 'vpc.name-prefix',
    break: d => {
      get(d, 'VPC/vpc-2').metadata.name = 'ext.vpc2';
      get(d, 'VPCAttachment/vpc-2--server-2').spec.subnet = 'ext.vpc2/default';
      const entry = get(d, 'VPCPeering/vpc-1--vpc-2').spec.permit[0];
      entry['ext.vpc2'] = entry['vpc-2'];
      delete entry['vpc-2'];
    },
    at: ['VPC/ext.vpc2', 'metadata.name'],
  },
  { rule: 'vpc.mode', break: d => (get(d, 'VPC/vpc-1').spec.mode = 'l3flat'), at: ['VPC/vpc-1', 'spec.mode'] },
  { rule: 'vpc.subnet-prefix', break: d => (subnet(d, 'vpc-2').subnet = '10.0.2.0/31'), at: ['VPC/vpc-2', 'spec.subnets.default.subnet'] },
  { rule: 'vpc.subnet-gateway', break: d => (subnet(d, 'vpc-1').gateway = '10.0.2.1'), at: ['VPC/vpc-1', 'spec.subnets.default.gateway'] },
  { rule: 'vpc.subnet-vlan', break: d => delete subnet(d, 'vpc-2').vlan, at: ['VPC/vpc-2', 'spec.subnets.default.vlan'] },
  {
    rule: 'vpc.subnet-overlap',
    break: d => (get(d, 'VPC/vpc-2').spec.subnets.other = { subnet: '10.0.2.128/25', vlan: 1003 }),
    at: ['VPC/vpc-2', 'spec.subnets.other.subnet'],
  },
  {
    // only without namespaces: a subnet in a reserved range is outside any valid IPv4Namespace
    rule: 'vpc.subnet-reserved',
    docs: () => [get(baseFabric(), 'VPC/vpc-2')],
    break: d => (subnet(d, 'vpc-2').subnet = '172.30.9.0/24'),
    at: ['VPC/vpc-2', 'spec.subnets.default.subnet'],
  },
  {
    rule: 'vpc.vlan-duplicate',
    break: d => (get(d, 'VPC/vpc-2').spec.subnets.other = { subnet: '10.0.3.0/24', vlan: 1002 }),
    at: ['VPC/vpc-2', 'spec.subnets.other.vlan'],
  },
  { rule: 'vpc.dhcp-relay', break: d => (subnet(d, 'vpc-1').dhcp.relay = '10.0.1.250/32'), at: ['VPC/vpc-1', 'spec.subnets.default.dhcp.relay'] },
  { rule: 'vpc.dhcp-range', break: d => (subnet(d, 'vpc-1').dhcp.range.start = '10.0.1.100'), at: ['VPC/vpc-1', 'spec.subnets.default.dhcp.range'] },
  { rule: 'vpc.dhcp-disabled', break: d => (subnet(d, 'vpc-2').dhcp = { options: { pxeURL: 'http://boot/x' } }), at: ['VPC/vpc-2', 'spec.subnets.default.dhcp.options'] },
  {
    rule: 'vpc.dhcp-options',
    break: d => (subnet(d, 'vpc-1').dhcp.options = { advertisedRoutes: [{ destination: '10.1.0.0/16', gateway: '10.0.9.1' }] }),
    at: ['VPC/vpc-1', 'spec.subnets.default.dhcp.options.advertisedRoutes[0].gateway'],
  },
  {
    rule: 'vpc.dhcp-static',
    break: d => (subnet(d, 'vpc-1').dhcp.static = { '0c:20:12:ff:00:10': { ip: '10.0.1.255' } }),
    at: ['VPC/vpc-1', 'spec.subnets.default.dhcp.static["0c:20:12:ff:00:10"].ip'],
  },
  { rule: 'vpc.host-bgp', break: d => (subnet(d, 'vpc-1').hostBGP = true), at: ['VPC/vpc-1', 'spec.subnets.default.dhcp.enable'] },
  { rule: 'vpc.permit', break: d => (get(d, 'VPC/vpc-1').spec.permit = [['default', 'nope']]), at: ['VPC/vpc-1', 'spec.permit[0][1]'] },
  {
    rule: 'vpc.static-route',
    break: d => (get(d, 'VPC/vpc-1').spec.staticRoutes = [{ prefix: '10.9.0.1/16', nextHops: ['10.0.1.5'] }]),
    at: ['VPC/vpc-1', 'spec.staticRoutes[0].prefix'],
  },
  { rule: 'vpcattachment.subnet', break: d => (get(d, 'VPCAttachment/vpc-1--server-1').spec.subnet = '/default'), at: ['VPCAttachment/vpc-1--server-1', 'spec.subnet'] },
  {
    rule: 'vpcattachment.p2p-link',
    break: d => (get(d, 'VPCAttachment/vpc-1--server-1').metadata.annotations = { 'fabric.githedgehog.com/p2p-link': '10.0.1.0/30' }),
    at: ['VPCAttachment/vpc-1--server-1', 'metadata.annotations["fabric.githedgehog.com/p2p-link"]'],
  },
  { rule: 'vpcpeering.permit', break: d => (get(d, 'VPCPeering/vpc-1--vpc-2').spec.permit = [{ 'vpc-1': {} }]), at: ['VPCPeering/vpc-1--vpc-2', 'spec.permit[0]'] },
  {
    rule: 'gateway.spec',
    docs: withDocs(gatewayGroup(), gateway()),
    break: d => (get(d, 'Gateway/gw-1').spec.vtepIP = '172.30.12.0/24'),
    at: ['Gateway/gw-1', 'spec.vtepIP'],
  },
  {
    rule: 'gatewaypeering.nat',
    docs: withDocs(gatewayGroup(), gatewayPeering()),
    break: d => (get(d, 'GatewayPeering/vpc-1--vpc-2').spec.peering['vpc-1'].expose[0].nat = { masquerade: {} }),
    at: ['GatewayPeering/vpc-1--vpc-2', 'spec.peering.vpc-1.expose[0]'],
  },
  {
    rule: 'gatewaypeering.acl',
    docs: withDocs(gatewayGroup(), externalPeering()),
    break: d => (get(d, 'GatewayPeering/vpc-1--ext-1').spec.acl.rules[0].from = 'vpc-2'),
    at: ['GatewayPeering/vpc-1--ext-1', 'spec.acl.rules[0].from'],
  },
  {
    rule: 'gateway.disabled',
    docs: withDocs(gatewayGroup()),
    break: () => {},
    brokenOptions: { config: { ...TEST_CONFIG, enableGateway: false } },
    at: ['GatewayGroup/default', 'kind'],
  },
  {
    rule: 'gateway.asn',
    docs: withDocs(gatewayGroup(), gateway()),
    break: d => (get(d, 'Gateway/gw-1').spec.asn = 65000),
    at: ['Gateway/gw-1', 'spec.asn'],
  },
  {
    rule: 'gateway.subnet',
    docs: withDocs(gatewayGroup(), gateway()),
    break: d => (get(d, 'Gateway/gw-1').spec.vtepIP = '10.99.0.1/32'),
    at: ['Gateway/gw-1', 'spec.vtepIP'],
  },
  {
    rule: 'gatewaypeering.spec',
    docs: withDocs(gatewayGroup(), gatewayPeering()),
    break: d => delete get(d, 'GatewayPeering/vpc-1--vpc-2').spec.peering['vpc-2'],
    at: ['GatewayPeering/vpc-1--vpc-2', 'spec.peering'],
  },
  { rule: 'vpcpeering.remote', break: d => (get(d, 'VPCPeering/vpc-1--vpc-2').spec.remote = 'other-fabric'), at: ['VPCPeering/vpc-1--vpc-2', 'spec.remote'] },
  {
    rule: 'vpcpeering.disabled',
    break: () => {},
    brokenOptions: { config: { ...TEST_CONFIG, vpcPeeringDisabled: true } },
    at: ['VPCPeering/vpc-1--vpc-2', 'spec'],
  },
  {
    rule: 'external.static',
    docs: () => [ipv4Namespace('default', ['10.0.0.0/16']), staticExternal('ext-s')],
    break: d => get(d, 'External/ext-s').spec.static.prefixes.push('10.50.1.0/24'),
    at: ['External/ext-s', 'spec.static.prefixes[1]'],
  },
  { rule: 'externalattachment.bgp', break: d => delete get(d, 'ExternalAttachment/ext-1--leaf-1').spec.neighbor.asn, at: ['ExternalAttachment/ext-1--leaf-1', 'spec.neighbor.asn'] },
  {
    rule: 'externalattachment.static',
    docs: withDocs(staticExternal('ext-s'), staticAttachment()),
    break: d => (get(d, 'ExternalAttachment/ext-s--leaf-1').spec.static.proxy = true),
    at: ['ExternalAttachment/ext-s--leaf-1', 'spec.static'],
  },
  {
    rule: 'externalattachment.acl',
    break: d =>
      (get(d, 'ExternalAttachment/ext-1--leaf-1').spec.inboundACL = {
        statements: [{ seq: 5, action: 'permit', protocol: 'ip', srcPrefix: 'any', dstPrefix: '10.0.0.0/8' }],
      }),
    at: ['ExternalAttachment/ext-1--leaf-1', 'spec.inboundACL.statements[0].seq'],
  },

  // fabric
  { rule: 'fabric.duplicate', break: d => d.push(clone(get(d, 'Server/server-2'))), at: ['Server/server-2#2', 'metadata.name'] },
  { rule: 'reference.missing', break: d => (get(d, 'VPCAttachment/vpc-1--server-1').spec.connection = 'nope'), at: ['VPCAttachment/vpc-1--server-1', 'spec.connection'] },
  {
    rule: 'fabric.port-reused',
    // E1/25 of the test profile breaks out; E1/25/1 is E1/25
    options: PROFILE_OPTIONS,
    break: d => {
      get(d, 'Connection/server-2--eslag--leaf-1--leaf-2').spec.eslag.links[0].switch.port = 'leaf-1/E1/25';
      get(d, 'Connection/server-1--unbundled--leaf-1').spec.unbundled.link.switch.port = 'leaf-1/E1/25/1';
    },
    at: ['Connection/server-1--unbundled--leaf-1', 'spec.unbundled.link.switch.port'],
  },
  {
    rule: 'fabric.link-ip-reused',
    break: d => {
      const link = get(d, 'Connection/spine-1--fabric--leaf-2').spec.fabric.links[0];
      link.spine.ip = '172.30.128.0/31';
      link.leaf.ip = '172.30.128.1/31';
    },
    at: ['Connection/spine-1--fabric--leaf-2', 'spec.fabric.links[0].spine.ip'],
  },
  { rule: 'fabric.switch-address-reused', break: d => (get(d, 'Switch/leaf-2').spec.protocolIP = '172.30.8.2/32'), at: ['Switch/leaf-2', 'spec.protocolIP'] },
  { rule: 'fabric.asn-reused', break: d => (get(d, 'Switch/leaf-2').spec.asn = 65101), at: ['Switch/leaf-2', 'spec.asn'] },
  { rule: 'fabric.vpc-subnet-overlap', break: d => (subnet(d, 'vpc-2').subnet = '10.0.1.0/25'), at: ['VPC/vpc-2', 'spec.subnets.default.subnet'] },
  { rule: 'fabric.vpc-vlan-reused', break: d => (subnet(d, 'vpc-2').vlan = 1001), at: ['VPC/vpc-2', 'spec.subnets.default.vlan'] },
  { rule: 'fabric.vpc-subnet-outside-namespace', break: d => (subnet(d, 'vpc-2').subnet = '10.1.2.0/24'), at: ['VPC/vpc-2', 'spec.subnets.default.subnet'] },
  { rule: 'fabric.vpc-vlan-outside-namespace', break: d => (subnet(d, 'vpc-2').vlan = 3001), at: ['VPC/vpc-2', 'spec.subnets.default.vlan'] },
  {
    rule: 'switch.vlan-namespaces-overlap',
    docs: () => {
      const docs = [...baseFabric(), otherVLANs()];
      get(docs, 'Switch/spine-1').spec.vlanNamespaces = ['default', 'other'];
      return docs;
    },
    break: d => (get(d, 'VLANNamespace/other').spec.ranges = [{ from: 2000, to: 2100 }]),
    at: ['Switch/spine-1', 'spec.vlanNamespaces'],
  },
  {
    rule: 'connection.gateway-interface',
    docs: withGateway,
    break: d => (get(d, 'Connection/spine-1--gateway--gw-1').spec.gateway.links[0].gateway.port = 'gw-1/eth1'),
    at: ['Connection/spine-1--gateway--gw-1', 'spec.gateway.links[0].gateway.port'],
  },
  {
    rule: 'connection.gateway-interface-ip',
    docs: withGateway,
    break: d => (get(d, 'Gateway/gw-1').spec.interfaces.eth0.ips = ['172.30.128.13/31']),
    at: ['Connection/spine-1--gateway--gw-1', 'spec.gateway.links[0].gateway.ip'],
  },
  {
    rule: 'connection.redundancy-group',
    break: d => {
      const sw = get(d, 'Switch/leaf-2');
      sw.spec.redundancy = {};
      sw.spec.groups = [];
    },
    at: ['Connection/server-2--eslag--leaf-1--leaf-2', 'spec.eslag'],
  },
  {
    rule: 'vpcattachment.connection-type',
    break: d => (get(d, 'VPCAttachment/vpc-1--server-1').spec.connection = 'spine-1--fabric--leaf-1'),
    at: ['VPCAttachment/vpc-1--server-1', 'spec.connection'],
  },
  { rule: 'vpcattachment.eslag-mode', break: d => (get(d, 'VPC/vpc-2').spec.mode = 'l3vni'), at: ['VPCAttachment/vpc-2--server-2', 'spec.connection'] },
  { rule: 'vpcattachment.host-bgp', break: d => (subnet(d, 'vpc-2').hostBGP = true), at: ['VPCAttachment/vpc-2--server-2', 'spec.connection'] },
  {
    rule: 'vpcattachment.vlan-namespace',
    docs: () => [...without('VPCPeering/vpc-1--vpc-2')(), otherVLANs()],
    break: d => {
      get(d, 'VPC/vpc-1').spec.vlanNamespace = 'other';
      subnet(d, 'vpc-1').vlan = 150;
    },
    at: ['VPCAttachment/vpc-1--server-1', 'spec.connection'],
  },
  {
    rule: 'vpcattachment.duplicate',
    docs: withDocs(resource(VPC_API, 'VPCAttachment', 'vpc-2--server-1', { subnet: 'vpc-2/default', connection: 'server-1--unbundled--leaf-1' })),
    break: d => (get(d, 'VPCAttachment/vpc-2--server-1').spec.subnet = 'vpc-1/default'),
    at: ['VPCAttachment/vpc-2--server-1', 'spec.subnet'],
  },
  {
    rule: 'vpcpeering.namespaces',
    docs: withDocs(otherIPs()),
    break: d => {
      get(d, 'VPC/vpc-2').spec.ipv4Namespace = 'other';
      subnet(d, 'vpc-2').subnet = '10.1.2.0/24';
    },
    at: ['VPCPeering/vpc-1--vpc-2', 'spec.permit'],
  },
  {
    rule: 'externalattachment.external-mode',
    docs: withDocs(staticExternal('ext-s')),
    break: d => {
      get(d, 'ExternalAttachment/ext-1--leaf-1').spec.external = 'ext-s';
    },
    at: ['ExternalAttachment/ext-1--leaf-1', 'spec.external'],
  },
  {
    rule: 'externalattachment.connection-type',
    break: d => (get(d, 'ExternalAttachment/ext-1--leaf-1').spec.connection = 'server-1--unbundled--leaf-1'),
    at: ['ExternalAttachment/ext-1--leaf-1', 'spec.connection'],
  },
  {
    rule: 'externalattachment.vlan-reused',
    docs: withDocs(
      resource(VPC_API, 'ExternalAttachment', 'ext-1--leaf-1-b', {
        external: 'ext-1',
        connection: 'leaf-1--external',
        switch: { vlan: 101, ip: '172.31.1.1/24' },
        neighbor: { asn: 64999, ip: '172.31.1.2' },
      }),
    ),
    break: d => (get(d, 'ExternalAttachment/ext-1--leaf-1-b').spec.switch.vlan = 100),
    at: ['ExternalAttachment/ext-1--leaf-1-b', 'spec.switch.vlan'],
  },
  {
    rule: 'fabric.gateway-address-reused',
    docs: withGateway,
    break: d => (get(d, 'Gateway/gw-1').spec.vtepIP = '172.30.12.1/32'),
    at: ['Gateway/gw-1', 'spec.vtepIP'],
  },
  {
    rule: 'fabric.gateway-group-members',
    docs: withDocs(gatewayGroup(), gateway(), secondGateway()),
    break: () => {},
    brokenOptions: { config: { ...TEST_CONFIG, gatewayCommunities: { 0: '50001:0' } } },
    at: ['Gateway/gw-2', 'spec.groups[0].name'],
  },
  {
    rule: 'gatewaypeering.expose-vpc',
    docs: withDocs(gatewayGroup(), gatewayPeering()),
    break: d => (get(d, 'GatewayPeering/vpc-1--vpc-2').spec.peering['vpc-1'].expose[0].ips[0].cidr = '10.0.9.0/24'),
    at: ['GatewayPeering/vpc-1--vpc-2', 'spec.peering.vpc-1.expose[0].ips[0].cidr'],
  },
  {
    rule: 'gatewaypeering.acl-subnet',
    docs: withDocs(gatewayGroup(), externalPeering()),
    break: d => (get(d, 'GatewayPeering/vpc-1--ext-1').spec.acl.rules[0].match.dst = [{ vpcSubnet: 'default' }]),
    at: ['GatewayPeering/vpc-1--ext-1', 'spec.acl.rules[0].match.dst[0].vpcSubnet'],
  },
  {
    rule: 'fabric.gateway-peering-overlap',
    docs: withDocs(gatewayGroup(), gatewayPeering(), natPeering()),
    break: d => (get(d, 'GatewayPeering/vpc-1--vpc-2--nat').spec.peering['vpc-1'].expose[0].as[0].cidr = '10.0.1.0/25'),
    at: ['GatewayPeering/vpc-1--vpc-2--nat', 'spec.peering.vpc-1.expose[0].as[0].cidr'],
  },
  {
    rule: 'externalpeering.namespace',
    docs: withDocs(otherIPs()),
    break: d => (get(d, 'External/ext-1').spec.ipv4Namespace = 'other'),
    at: ['ExternalPeering/vpc-1--ext-1', 'spec.permit'],
  },

  // context
  {
    // VPC-only: the connection lives in the cluster
    rule: 'reference.unverified',
    docs: () => [get(baseFabric(), 'VPC/vpc-1'), get(baseFabric(), 'VPCAttachment/vpc-1--server-1')],
    break: () => {},
    fixedOptions: {
      config: TEST_CONFIG,
      live: ['VLANNamespace/default', 'IPv4Namespace/default', 'Connection/server-1--unbundled--leaf-1', 'Switch/leaf-1'].map(k => get(baseFabric(), k)),
    },
    at: ['VPCAttachment/vpc-1--server-1', 'spec.connection'],
  },
  {
    rule: 'hydration.gateway',
    docs: withDocs(gatewayGroup(), gateway()),
    break: d => delete get(d, 'Gateway/gw-1').spec.vtepMAC,
    at: ['Gateway/gw-1', 'spec'],
  },
  { rule: 'hydration.switch', break: d => delete get(d, 'Switch/leaf-2').spec.asn, at: ['Switch/leaf-2', 'spec.asn'] },
  {
    rule: 'hydration.link',
    break: d => delete get(d, 'Connection/spine-1--fabric--leaf-2').spec.fabric.links[0].leaf.ip,
    at: ['Connection/spine-1--fabric--leaf-2', 'spec.fabric.links[0]'],
  },
  {
    rule: 'deprecated.mclag',
    break: d => {
      get(d, 'Switch/leaf-1').spec.redundancy.type = 'mclag';
      get(d, 'Switch/leaf-2').spec.redundancy.type = 'mclag';
      const conn = get(d, 'Connection/server-2--eslag--leaf-1--leaf-2').spec;
      conn.mclag = conn.eslag;
      delete conn.eslag;
      // Hedgehog refuses VPCAttachments to MCLAG connections (VPCAttachment.Validate): without them
      d.splice(0, d.length, ...d.filter(o => !(o.kind === 'VPCAttachment' && o.spec.connection === 'server-2--eslag--leaf-1--leaf-2')));
    },
    at: ['Connection/server-2--eslag--leaf-1--leaf-2', 'spec.mclag'],
  },

  // context: SwitchProfiles, the cluster's and Hedgehog's built-in ones (more in switchProfiles.test.ts)
  ...PROFILE_CASES,
];

/** Rules only the HTTP route produces (reading files): tested in service/validateRoute.test.ts. */
const ROUTE_ONLY: ValidationRuleId[] = ['document.unreadable', 'document.yaml'];

/** `Kind/name` or `Kind/name#n` (the n-th document of that name). */
function locate(docs: Obj[], key: string): number {
  const [k, nth] = key.split('#');
  const matches = docs.map((d, i) => [d, i] as const).filter(([d]) => `${d.kind}/${d.metadata?.name}` === k);
  if (matches.length === 0) throw new Error(`no document ${key}`);
  return matches[nth ? Number(nth) - 1 : 0][1];
}

describe('validation rules', () => {
  it('has a case for every rule of the table, and every case is a rule of the table', () => {
    const covered = new Set<string>([...CASES.map(c => c.rule), ...ROUTE_ONLY]);
    expect(VALIDATION_RULE_LIST.map(r => r.id).filter(id => !covered.has(id))).toEqual([]);
    for (const c of CASES) expect(findValidationRule(c.rule)).toBeDefined();
    expect(new Set(CASES.map(c => c.rule)).size).toBe(CASES.length);
  });

  it('the base fabric validates with no finding', () => {
    expect(validateFabric(asFile(baseFabric()), { config: TEST_CONFIG }).findings).toEqual([]);
  });

  describe.each(CASES.map(c => [c.rule, c] as const))('%s', (rule, c) => {
    const options = c.options ?? { config: TEST_CONFIG };
    const fixedDocs = (c.docs ?? baseFabric)();

    it('passes when fixed', () => {
      const result = validateFabric(asFile(fixedDocs), c.fixedOptions ?? options);
      expect(result.findings).toEqual([]);
      expect(result.valid).toBe(true);
    });

    it('reports exactly this rule, located, when broken', () => {
      const docs = clone(fixedDocs);
      c.break(docs);
      const result = validateFabric(asFile(docs), c.brokenOptions ?? options);
      expect([...new Set(result.findings.map(f => f.rule))]).toEqual([rule]);
      const severity = VALIDATION_RULES[rule].severity;
      expect(result.findings).toContainEqual({
        severity,
        rule,
        file: 'fabric.yaml',
        document: locate(docs, c.at[0]),
        path: c.at[1],
        message: expect.any(String),
      });
      expect(result.valid).toBe(severity !== 'error');
    });
  });

  it('reports config-dependent rules as warnings when hhfab defaults are assumed', () => {
    const docs = baseFabric();
    get(docs, 'Switch/leaf-1').spec.ip = '192.168.1.5/24';
    const [finding] = validateFabric(asFile(docs)).findings;
    expect(finding).toMatchObject({ severity: 'warning', rule: 'switch.management-ip', path: 'spec.ip', document: indexOf(docs, 'Switch/leaf-1') });
    expect(finding.message).toContain("assuming hhfab's default");
    // a partial config: only the given values make errors
    const partial = validateFabric(asFile(docs), { config: { managementSubnet: '172.30.0.0/21' } }).findings;
    expect(partial).toEqual([expect.objectContaining({ severity: 'error', rule: 'switch.management-ip' })]);
  });

  it('blocksApply: errors and non-hydrated wiring block apply, other warnings do not', () => {
    const docs = baseFabric();
    delete get(docs, 'Switch/leaf-2').spec.asn;
    get(docs, 'Switch/spine-1').spec.profile = 'my-switch';
    const findings = validateFabric(asFile(docs), { config: { ...TEST_CONFIG, allowExtraSwitchProfiles: true } }).findings;
    expect(findings.map(f => [f.rule, blocksApply(f)])).toEqual([
      ['switch.profile-unknown', false],
      ['hydration.switch', true],
    ]);
    expect(blocksApply({ severity: 'error', rule: 'conflict' })).toBe(true);
    expect(blocksApply({ severity: 'warning', rule: 'unmanaged.not-yaml' })).toBe(false);
  });
});
