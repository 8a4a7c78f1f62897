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
    y = placeUnder(bands[r], y, width, maxWidth, neighbours, pos, row.length);
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
    edges: routeEdges(edges, pos, { topIndex, firstLeafY }),
    width: Math.max(width + gutter, ...nodes.map(c => c.x + NODE_W)),
    height: Math.max(0, ...nodes.map(c => c.y + NODE_H)),
  };
}

/**
 * Places the nodes hanging on a row of leaves in rows below it, each as near as it can be to the
 * middle of its placed neighbours: in the first row where it fits there, else (once there are
 * as many rows as the crowding needs) next to the last node of the emptiest row. Returns the y
 * below the last row.
 */
function placeUnder(
  nodes: TopologyNode[],
  top: number,
  width: number,
  maxWidth: number,
  neighbours: Map<string, string[]>,
  pos: Map<string, Placed>,
  above: number,
): number {
  if (nodes.length === 0) return top - GAP_TIER + GAP_ROW;
  const centre = (n: TopologyNode) => {
    const xs = (neighbours.get(n.id) ?? []).flatMap(m =>
      pos.has(m) ? [pos.get(m)!.x + NODE_W / 2] : [],
    );
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const wanted = nodes
    .map(n => ({
      n,
      x: Math.min(Math.max(centre(n) - NODE_W / 2, 0), width - NODE_W),
    }))
    .sort((a, b) => a.x - b.x || byName(a.n, b.n));
  const cap = Math.max(2, Math.ceil(nodes.length / Math.max(above, 1)) + 1);
  /** the right end of each row's last node */
  const ends: number[] = [];
  const rowOf = new Map<string, { row: number; x: number }>();
  for (const { n, x } of wanted) {
    let row = ends.findIndex(end => end + GAP_X <= x);
    let at = x;
    if (row < 0 && ends.length >= cap) {
      row = ends.indexOf(Math.min(...ends));
      at = ends[row] + GAP_X;
      if (at + NODE_W > Math.max(maxWidth, width)) {
        row = -1;
        at = x;
      }
    }
    if (row < 0) {
      row = ends.length;
      ends.push(-Infinity);
    }
    ends[row] = at + NODE_W;
    rowOf.set(n.id, { row, x: at });
  }
  for (const [id, { row, x }] of rowOf)
    pos.set(id, { x, y: top + row * (NODE_H + GAP_ROW) });
  return top + ends.length * (NODE_H + GAP_ROW);
}
