import { formatIPv4, parseIPv4 } from '../ipam';

export interface GenerateFabricOptions {
  spines?: number;
  /**
   * Leaves, in ESLAG pairs (an odd last leaf has no pair). At most 256: a spine
   * (Hedgehog's celestica-ds5000, its 64 ports broken out 4x200G) has 256 ports.
   */
  leaves?: number;
  /**
   * Servers with one unbundled connection, per leaf. A leaf (Hedgehog's `vs`, 48
   * ports) has one port per spine, these, an ESLAG port and an external port.
   */
  serversPerLeaf?: number;
  /** VPCs, one /24 subnet each; at most 2000 (the VLANs 1000-2999 of the default VLANNamespace). */
  vpcs?: number;
}

type Obj = Record<string, any>;

const WIRING = 'wiring.githedgehog.com/v1beta1';
const VPC = 'vpc.githedgehog.com/v1beta1';
const resource = (apiVersion: string, kind: string, name: string, spec: Obj, annotations?: Record<string, string>): Obj => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec,
});

const addr = (base: string, offset: number) => formatIPv4(parseIPv4(base)! + offset);

/** Spines are Hedgehog's celestica-ds5000 with every 800G port broken out 4x200G: 256 ports for leaves. */
const SPINE_PROFILE = 'celestica-ds5000';
const SPINE_PORTS = 256;
/** Leaves are Hedgehog's `vs` (E1/1-E1/48). */
const LEAF_PORTS = 48;
/** The spine port of leaf l: E1/<port>/<sub-port>. */
const spinePort = (l: number) => `E1/${Math.floor(l / 4) + 1}/${(l % 4) + 1}`;

/**
 * A valid, hydrated fabric (under hhfab's default fabric config) of the given size:
 * spines, ESLAG leaf pairs, servers on unbundled and ESLAG connections, VPCs with
 * attachments and peerings, and an External with attachment and peering. Pure and
 * deterministic; for benchmarks and scale tests of validation.
 */
export function generateFabric(options: GenerateFabricOptions = {}): Obj[] {
  const spines = options.spines ?? 2;
  const leaves = options.leaves ?? 4;
  const serversPerLeaf = options.serversPerLeaf ?? 4;
  const vpcs = Math.max(1, options.vpcs ?? 4);
  if (leaves > SPINE_PORTS || vpcs > 2000 || spines + serversPerLeaf > LEAF_PORTS - 2 || serversPerLeaf > 32) {
    throw new Error('fabric too large for the default fabric config and Hedgehog\'s switch profiles');
  }
  const out: Obj[] = [
    resource(WIRING, 'VLANNamespace', 'default', { ranges: [{ from: 1000, to: 2999 }] }),
    resource(VPC, 'IPv4Namespace', 'default', { subnets: ['10.0.0.0/8'] }),
  ];
  const spineName = (s: number) => `spine-${s}`;
  const leafName = (l: number) => `leaf-${l}`;
  const group = (l: number) => `eslag-${Math.floor(l / 2)}`;
  const paired = (l: number) => (l ^ 1) < leaves;

  for (let p = 0; p < Math.floor(leaves / 2); p++) out.push(resource(WIRING, 'SwitchGroup', `eslag-${p}`, {}));
  let sw = 0;
  for (let s = 0; s < spines; s++, sw++) {
    out.push(
      resource(WIRING, 'Switch', spineName(s), {
        role: 'spine',
        profile: SPINE_PROFILE,
        portBreakouts: Object.fromEntries(Array.from({ length: Math.ceil(leaves / 4) }, (_, p) => [`E1/${p + 1}`, '4x200G'])),
        asn: 65100,
        ip: `${addr('172.30.0.10', sw)}/21`,
        protocolIP: `${addr('172.30.8.0', sw)}/32`,
        vlanNamespaces: ['default'],
        boot: { serial: `SPINE${s}` },
      }),
    );
  }
  for (let l = 0; l < leaves; l++, sw++) {
    out.push(
      resource(WIRING, 'Switch', leafName(l), {
        role: 'server-leaf',
        profile: 'vs',
        asn: 65101 + l,
        ip: `${addr('172.30.0.10', sw)}/21`,
        protocolIP: `${addr('172.30.8.0', sw)}/32`,
        vtepIP: `${addr('172.30.12.0', l)}/32`,
        vlanNamespaces: ['default'],
        ...(paired(l) ? { groups: [group(l)], redundancy: { group: group(l), type: 'eslag' } } : {}),
        boot: { serial: `LEAF${l}` },
      }),
    );
  }

  // fabric: every spine to every leaf, one link, /31 link IPs from the fabric subnet
  let link = 0;
  for (let s = 0; s < spines; s++) {
    for (let l = 0; l < leaves; l++, link++) {
      out.push(
        resource(WIRING, 'Connection', `${spineName(s)}--fabric--${leafName(l)}`, {
          fabric: {
            links: [
              {
                spine: { port: `${spineName(s)}/${spinePort(l)}`, ip: `${addr('172.30.128.0', 2 * link)}/31` },
                leaf: { port: `${leafName(l)}/E1/${s + 1}`, ip: `${addr('172.30.128.0', 2 * link + 1)}/31` },
              },
            ],
          },
        }),
      );
    }
  }

  // servers: unbundled per leaf, one ESLAG server per leaf pair
  const attachable: string[] = [];
  for (let l = 0; l < leaves; l++) {
    for (let n = 0; n < serversPerLeaf; n++) {
      const server = `server-${l}-${n}`;
      const conn = `${server}--unbundled--${leafName(l)}`;
      out.push(resource(WIRING, 'Server', server, {}));
      out.push(
        resource(WIRING, 'Connection', conn, {
          unbundled: { link: { server: { port: `${server}/eth0` }, switch: { port: `${leafName(l)}/E1/${spines + 1 + n}` } } },
        }),
      );
      attachable.push(conn);
    }
    if (l % 2 === 0 && paired(l)) {
      const server = `server-eslag-${l / 2}`;
      const conn = `${server}--eslag--${leafName(l)}--${leafName(l + 1)}`;
      out.push(resource(WIRING, 'Server', server, {}));
      out.push(
        resource(WIRING, 'Connection', conn, {
          eslag: {
            links: [
              { server: { port: `${server}/eth0` }, switch: { port: `${leafName(l)}/E1/${LEAF_PORTS - 1}` } },
              { server: { port: `${server}/eth1` }, switch: { port: `${leafName(l + 1)}/E1/${LEAF_PORTS - 1}` } },
            ],
          },
        }),
      );
      attachable.push(conn);
    }
  }

  // VPCs: 10.<v / 256>.<v % 256>.0/24, VLAN 1000 + v; attachments round-robin
  const vpcName = (v: number) => `vpc-${v}`;
  for (let v = 0; v < vpcs; v++) {
    const net = `10.${1 + Math.floor(v / 256)}.${v % 256}`;
    out.push(
      resource(VPC, 'VPC', vpcName(v), {
        subnets: {
          default: {
            subnet: `${net}.0/24`,
            gateway: `${net}.1`,
            vlan: 1000 + v,
            dhcp: { enable: true, range: { start: `${net}.10`, end: `${net}.250` } },
          },
        },
      }),
    );
  }
  attachable.forEach((conn, i) => {
    const v = i % vpcs;
    out.push(resource(VPC, 'VPCAttachment', `${vpcName(v)}--${conn}`, { subnet: `${vpcName(v)}/default`, connection: conn }));
  });
  for (let v = 0; v + 1 < vpcs; v += 2) {
    out.push(
      resource(VPC, 'VPCPeering', `${vpcName(v)}--${vpcName(v + 1)}`, {
        permit: [{ [vpcName(v)]: { subnets: ['default'] }, [vpcName(v + 1)]: {} }],
      }),
    );
  }

  // an External on the first leaf
  if (leaves > 0) {
    out.push(resource(WIRING, 'Connection', `${leafName(0)}--external`, { external: { link: { switch: { port: `${leafName(0)}/E1/${LEAF_PORTS}` } } } }));
    out.push(resource(VPC, 'External', 'internet', { ipv4Namespace: 'default', inboundCommunity: '65102:5000', outboundCommunity: '50000:50001' }));
    out.push(
      resource(VPC, 'ExternalAttachment', 'internet--leaf-0', {
        external: 'internet',
        connection: `${leafName(0)}--external`,
        switch: { vlan: 100, ip: '100.64.0.1/30' },
        neighbor: { asn: 64999, ip: '100.64.0.2' },
      }),
    );
    out.push(
      resource(VPC, 'ExternalPeering', `${vpcName(0)}--internet`, {
        permit: { vpc: { name: vpcName(0), subnets: ['default'] }, external: { name: 'internet', prefixes: [{ prefix: '0.0.0.0/0' }] } },
      }),
    );
  }
  return out;
}
