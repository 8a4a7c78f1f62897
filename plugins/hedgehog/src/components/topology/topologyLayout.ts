import {
  DriftStatus,
  FabricTopology,
  TopologyEdge,
  TopologyNode,
  TopologyStatus,
  TopologyStatusCounts,
} from '@fabric-gitops/plugin-hedgehog-common';

/* What the SVG draws, from a layout's geometry (tierLayout.ts). Pure. */

/** A node's box. */
export const NODE_W = 150;
export const NODE_H = 44;

/** Tiers from the top: spines and gateways, leaves, then servers, externals and uplinks. */
export function tierOf(node: TopologyNode): number {
  if (
    node.type === 'gateway' ||
    (node.type === 'switch' && node.role === 'spine')
  )
    return 0;
  if (node.type === 'switch') return 1;
  return 2;
}

/** Where a layout put the nodes and how it routed the edges (self-loops excepted). */
export interface LaidOutTopology {
  nodes: Array<{ id: string; x: number; y: number }>;
  edges: Array<{ id: string; points: Array<{ x: number; y: number }> }>;
  width: number;
  height: number;
}

/** Colours of drift statuses; a failed apply is drawn red whatever the drift. */
export const DRIFT_COLORS: Record<DriftStatus, string> = {
  in_sync: '#2e7d32',
  drifted: '#ef6c00',
  missing_in_cluster: '#c62828',
  orphaned_in_cluster: '#6a1b9a',
  owned_elsewhere: '#455a64',
  unknown: '#9e9e9e',
};
export const FAILED_COLOR = '#b71c1c';
const NEUTRAL = '#607d8b';

/** The worst drift of counted resources: any not in sync decides. */
function worstDrift(counts?: TopologyStatusCounts): DriftStatus | undefined {
  if (!counts) return undefined;
  const order: DriftStatus[] = [
    'missing_in_cluster',
    'drifted',
    'orphaned_in_cluster',
    'owned_elsewhere',
    'unknown',
    'in_sync',
  ];
  return order.find(s => (counts.drift[s] ?? 0) > 0);
}

/** The colour of a node or an edge from its state (or its group's states). */
export function colorOf(
  status?: TopologyStatus,
  counts?: TopologyStatusCounts,
): string {
  if (status?.applyStatus === 'failed' || (counts?.applyStatus.failed ?? 0) > 0)
    return FAILED_COLOR;
  const drift = status?.drift ?? worstDrift(counts);
  return drift ? DRIFT_COLORS[drift] : NEUTRAL;
}

export interface DrawnNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  detail: string;
  color: string;
  dashed: boolean;
  node: TopologyNode;
  /** VPC loopback Connections of the switch (drawn as a badge). */
  loopbacks: TopologyEdge[];
}

export interface DrawnEdge {
  id: string;
  points: Array<{ x: number; y: number }>;
  color: string;
  width: number;
  label: string;
  edge: TopologyEdge;
}

function detailOf(n: TopologyNode): string {
  if (n.type === 'switch') {
    const { type, group } = n.redundancy ?? {};
    // "eslag eslag-1" says eslag twice: the group's name alone when it names the type
    const named =
      type && group?.includes(type)
        ? group
        : `${type} ${group ?? ''}`.trimEnd();
    const pair = type ? ` · ${named}` : '';
    return `${n.role ?? 'switch'}${pair}${n.missing ? ' · not defined' : ''}`;
  }
  if (n.type === 'servers')
    return `on ${n.switches?.length ? n.switches.join(', ') : 'no switch'}`;
  if (n.missing) return `${n.type} · not defined`;
  return n.type;
}

/** A laid-out topology to what the SVG draws: boxes with labels and colours, polylines with link counts. */
export function toDrawing(
  topology: FabricTopology,
  laid: LaidOutTopology,
): { nodes: DrawnNode[]; edges: DrawnEdge[]; width: number; height: number } {
  const byId = new Map(topology.nodes.map(n => [n.id, n]));
  const edgeById = new Map(topology.edges.map(e => [e.id, e]));
  const loopbacks = new Map<string, TopologyEdge[]>();
  for (const e of topology.edges)
    if (e.source === e.target)
      loopbacks.set(e.source, [...(loopbacks.get(e.source) ?? []), e]);
  const nodes: DrawnNode[] = laid.nodes.flatMap(c => {
    const node = byId.get(c.id);
    if (!node) return [];
    return [
      {
        id: c.id,
        x: c.x,
        y: c.y,
        width: NODE_W,
        height: NODE_H,
        label: node.name,
        detail: detailOf(node),
        color: colorOf(node.status, node.statusCounts),
        dashed: Boolean(node.missing) || node.status?.applyStatus === 'blocked',
        node,
        loopbacks: loopbacks.get(node.id) ?? [],
      },
    ];
  });
  const edges: DrawnEdge[] = laid.edges.flatMap(({ id, points }) => {
    const edge = edgeById.get(id);
    if (!edge) return [];
    const count = edge.connections
      ? `${edge.connections} conn · ${edge.linkCount} links`
      : `${edge.linkCount}×`;
    return [
      {
        id,
        points,
        color: colorOf(edge.status, edge.statusCounts),
        width: Math.min(1 + edge.linkCount, 6),
        label: `${edge.type} ${count}`,
        edge,
      },
    ];
  });
  return { nodes, edges, width: laid.width, height: laid.height };
}
