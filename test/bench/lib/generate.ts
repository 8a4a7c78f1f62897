/*
 * Generator of realistic, valid, hydrated Hedgehog fabrics of any size, written
 * as multi-document raw files the way an operator lays them out: namespaces,
 * switches, fabric links, one file per ESLAG leaf pair (its servers and their
 * unbundled/ESLAG connections), VPCs in batches (each with a DHCP range),
 * attachments per rack pair, peerings, and the external.
 *
 * The objects come from the backend's own generator (`generateFabric`, which the
 * validation tests prove valid and hydrated under hhfab's default fabric
 * config); this module sizes it for a target resource count, makes every
 * fabric's bytes unique (serials, descriptions, file names carry the fabric
 * name, so no two fabrics share a Git blob or a parse-cache entry), and lays
 * the objects out into raw files.
 *
 * CLI:  node --require @backstage/cli/config/nodeTransform.cjs \
 *         test/bench/lib/generate.ts <out-dir> [resources=5000] [fabric=f00]
 */
import { promises as fs } from 'fs';
import path from 'path';
import { stringify } from 'yaml';
import { generateFabric } from '../../../plugins/hedgehog-backend/src/validation/bench/generateFabric';

type Obj = Record<string, any>;

export interface FabricSize {
  spines: number;
  leaves: number;
  serversPerLeaf: number;
  vpcs: number;
}

/** Resources generateFabric makes for a size (kept in step with it; checked by `generate`). */
export function countResources(s: FabricSize): number {
  const pairs = Math.floor(s.leaves / 2);
  const attachable = s.leaves * s.serversPerLeaf + pairs;
  return (
    2 + // namespaces
    pairs + // switch groups
    s.spines +
    s.leaves +
    s.spines * s.leaves + // fabric connections
    2 * s.leaves * s.serversPerLeaf + // unbundled servers + connections
    2 * pairs + // ESLAG servers + connections
    s.vpcs +
    attachable + // VPC attachments
    Math.floor(s.vpcs / 2) + // peerings
    (s.leaves > 0 ? 4 : 0) // external connection, External, attachment, peering
  );
}

/**
 * A fabric size of about `resources` resources: 2-8 spines, ESLAG leaf pairs
 * with 20 servers each (up to 32 servers per leaf for large fabrics), and VPCs
 * making up the rest (about one VPC per 3 servers).
 */
export function sizeFor(resources: number): FabricSize {
  if (resources < 40)
    return { spines: 1, leaves: 2, serversPerLeaf: 1, vpcs: 2 };
  // per leaf: ~ spines + 3 per server (server, connection, attachment) + ~1 VPC per 3 servers
  let serversPerLeaf = Math.min(32, Math.max(2, Math.round(resources / 250)));
  const spines = Math.min(
    8,
    Math.max(2, Math.round(Math.sqrt(resources) / 18)),
  );
  const perLeaf =
    1 + spines + 3 * serversPerLeaf + 2 + (1.5 * serversPerLeaf) / 3;
  let leaves = Math.max(2, 2 * Math.round(resources / perLeaf / 2));
  if (leaves > 256) {
    leaves = 256; // a spine (celestica-ds5000 broken out 4x200G) has 256 leaf ports
    serversPerLeaf = 32;
  }
  const base: FabricSize = { spines, leaves, serversPerLeaf, vpcs: 1 };
  // fill up with VPCs (1.5 resources each with its peering half)
  const vpcs = Math.max(
    2,
    Math.min(2000, Math.round((resources - countResources(base) + 1) / 1.5)),
  );
  return { ...base, vpcs };
}

export interface RawFile {
  /** Path relative to the fabric directory, e.g. `raw/wiring/f00-rack-01.yaml`. */
  path: string;
  content: string;
  /** How many resources (documents) it holds. */
  documents: number;
}

export interface GeneratedFabric {
  name: string;
  size: FabricSize;
  resources: number;
  files: RawFile[];
  bytes: number;
}

const render = (docs: Obj[], header: string) =>
  `# ${header}\n${docs.map(d => stringify(d, { lineWidth: 0 })).join('---\n')}`;

/**
 * A valid fabric of about `resources` resources, named `name`, as raw files.
 * Deterministic: the same arguments give the same bytes.
 */
export function generate(name: string, resources = 5000): GeneratedFabric {
  const size = sizeFor(resources);
  const objects = generateFabric(size);
  if (objects.length !== countResources(size)) {
    throw new Error(
      `generateFabric made ${
        objects.length
      } resources, expected ${countResources(size)}`,
    );
  }
  // Per-fabric bytes: serials and descriptions carry the fabric name.
  for (const o of objects) {
    if (o.kind === 'Switch') {
      o.spec.boot = {
        serial: `${name.toUpperCase()}-${
          o.spec.boot?.serial ?? o.metadata.name
        }`,
      };
      o.spec.description = `${o.spec.role} ${o.metadata.name} of fabric ${name}`;
    } else if (o.kind === 'Server') {
      o.spec.description = `server ${o.metadata.name} of fabric ${name}`;
    }
  }

  const byKind = (kind: string) => objects.filter(o => o.kind === kind);
  const leafOf = (port: string) =>
    Number(/^leaf-(\d+)\//.exec(port)?.[1] ?? -1);
  const files: RawFile[] = [];
  const add = (rel: string, docs: Obj[], header: string) => {
    if (docs.length === 0) return;
    files.push({
      path: `raw/${rel}`,
      content: render(docs, `${header} (fabric ${name})`),
      documents: docs.length,
    });
  };
  const pad = (n: number) => String(n).padStart(3, '0');

  add(
    `${name}-namespaces.yaml`,
    [...byKind('VLANNamespace'), ...byKind('IPv4Namespace')],
    'namespaces',
  );
  add(
    `wiring/${name}-switches.yaml`,
    [...byKind('SwitchGroup'), ...byKind('Switch')],
    'switch groups, spines and leaves',
  );
  const connections = byKind('Connection');
  add(
    `wiring/${name}-fabric-links.yaml`,
    connections.filter(c => c.spec.fabric),
    'spine-leaf links',
  );

  // One file per leaf pair: its servers and their connections.
  const pairs = Math.ceil(size.leaves / 2);
  const serverConns = connections.filter(c => c.spec.unbundled || c.spec.eslag);
  const pairOfConn = (c: Obj) => {
    const port = c.spec.unbundled
      ? c.spec.unbundled.link.switch.port
      : c.spec.eslag.links[0].switch.port;
    return Math.floor(leafOf(port) / 2);
  };
  const connsByPair = new Map<number, Obj[]>();
  for (const c of serverConns) {
    const p = pairOfConn(c);
    connsByPair.set(p, [...(connsByPair.get(p) ?? []), c]);
  }
  const servers = new Map(byKind('Server').map(s => [s.metadata.name, s]));
  const serverOf = (c: Obj) =>
    (c.spec.unbundled
      ? c.spec.unbundled.link.server.port
      : c.spec.eslag.links[0].server.port
    ).split('/')[0];
  for (let p = 0; p < pairs; p++) {
    const conns = connsByPair.get(p) ?? [];
    const docs: Obj[] = [];
    for (const c of conns) docs.push(servers.get(serverOf(c))!, c);
    add(
      `wiring/${name}-rack-${pad(p)}.yaml`,
      docs,
      `rack ${p}: servers and connections of leaves ${2 * p} and ${2 * p + 1}`,
    );
  }

  const vpcs = byKind('VPC');
  for (let i = 0; i < vpcs.length; i += 50) {
    add(
      `vpc/${name}-vpcs-${pad(i / 50)}.yaml`,
      vpcs.slice(i, i + 50),
      `VPCs ${i}-${Math.min(vpcs.length, i + 50) - 1}`,
    );
  }
  const attachments = byKind('VPCAttachment');
  const connPair = new Map(
    serverConns.map(c => [c.metadata.name, pairOfConn(c)]),
  );
  const attByPair = new Map<number, Obj[]>();
  for (const a of attachments) {
    const p = connPair.get(a.spec.connection) ?? 0;
    attByPair.set(p, [...(attByPair.get(p) ?? []), a]);
  }
  for (let p = 0; p < pairs; p++) {
    add(
      `vpc/${name}-attachments-rack-${pad(p)}.yaml`,
      attByPair.get(p) ?? [],
      `VPC attachments of rack ${p}`,
    );
  }
  add(`vpc/${name}-peerings.yaml`, byKind('VPCPeering'), 'VPC peerings');
  add(
    `${name}-external.yaml`,
    [
      ...connections.filter(c => c.spec.external),
      ...byKind('External'),
      ...byKind('ExternalAttachment'),
      ...byKind('ExternalPeering'),
    ],
    'border: external, its connection, attachment and peering',
  );

  const written = files.reduce((n, f) => n + f.documents, 0);
  if (written !== objects.length)
    throw new Error(`laid out ${written} of ${objects.length} resources`);
  return {
    name,
    size,
    resources: objects.length,
    files,
    bytes: files.reduce((n, f) => n + Buffer.byteLength(f.content), 0),
  };
}

/**
 * A raw file with one new VPC (the `n`-th extra one, n >= 1) attached to two
 * existing server connections: the "one changed raw file" of a re-sync.
 */
export function extraVpcFile(fabric: GeneratedFabric, n: number): RawFile {
  const v = fabric.size.vpcs + n - 1;
  const vpcName = `vpc-x${n}`;
  const net = `10.${1 + Math.floor(v / 256)}.${v % 256}`;
  const conn = (i: number) =>
    `server-${i % fabric.size.leaves}-${
      n % fabric.size.serversPerLeaf
    }--unbundled--leaf-${i % fabric.size.leaves}`;
  const docs: Obj[] = [
    {
      apiVersion: 'vpc.githedgehog.com/v1beta1',
      kind: 'VPC',
      metadata: { name: vpcName, namespace: 'default' },
      spec: {
        subnets: {
          default: {
            subnet: `${net}.0/24`,
            gateway: `${net}.1`,
            vlan: 1000 + v,
            dhcp: {
              enable: true,
              range: { start: `${net}.10`, end: `${net}.250` },
            },
          },
        },
      },
    },
    ...[2 * n, 2 * n + 1].map(i => ({
      apiVersion: 'vpc.githedgehog.com/v1beta1',
      kind: 'VPCAttachment',
      metadata: { name: `${vpcName}--${conn(i)}`, namespace: 'default' },
      spec: { subnet: `${vpcName}/default`, connection: conn(i) },
    })),
  ];
  return {
    path: `raw/vpc/${fabric.name}-extra-${n}.yaml`,
    content: render(docs, `extra VPC ${n}`),
    documents: docs.length,
  };
}

/** Writes a fabric's raw files under `dir` (the fabric directory). */
export async function writeFabric(
  dir: string,
  fabric: GeneratedFabric,
): Promise<void> {
  for (const f of fabric.files) {
    const file = path.join(dir, f.path);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, f.content);
  }
}

if (require.main === module) {
  const [out, resources = '5000', name = 'f00'] = process.argv.slice(2);
  if (!out) {
    console.error('usage: generate.ts <out-dir> [resources=5000] [fabric=f00]');
    process.exit(2);
  }
  const fabric = generate(name, Number(resources));
  writeFabric(out, fabric).then(() =>
    console.log(
      `${fabric.name}: ${fabric.resources} resources in ${
        fabric.files.length
      } raw files (${(fabric.bytes / 1024).toFixed(
        0,
      )} KiB), size ${JSON.stringify(fabric.size)}`,
    ),
  );
}
