import {
  FabricTopology,
  TopologyNode,
} from '@fabric-gitops/plugin-hedgehog-common';
import { LaidOutTopology, NODE_H, NODE_W, tierOf } from './topologyLayout';
import { BUSES, collator, GAP_TIER, Placed, routeEdges } from './tierRoutes';

/*
 * A layout that knows the shape of a Hedgehog fabric, in O(n log n): spines (and gateways) on
 * top, leaves below in rows of at most `maxWidth` (a redundancy group kept in one row), each
 * server group, External or uplink under the middle of the leaves it hangs on, in the band of
 * its leaves' row. Edges are orthogonal: down from the upper node, along a channel, down into
 * the lower node. Pure.
 */

const GAP_X = 24;
/** Between two rows of one tier. */
const GAP_ROW = 28;
/** Between one band (a row of leaves and what hangs below it) and the next. */
const GAP_BAND = 90;
const STEP = NODE_W + GAP_X;
/** Nodes under the same spot that make a block rather than a column. */
const BLOCK_FROM = 3;

const byName = (a: TopologyNode, b: TopologyNode) =>
  collator.compare(a.name, b.name) || collator.compare(a.id, b.id);

export interface TierLayoutOptions {
  /** The widest a row may be; default: about twice as wide as the picture is high. */
  maxWidth?: number;
}

/** A row width that makes the bands of `leaves` leaves about twice as wide as high. */
export function defaultMaxWidth(leaves: number): number {
  const columns = Math.ceil(Math.sqrt(3.5 * Math.max(leaves, 1)));
  return Math.min(40, Math.max(10, columns)) * STEP - GAP_X;
}

/** Cuts an ordered list of clusters into rows of at most `columns`, a cluster not split unless wider than a row. */
function wrap(clusters: TopologyNode[][], columns: number): TopologyNode[][] {
  const rows: TopologyNode[][] = [];
  let row: TopologyNode[] = [];
  for (const cluster of clusters) {
    if (row.length > 0 && row.length + cluster.length > columns) {
      rows.push(row);
      row = [];
    }
    for (const n of cluster) {
      if (row.length === columns) {
        rows.push(row);
        row = [];
      }
      row.push(n);
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Leaves by cluster (redundancy group, else first switch group, else alone), clusters by the spines they share, then by name. */
function leafClusters(
  leaves: TopologyNode[],
  neighbours: Map<string, string[]>,
  topIndex: Map<string, number>,
): TopologyNode[][] {
  const clusters = new Map<string, TopologyNode[]>();
  for (const n of [...leaves].sort(byName)) {
    const key = n.redundancy?.group ?? n.groups?.[0] ?? n.id;
    if (!clusters.has(key)) clusters.set(key, []);
    clusters.get(key)!.push(n);
  }
  const spineMean = (cluster: TopologyNode[]) => {
    const at = cluster.flatMap(n =>
      (neighbours.get(n.id) ?? []).flatMap(m =>
        topIndex.has(m) ? [topIndex.get(m)!] : [],
      ),
    );
    return at.length ? at.reduce((a, b) => a + b, 0) / at.length : Infinity;
  };
  return [...clusters.entries()]
    .map(([key, members]) => ({ key, members, mean: spineMean(members) }))
    .sort(
      (a, b) =>
        Math.sign(
          (a.mean === Infinity ? 1e9 : a.mean) -
            (b.mean === Infinity ? 1e9 : b.mean),
        ) || collator.compare(a.key, b.key),
    )
    .map(c => c.members);
}

/** Lays out the topology by tiers; self-loops (VPC loopbacks) are left out, as the drawing shows them as badges. */
export function tierLayout(
  topology: FabricTopology,
  options: TierLayoutOptions = {},
): LaidOutTopology {
  const byId = new Map(topology.nodes.map(n => [n.id, n]));
  const edges = topology.edges.filter(
    e => e.source !== e.target && byId.has(e.source) && byId.has(e.target),
  );
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    if (!neighbours.has(a)) neighbours.set(a, []);
    neighbours.get(a)!.push(b);
  };
  for (const e of edges) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const tiers: TopologyNode[][] = [[], [], []];
  for (const n of topology.nodes) tiers[tierOf(n)].push(n);

  const top = [...tiers[0]].sort(
    (a, b) =>
      Number(a.type === 'gateway') - Number(b.type === 'gateway') ||
      byName(a, b),
  );
  const topIndex = new Map(top.map((n, i) => [n.id, i]));
  const maxWidth = Math.max(
    NODE_W,
    options.maxWidth ?? defaultMaxWidth(tiers[1].length),
  );
  const columns = Math.max(1, Math.floor((maxWidth + GAP_X) / STEP));
  const topRows = wrap(
    top.map(n => [n]),
    columns,
  );
  const leafRows = wrap(leafClusters(tiers[1], neighbours, topIndex), columns);
  const width = Math.max(
    NODE_W,
    ...[...topRows, ...leafRows].map(r => r.length * STEP - GAP_X),
  );
  const pos = new Map<string, Placed>();
  const placeRow = (row: TopologyNode[], y: number) => {
    const left = (width - (row.length * STEP - GAP_X)) / 2;
    row.forEach((n, i) => pos.set(n.id, { x: left + i * STEP, y }));
  };
  const stacked = new Set<string>();
  const leafRow = new Map<string, number>();
  leafRows.forEach((row, r) => row.forEach(n => leafRow.set(n.id, r)));

  // the lower tier: each node in the band of the lowest row of leaves it hangs on (none: at the bottom)
  const bands: TopologyNode[][] = leafRows.map(() => []);
  const loose: TopologyNode[] = [];
  for (const n of tiers[2]) {
    const rows = (neighbours.get(n.id) ?? []).flatMap(m =>
      leafRow.has(m) ? [leafRow.get(m)!] : [],
    );
    if (rows.length > 0) bands[Math.max(...rows)].push(n);
    else if ((neighbours.get(n.id) ?? []).some(m => topIndex.has(m)))
      (bands[0] ?? loose).push(n);
    else loose.push(n);
  }

  let y = 0;
  for (const row of topRows) {
    placeRow(row, y);
    y += NODE_H + GAP_ROW;
  }
  if (topRows.length > 0) y += GAP_TIER - GAP_ROW;
  leafRows.forEach((row, r) => {
    placeRow(row, y);
    y += NODE_H + GAP_TIER;
    y = placeUnder(bands[r], y, width, neighbours, pos, stacked);
    if (r < leafRows.length - 1) y += GAP_BAND - GAP_ROW;
  });
  if (loose.length > 0) {
    if (leafRows.length > 0) y += GAP_BAND - GAP_ROW;
    for (const row of wrap(
      [...loose].sort(byName).map(n => [n]),
      columns,
    )) {
      placeRow(row, y);
      y += NODE_H + GAP_ROW;
    }
  }

  // a spine's edges to rows below the first row of leaves run down a gutter on the left
  const firstLeafY = leafRows.length > 0 ? pos.get(leafRows[0][0].id)!.y : y;
  const gutter = top.length > 0 ? 12 + 6 * Math.min(top.length, BUSES) : 0;
  for (const p of pos.values()) p.x += gutter;
  const nodes = topology.nodes.map(n => ({ id: n.id, ...pos.get(n.id)! }));
  return {
    nodes,
    edges: routeEdges(edges, pos, { topIndex, firstLeafY, stacked }),
    width: Math.max(width + gutter, ...nodes.map(c => c.x + NODE_W)),
    height: Math.max(0, ...nodes.map(c => c.y + NODE_H)),
  };
}

/**
 * Places the nodes hanging on a row of leaves in rows below it, each under the middle of its
 * placed neighbours: a node (or two) there in the first row where it fits; three or more that
 * share their neighbours (an expanded group's servers) as a block of about √n columns centred there, the
 * blocks on shelves below. Returns the y below the last row.
 */
function placeUnder(
  nodes: TopologyNode[],
  top: number,
  width: number,
  neighbours: Map<string, string[]>,
  pos: Map<string, Placed>,
  stacked: Set<string>,
): number {
  if (nodes.length === 0) return top - GAP_TIER + GAP_ROW;
  const centre = (n: TopologyNode) => {
    const xs = (neighbours.get(n.id) ?? []).flatMap(m =>
      pos.has(m) ? [pos.get(m)!.x + NODE_W / 2] : [],
    );
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const at = new Map<number, TopologyNode[]>();
  for (const n of nodes) {
    const x = Math.round(centre(n));
    if (!at.has(x)) at.set(x, []);
    at.get(x)!.push(n);
  }
  const spots = [...at.entries()].sort((a, b) => a[0] - b[0]);
  const clamp = (x: number, w: number) =>
    Math.min(Math.max(x, 0), Math.max(width - w, 0));
  const rowStep = NODE_H + GAP_ROW;

  /** the right end of each row's last node */
  const ends: number[] = [];
  for (const [c, members] of spots) {
    if (members.length >= BLOCK_FROM) continue;
    const x = clamp(c - NODE_W / 2, NODE_W);
    for (const n of [...members].sort(byName)) {
      let row = ends.findIndex(end => end + GAP_X <= x);
      if (row < 0) row = ends.push(-Infinity) - 1;
      ends[row] = x + NODE_W;
      pos.set(n.id, { x, y: top + row * rowStep });
    }
  }
  interface Block {
    members: TopologyNode[];
    columns: number;
    x0: number;
  }
  const shelves: Array<{ end: number; rows: number; blocks: Block[] }> = [];
  for (const [c, members] of spots) {
    if (members.length < BLOCK_FROM) continue;
    const columns = Math.max(
      1,
      Math.min(
        Math.ceil(Math.sqrt(members.length)),
        Math.floor((width + GAP_X) / STEP),
      ),
    );
    const w = columns * STEP - GAP_X;
    const x0 = clamp(c - w / 2, w);
    let shelf = shelves.find(sh => sh.end + GAP_X <= x0);
    if (!shelf) {
      shelf = { end: -Infinity, rows: 0, blocks: [] };
      shelves.push(shelf);
    }
    shelf.end = x0 + w;
    shelf.rows = Math.max(shelf.rows, Math.ceil(members.length / columns));
    shelf.blocks.push({ members, columns, x0 });
    for (const m of members) stacked.add(m.id);
  }
  let y = top + ends.length * rowStep;
  for (const shelf of shelves) {
    const y0 = y;
    for (const { members, columns, x0 } of shelf.blocks)
      [...members].sort(byName).forEach((m, i) =>
        pos.set(m.id, {
          x: x0 + (i % columns) * STEP,
          y: y0 + Math.floor(i / columns) * rowStep,
        }),
      );
    y += shelf.rows * rowStep;
  }
  return y;
}
