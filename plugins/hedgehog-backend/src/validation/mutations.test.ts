import { sampleDocuments } from './__testUtils__/samples';
import { FabricDocument, validateFabric } from './validateFabric';

/** Sample 07 with the management network it really uses and its Cumulus VX switches: no finding at all. */
const CONFIG = { managementSubnet: '192.168.200.0/24', managementDHCPStart: '192.168.200.100', includeCumulus: true };
const FILE = 'raw/07-nvidia-air-demo-include.yaml';

type Obj = Record<string, any>;

function fabric07(): FabricDocument[] {
  return sampleDocuments('07-nvidia-air-demo-include.yaml');
}

function find(docs: FabricDocument[], kind: string, name: string): FabricDocument & { object: Obj } {
  const d = docs.find(x => (x.object as Obj).kind === kind && (x.object as Obj).metadata.name === name);
  if (!d) throw new Error(`no ${kind} ${name}`);
  return d as FabricDocument & { object: Obj };
}

interface Mutation {
  what: string;
  kind: string;
  name: string;
  mutate: (o: Obj, docs: FabricDocument[]) => void;
  rule: string;
  path: string;
}

const MUTATIONS: Mutation[] = [
  {
    what: 'a VPC renamed past the 11-character limit',
    kind: 'VPC',
    name: 'vpc-1',
    mutate: o => (o.metadata.name = 'vpc-1-renamed'),
    rule: 'metadata.name-length',
    path: 'metadata.name',
  },
  {
    what: 'a VPC subnet overlapping the subnet of another VPC',
    kind: 'VPC',
    name: 'vpc-1',
    mutate: o => (o.spec.subnets.default.subnet = '10.4.0.0/14'),
    rule: 'fabric.vpc-subnet-overlap',
    path: 'spec.subnets.default.subnet',
  },
  {
    what: 'the subnet of a VPC overlapped by a changed other VPC',
    kind: 'VPC',
    name: 'vpc-0',
    mutate: o => (o.spec.subnets.default.subnet = '10.8.0.0/16'),
    rule: 'fabric.vpc-subnet-overlap',
    path: 'spec.subnets.default.subnet',
  },
  {
    what: 'a VLAN reused by a second VPC',
    kind: 'VPC',
    name: 'vpc-1',
    mutate: o => (o.spec.subnets.default.vlan = 1000),
    rule: 'fabric.vpc-vlan-reused',
    path: 'spec.subnets.default.vlan',
  },
  {
    what: 'a port used by two Connections',
    kind: 'Connection',
    name: 'server-su00-n00-r1-leaf-su00-r1',
    mutate: o => (o.spec.unbundled.link.switch.port = 'leaf-su00-r0/E1/9'),
    rule: 'fabric.port-reused',
    path: 'spec.unbundled.link.switch.port',
  },
  {
    what: 'a port used by two Connections through its breakout alias',
    kind: 'Connection',
    name: 'server-su00-n00-r1-leaf-su00-r1',
    mutate: o => (o.spec.unbundled.link.switch.port = 'leaf-su00-r0/E1/9/1'),
    rule: 'fabric.port-reused',
    path: 'spec.unbundled.link.switch.port',
  },
  {
    what: 'a VPCAttachment referring to a Connection that does not exist',
    kind: 'VPCAttachment',
    name: 'vpc-0-server-su00-n00-r0-leaf-su00-r0',
    mutate: o => (o.spec.connection = 'server-su00-n00-r0-leaf-su99-r0'),
    rule: 'reference.missing',
    path: 'spec.connection',
  },
  {
    what: 'a Connection referring to a Switch that does not exist',
    kind: 'Connection',
    name: 'server-su00-n01-r0-leaf-su00-r0',
    mutate: o => (o.spec.unbundled.link.switch.port = 'leaf-su99-r0/E1/11'),
    rule: 'reference.missing',
    path: 'spec.unbundled.link.switch.port',
  },
  {
    what: 'an unknown field',
    kind: 'Switch',
    name: 'leaf-su00-r0',
    mutate: o => (o.spec.vtepIp = o.spec.vtepIP),
    rule: 'schema.unknown-field',
    path: 'spec.vtepIp',
  },
  {
    what: 'a wrong type',
    kind: 'Switch',
    name: 'leaf-su00-r1',
    mutate: o => (o.spec.asn = '65102'),
    rule: 'schema.type',
    path: 'spec.asn',
  },
  {
    what: 'a wrong type deep in a Connection',
    kind: 'Connection',
    name: 'spine-s00--fabric--leaf-su00-r0',
    mutate: o => (o.spec.fabric.links = { leaf: o.spec.fabric.links[0].leaf }),
    rule: 'schema.type',
    path: 'spec.fabric.links',
  },
  {
    what: 'a switch ASN reused',
    kind: 'Switch',
    name: 'leaf-su01-r3',
    mutate: o => (o.spec.asn = 65101),
    rule: 'fabric.asn-reused',
    path: 'spec.asn',
  },
  {
    what: 'a fabric link IP reused',
    kind: 'Connection',
    name: 'spine-s00--fabric--leaf-su00-r1',
    mutate: o => {
      o.spec.fabric.links[0].spine.ip = '172.30.128.0/31';
      o.spec.fabric.links[0].leaf.ip = '172.30.128.1/31';
    },
    rule: 'fabric.link-ip-reused',
    path: 'spec.fabric.links[0].spine.ip',
  },
];

describe('whole-fabric validation of sample 07 with single mutations', () => {
  it('the unmutated fabric has no finding', () => {
    expect(validateFabric(fabric07(), { config: CONFIG }).findings).toEqual([]);
  });

  it.each(MUTATIONS.map(m => [m.what, m] as const))('%s yields an error at the mutated document', (_, m) => {
    const docs = fabric07();
    const target = find(docs, m.kind, m.name);
    m.mutate(target.object, docs);
    const { valid, findings } = validateFabric(docs, { config: CONFIG });
    expect(valid).toBe(false);
    expect(findings).toContainEqual(
      expect.objectContaining({ severity: 'error', rule: m.rule, file: FILE, document: target.document, path: m.path }),
    );
  });

  it('reports every error of several mutations at once (never fail-fast)', () => {
    const docs = fabric07();
    // one mutation per object; the links of a Connection turned into a mapping would
    // take away the IPs another mutation reuses
    const mutated = MUTATIONS.filter(
      (m, i) => MUTATIONS.findIndex(x => x.kind === m.kind && x.name === m.name) === i && m.path !== 'spec.fabric.links',
    );
    for (const m of mutated) m.mutate(find(docs, m.kind, m.name).object, docs);
    const { findings } = validateFabric(docs, { config: CONFIG });
    for (const m of mutated) {
      expect(findings).toContainEqual(expect.objectContaining({ rule: m.rule, path: m.path }));
    }
  });
});
