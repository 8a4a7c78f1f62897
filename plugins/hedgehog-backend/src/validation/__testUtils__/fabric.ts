import { HHFAB_DEFAULTS } from '../fabricConfig';
import { FabricDocument } from '../validateFabric';

export type Obj = Record<string, any>;

const WIRING = 'wiring.githedgehog.com/v1beta1';
const VPC = 'vpc.githedgehog.com/v1beta1';

export const resource = (apiVersion: string, kind: string, name: string, spec: Obj, metadata: Obj = {}): Obj => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'default', ...metadata },
  spec,
});

/** hhfab's defaults, given explicitly: config-dependent findings are errors; the gateway enabled. */
export const TEST_CONFIG = {
  ...HHFAB_DEFAULTS,
  enableGateway: true,
  vpcIRBVLANRange: [...HHFAB_DEFAULTS.vpcIRBVLANRange],
  th5WorkaroundVLANRange: [...HHFAB_DEFAULTS.th5WorkaroundVLANRange],
};

export const vlanNamespace = (name: string, ranges: Array<{ from: number; to?: number }>) =>
  resource(WIRING, 'VLANNamespace', name, { ranges });
export const ipv4Namespace = (name: string, subnets: string[]) => resource(VPC, 'IPv4Namespace', name, { subnets });

const leaf = (name: string, n: number) =>
  resource(WIRING, 'Switch', name, {
    role: 'server-leaf',
    profile: 'vs',
    asn: 65100 + n,
    ip: `172.30.0.${10 + n}/21`,
    protocolIP: `172.30.8.${n + 1}/32`,
    vtepIP: `172.30.12.${n}/32`,
    vlanNamespaces: ['default'],
    groups: ['eslag-1'],
    redundancy: { group: 'eslag-1', type: 'eslag' },
    boot: { mac: `0c:20:12:ff:00:0${n}` },
  });

const fabricLink = (spinePort: string, leafPort: string, base: number) => ({
  spine: { port: spinePort, ip: `172.30.128.${base}/31` },
  leaf: { port: leafPort, ip: `172.30.128.${base + 1}/31` },
});

export const staticExternal = (name: string) =>
  resource(VPC, 'External', name, { ipv4Namespace: 'default', static: { prefixes: ['10.50.0.0/16'] } });

/**
 * A small valid, hydrated fabric with one object of each kind that matters
 * (and a few more): validates with no finding at all under TEST_CONFIG.
 */
export function baseFabric(): Obj[] {
  return [
    vlanNamespace('default', [{ from: 1000, to: 2999 }]),
    ipv4Namespace('default', ['10.0.0.0/16']),
    resource(WIRING, 'SwitchGroup', 'eslag-1', {}),
    resource(WIRING, 'Switch', 'spine-1', {
      role: 'spine',
      profile: 'vs',
      asn: 65100,
      ip: '172.30.0.10/21',
      protocolIP: '172.30.8.1/32',
      vlanNamespaces: ['default'],
      boot: { mac: '0c:20:12:ff:00:00' },
    }),
    leaf('leaf-1', 1),
    leaf('leaf-2', 2),
    resource(WIRING, 'Server', 'server-1', { description: 'server 1' }),
    resource(WIRING, 'Server', 'server-2', {}),
    resource(WIRING, 'Connection', 'spine-1--fabric--leaf-1', { fabric: { links: [fabricLink('spine-1/E1/1', 'leaf-1/E1/1', 0)] } }),
    resource(WIRING, 'Connection', 'spine-1--fabric--leaf-2', { fabric: { links: [fabricLink('spine-1/E1/2', 'leaf-2/E1/1', 2)] } }),
    resource(WIRING, 'Connection', 'server-1--unbundled--leaf-1', {
      unbundled: { link: { server: { port: 'server-1/eth0' }, switch: { port: 'leaf-1/E1/5' } } },
    }),
    resource(WIRING, 'Connection', 'server-2--eslag--leaf-1--leaf-2', {
      eslag: {
        links: [
          { server: { port: 'server-2/eth0' }, switch: { port: 'leaf-1/E1/6' } },
          { server: { port: 'server-2/eth1' }, switch: { port: 'leaf-2/E1/6' } },
        ],
      },
    }),
    resource(WIRING, 'Connection', 'leaf-1--external', { external: { link: { switch: { port: 'leaf-1/E1/10' } } } }),
    resource(VPC, 'VPC', 'vpc-1', {
      subnets: {
        default: {
          subnet: '10.0.1.0/24',
          gateway: '10.0.1.1',
          vlan: 1001,
          dhcp: { enable: true, range: { start: '10.0.1.10', end: '10.0.1.99' } },
        },
      },
    }),
    resource(VPC, 'VPC', 'vpc-2', { subnets: { default: { subnet: '10.0.2.0/24', vlan: 1002 } } }),
    resource(VPC, 'VPCAttachment', 'vpc-1--server-1', { subnet: 'vpc-1/default', connection: 'server-1--unbundled--leaf-1' }),
    resource(VPC, 'VPCAttachment', 'vpc-2--server-2', { subnet: 'vpc-2/default', connection: 'server-2--eslag--leaf-1--leaf-2' }),
    resource(VPC, 'VPCPeering', 'vpc-1--vpc-2', { permit: [{ 'vpc-1': { subnets: ['default'] }, 'vpc-2': {} }] }),
    resource(VPC, 'External', 'ext-1', {
      ipv4Namespace: 'default',
      inboundCommunity: '65102:5000',
      outboundCommunity: '50000:50001',
    }),
    resource(VPC, 'ExternalAttachment', 'ext-1--leaf-1', {
      external: 'ext-1',
      connection: 'leaf-1--external',
      switch: { vlan: 100, ip: '172.31.0.1/24' },
      neighbor: { asn: 64999, ip: '172.31.0.2' },
    }),
    resource(VPC, 'ExternalPeering', 'vpc-1--ext-1', {
      permit: { vpc: { name: 'vpc-1', subnets: ['default'] }, external: { name: 'ext-1', prefixes: [{ prefix: '0.0.0.0/0' }] } },
    }),
  ];
}

export const WIRING_API = WIRING;
export const VPC_API = VPC;

/** The document `Kind/name` of a list (throws when absent). */
export function get(docs: Obj[], key: string): Obj {
  const found = docs.find(d => `${d.kind}/${d.metadata?.name}` === key);
  if (!found) throw new Error(`no document ${key}`);
  return found;
}

/** Index of `Kind/name` in a list. */
export function indexOf(docs: Obj[], key: string): number {
  const i = docs.findIndex(d => `${d.kind}/${d.metadata?.name}` === key);
  if (i < 0) throw new Error(`no document ${key}`);
  return i;
}

/** The documents as one multi-document file. */
export function asFile(docs: Obj[], file = 'fabric.yaml'): FabricDocument[] {
  return docs.map((object, document) => ({ file, document, object }));
}
