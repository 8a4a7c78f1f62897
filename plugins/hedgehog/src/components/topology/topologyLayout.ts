import {
  DriftStatus,
  FabricTopology,
  TopologyEdge,
  TopologyNode,
  TopologyStatus,
  TopologyStatusCounts,
} from '@fabric-gitops/plugin-hedgehog-common';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

/* The topology as elkjs takes it, and elkjs's layout as the SVG draws it. Pure; elkjs computes the geometry. */

const NODE_W = 150;
const NODE_H = 44;

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

/** Switches of a redundancy group next to each other: the order elkjs keeps within a tier. */
function modelOrder(a: TopologyNode, b: TopologyNode): number {
  const key = (n: TopologyNode) =>
    `${n.redundancy?.group ?? n.name}\u0000${n.name}`;
  return tierOf(a) - tierOf(b) || key(a).localeCompare(key(b));
}

/** The graph elkjs lays out: layered top-down, one partition per tier, self-loops (VPC loopbacks) left to the node's badge. */
export function toElkGraph(topology: FabricTopology): ElkNode {
  const nodes = [...topology.nodes].sort(modelOrder);
  const edges: ElkExtendedEdge[] = topology.edges
    .filter(e => e.source !== e.target)
    .map(e => {
      const [s, t] = orient(e, topology);
      return { id: e.id, sources: [s], targets: [t] };
    });
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.partitioning.activate': 'true',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
      'elk.edgeRouting': 'POLYLINE',
    },
    children: nodes.map(n => ({
      id: n.id,
      width: NODE_W,
      height: NODE_H,
      layoutOptions: { 'elk.partitioning.partition': String(tierOf(n)) },
    })),
    edges,
  };
}

/** An edge from the upper tier to the lower one, so the layers follow the tiers. */
function orient(e: TopologyEdge, topology: FabricTopology): [string, string] {
  const tier = (id: string) => {
    const n = topology.nodes.find(x => x.id === id);
    return n ? tierOf(n) : 1;
  };
  return tier(e.source) <= tier(e.target)
    ? [e.source, e.target]
    : [e.target, e.source];
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

/** elkjs's laid-out graph to what the SVG draws: boxes with labels and colours, polylines with link counts. */
export function toDrawing(
  topology: FabricTopology,
  laid: ElkNode,
): { nodes: DrawnNode[]; edges: DrawnEdge[]; width: number; height: number } {
  const byId = new Map(topology.nodes.map(n => [n.id, n]));
  const edgeById = new Map(topology.edges.map(e => [e.id, e]));
  const nodes: DrawnNode[] = (laid.children ?? []).flatMap(c => {
    const node = byId.get(c.id);
    if (!node) return [];
    return [
      {
        id: c.id,
        x: c.x ?? 0,
        y: c.y ?? 0,
        width: c.width ?? NODE_W,
        height: c.height ?? NODE_H,
        label: node.name,
        detail: detailOf(node),
        color: colorOf(node.status, node.statusCounts),
        dashed: Boolean(node.missing) || node.status?.applyStatus === 'blocked',
        node,
        loopbacks: topology.edges.filter(
          e => e.source === node.id && e.target === node.id,
        ),
      },
    ];
  });
  const edges: DrawnEdge[] = (laid.edges ?? []).flatMap(le => {
    const edge = edgeById.get(le.id);
    const section = le.sections?.[0];
    if (!edge || !section) return [];
    const points = [
      section.startPoint,
      ...(section.bendPoints ?? []),
      section.endPoint,
    ];
    const count = edge.connections
      ? `${edge.connections} conn · ${edge.linkCount} links`
      : `${edge.linkCount}×`;
    return [
      {
        id: le.id,
        points,
        color: colorOf(edge.status, edge.statusCounts),
        width: Math.min(1 + edge.linkCount, 6),
        label: `${edge.type} ${count}`,
        edge,
      },
    ];
  });
  return { nodes, edges, width: laid.width ?? 0, height: laid.height ?? 0 };
}
