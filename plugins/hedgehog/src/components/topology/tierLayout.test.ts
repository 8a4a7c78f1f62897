import {
  FabricTopology,
  TopologyEdge,
  TopologyNode,
} from '@fabric-gitops/plugin-hedgehog-common';
import { defaultMaxWidth, tierLayout } from './tierLayout';
import { NODE_H, NODE_W } from './topologyLayout';

/**
 * A fabric shaped like W5k once servers are collapsed: spines over ESLAG leaf pairs, a group of
 * servers under each leaf and one under each pair, a border pair with an External and an uplink,
 * a gateway on the spines, a VPC loopback and a group of unconnected servers.
 */
function fabric(spines: number, pairs: number): FabricTopology {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const edge = (source: string, target: string, type: string) =>
    edges.push({
      id: `${source}->${target}`,
      source,
      target,
      type,
      links: [],
      linkCount: 1,
    });
  const spine = (i: number) => `switch:spine-${i}`;
  for (let i = 1; i <= spines; i++)
    nodes.push({
      id: spine(i),
      type: 'switch',
      name: `spine-${i}`,
      role: 'spine',
    });
  nodes.push({ id: 'gateway:gw-1', type: 'gateway', name: 'gw-1' });
  for (let i = 1; i <= spines; i++) edge(spine(i), 'gateway:gw-1', 'gateway');
  for (let p = 0; p < pairs; p++) {
    const pair = [2 * p, 2 * p + 1].map(i => `leaf-${i}`);
    const border = p === pairs - 1;
    for (const leaf of pair) {
      nodes.push({
        id: `switch:${leaf}`,
        type: 'switch',
        name: leaf,
        role: border ? 'border-leaf' : 'server-leaf',
        redundancy: { group: `eslag-${p}`, type: 'eslag' },
      });
      for (let i = 1; i <= spines; i++)
        edge(spine(i), `switch:${leaf}`, 'fabric');
      if (border) continue;
      nodes.push({
        id: `servers:${leaf}`,
        type: 'servers',
        name: '10 servers',
        switches: [leaf],
      });
      edge(`servers:${leaf}`, `switch:${leaf}`, 'servers');
    }
    const group = `servers:${pair.join(',')}`;
    nodes.push({
      id: group,
      type: 'servers',
      name: '10 servers',
      switches: pair,
    });
    for (const leaf of pair) edge(group, `switch:${leaf}`, 'servers');
    if (border) {
      nodes.push({ id: 'external:isp', type: 'external', name: 'isp' });
      nodes.push({ id: 'uplink:up-1', type: 'uplink', name: 'up-1' });
      edge(`switch:${pair[0]}`, 'external:isp', 'external');
      edge(`switch:${pair[1]}`, 'uplink:up-1', 'external');
    }
  }
  edge('switch:leaf-0', 'switch:leaf-1', 'mclag-domain');
  edges.push({
    id: 'loop',
    source: 'switch:leaf-0',
    target: 'switch:leaf-0',
    type: 'vpc-loopback',
    links: [],
    linkCount: 2,
  });
  nodes.push({
    id: 'servers:',
    type: 'servers',
    name: '3 servers',
    switches: [],
  });
  return { nodes, edges, notExpanded: [], skipped: [] };
}

const boxes = (laid: ReturnType<typeof tierLayout>) =>
  new Map(laid.nodes.map(c => [c.id, { x: c.x, y: c.y }]));

/** No two boxes overlap. */
function expectApart(at: ReturnType<typeof boxes>) {
  const list = [...at.entries()];
  const overlaps: string[] = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const [a, p] = list[i];
      const [b, q] = list[j];
      const apart =
        p.x + NODE_W <= q.x ||
        q.x + NODE_W <= p.x ||
        p.y + NODE_H <= q.y ||
        q.y + NODE_H <= p.y;
      if (!apart) overlaps.push(`${a} overlaps ${b}`);
    }
  expect(overlaps).toEqual([]);
}

describe('tierLayout', () => {
  const topology = fabric(4, 38); // 191 nodes, like W5k's 165
  const laid = tierLayout(topology);
  const at = boxes(laid);

  it('places every node once, with no two boxes overlapping', () => {
    expect([...at.keys()].sort()).toEqual(topology.nodes.map(n => n.id).sort());
    expectApart(at);
    for (const { x, y } of at.values()) {
      expect(x + NODE_W).toBeLessThanOrEqual(laid.width);
      expect(y + NODE_H).toBeLessThanOrEqual(laid.height);
    }
  });

  it('puts spines and the gateway on top, each group of servers below its leaves and within their span', () => {
    const leafYs = topology.nodes
      .filter(n => n.role?.endsWith('leaf'))
      .map(n => at.get(n.id)!.y);
    const topY = Math.max(
      ...['switch:spine-1', 'gateway:gw-1'].map(id => at.get(id)!.y),
    );
    expect(topY + NODE_H).toBeLessThan(Math.min(...leafYs));
    for (const n of topology.nodes.filter(
      g => g.type === 'servers' && g.switches!.length,
    )) {
      const leaves = n.switches!.map(s => at.get(`switch:${s}`)!);
      const g = at.get(n.id)!;
      expect(g.y).toBeGreaterThan(Math.max(...leaves.map(l => l.y + NODE_H)));
      const centre = g.x + NODE_W / 2;
      expect(centre).toBeGreaterThanOrEqual(Math.min(...leaves.map(l => l.x)));
      expect(centre).toBeLessThanOrEqual(
        Math.max(...leaves.map(l => l.x + NODE_W)),
      );
    }
    // the unconnected servers at the bottom
    expect(at.get('servers:')!.y).toBe(
      Math.max(...[...at.values()].map(p => p.y)),
    );
  });

  it('wraps the leaves into rows no wider than the max width, a pair in one row, next to each other', () => {
    const maxWidth = 2000;
    const narrow = boxes(tierLayout(topology, { maxWidth }));
    for (const { x } of narrow.values())
      expect(x + NODE_W).toBeLessThanOrEqual(maxWidth);
    const rows = new Set(
      topology.nodes
        .filter(n => n.role?.endsWith('leaf'))
        .map(n => narrow.get(n.id)!.y),
    );
    // 11 columns fit; pairs are not split, so 5 pairs a row
    const columns = Math.floor((maxWidth + 24) / (NODE_W + 24));
    expect(rows.size).toBe(Math.ceil(38 / Math.floor(columns / 2)));
    for (let p = 0; p < 38; p++) {
      const [a, b] = [2 * p, 2 * p + 1].map(
        i => narrow.get(`switch:leaf-${i}`)!,
      );
      expect(a.y).toBe(b.y);
      expect(b.x - a.x).toBe(NODE_W + 24);
    }
    // by default a readable rectangle, not a strip
    expect(laid.width / laid.height).toBeLessThan(4);
    expect(laid.width).toBeLessThanOrEqual(defaultMaxWidth(76));
  });

  it('is the same picture whatever the order of the input', () => {
    const shuffled: FabricTopology = {
      ...topology,
      nodes: [...topology.nodes].reverse(),
      edges: [...topology.edges].reverse(),
    };
    const sorted = (l: ReturnType<typeof tierLayout>) => ({
      ...l,
      nodes: [...l.nodes].sort((a, b) => a.id.localeCompare(b.id)),
      edges: [...l.edges].sort((a, b) => a.id.localeCompare(b.id)),
    });
    expect(sorted(tierLayout(shuffled))).toEqual(sorted(laid));
  });

  it("routes every edge but the loopback orthogonally from the upper box's bottom to the lower box's top", () => {
    expect(laid.edges).toHaveLength(topology.edges.length - 1);
    const edgeById = new Map(topology.edges.map(e => [e.id, e]));
    for (const { id, points } of laid.edges) {
      for (let i = 1; i < points.length; i++)
        expect(
          points[i].x === points[i - 1].x || points[i].y === points[i - 1].y,
        ).toBe(true);
      const e = edgeById.get(id)!;
      const [upper, lower] = [at.get(e.source)!, at.get(e.target)!].sort(
        (p, q) => p.y - q.y,
      );
      const [start, end] = [points[0], points[points.length - 1]];
      expect(start.y).toBe(upper.y + NODE_H);
      // within a row (the MCLAG peer link): bottom to bottom
      expect(end.y).toBe(upper.y === lower.y ? lower.y + NODE_H : lower.y);
      const inside = (x: number, box: { x: number }) =>
        x > box.x && x < box.x + NODE_W;
      const ends = [start.x, end.x];
      if (upper.y === lower.y) ends.sort((p, q) => p - q);
      expect(
        inside(
          ends[0],
          upper.y === lower.y
            ? [upper, lower].sort((p, q) => p.x - q.x)[0]
            : upper,
        ),
      ).toBe(true);
      expect(
        inside(
          ends[1],
          upper.y === lower.y
            ? [upper, lower].sort((p, q) => p.x - q.x)[1]
            : lower,
        ),
      ).toBe(true);
    }
  });

  it('lays an expanded group out as a block under its leaf, the other groups staying under theirs', () => {
    const expanded = fabric(4, 38);
    expanded.nodes = expanded.nodes.filter(n => n.id !== 'servers:leaf-3');
    expanded.edges = expanded.edges.filter(e => e.source !== 'servers:leaf-3');
    for (let i = 0; i < 20; i++) {
      expanded.nodes.push({
        id: `server:s${i}`,
        type: 'server',
        name: `s${i}`,
      });
      expanded.edges.push({
        id: `s${i}`,
        source: `server:s${i}`,
        target: 'switch:leaf-3',
        type: 'unbundled',
        links: [],
        linkCount: 1,
      });
    }
    const laidOut = tierLayout(expanded);
    const placed = boxes(laidOut);
    expectApart(placed);
    const leaf = placed.get('switch:leaf-3')!;
    const servers = [...placed.entries()].filter(([id]) =>
      id.startsWith('server:'),
    );
    // 5 columns (√20) centred under the leaf, 4 rows
    expect(new Set(servers.map(([, p]) => p.x)).size).toBe(5);
    expect(new Set(servers.map(([, p]) => p.y)).size).toBe(4);
    for (const [, p] of servers) {
      expect(p.y).toBeGreaterThan(leaf.y + NODE_H);
      expect(
        Math.abs(p.x + NODE_W / 2 - (leaf.x + NODE_W / 2)),
      ).toBeLessThanOrEqual(2 * (NODE_W + 24));
    }
    // each server's edge comes down the gap left of it into its left side
    for (let i = 0; i < 20; i++) {
      const { points } = laidOut.edges.find(e => e.id === `s${i}`)!;
      const box = placed.get(`server:s${i}`)!;
      expect(points[points.length - 1]).toEqual({
        x: box.x,
        y: box.y + NODE_H / 2,
      });
      expect(points[points.length - 2].x).toBe(box.x - 10);
      for (let j = 1; j < points.length; j++)
        expect(
          points[j].x === points[j - 1].x || points[j].y === points[j - 1].y,
        ).toBe(true);
    }
    const group = placed.get('servers:leaf-4')!;
    expect(group.x).toBe(placed.get('switch:leaf-4')!.x);
  });

  it('lays out a fabric without spines, and an empty one', () => {
    const mesh = tierLayout(fabric(0, 3));
    expect(mesh.nodes).toHaveLength(fabric(0, 3).nodes.length);
    expect(
      tierLayout({ nodes: [], edges: [], notExpanded: [], skipped: [] }).nodes,
    ).toEqual([]);
  });
});
