import {
  FabricTopology,
  TOPOLOGY_EXPANDED_SERVERS_MAX,
  TOPOLOGY_GROUP_MEMBERS_MAX,
  TopologyEdge,
  TopologyNode,
  TopologyStatus,
  TopologyStatusCounts,
} from '@fabric-gitops/plugin-hedgehog-common';

/** The id of the group of servers attached to these switches (none: the unconnected servers). */
export function serverGroupId(switches: string[]): string {
  return `servers:${[...switches].sort().join(',')}`;
}

function countStatuses(statuses: Array<TopologyStatus | undefined>): TopologyStatusCounts {
  const counts: TopologyStatusCounts = { drift: {}, applyStatus: {} };
  for (const s of statuses) {
    if (!s) continue;
    counts.drift[s.drift] = (counts.drift[s.drift] ?? 0) + 1;
    counts.applyStatus[s.applyStatus] = (counts.applyStatus[s.applyStatus] ?? 0) + 1;
  }
  return counts;
}

/**
 * Servers attached to the same set of switches become one node "N servers" (a group of one
 * server stays the server), with the state of its servers; their edges become one edge per group
 * and switch, with the number of links and Connections and their states. Groups in `expand` stay
 * server by server, as long as the expanded servers number at most `TOPOLOGY_EXPANDED_SERVERS_MAX`.
 */
export function collapseServers(
  nodes: TopologyNode[],
  edges: TopologyEdge[],
  expand: string[],
): Pick<FabricTopology, 'nodes' | 'edges' | 'notExpanded'> {
  const switchesOf = new Map<string, Set<string>>();
  for (const n of nodes) if (n.type === 'server') switchesOf.set(n.id, new Set());
  const byId = new Map(nodes.map(n => [n.id, n]));
  for (const e of edges) {
    const target = byId.get(e.target);
    if (switchesOf.has(e.source) && target?.type === 'switch') switchesOf.get(e.source)!.add(target.name);
  }
  const groups = new Map<string, { switches: string[]; servers: TopologyNode[] }>();
  for (const n of nodes) {
    if (n.type !== 'server') continue;
    const switches = [...switchesOf.get(n.id)!].sort();
    const id = serverGroupId(switches);
    if (!groups.has(id)) groups.set(id, { switches, servers: [] });
    groups.get(id)!.servers.push(n);
  }

  const expanded = new Set<string>();
  const notExpanded: string[] = [];
  let shown = 0;
  for (const id of new Set(expand)) {
    const group = groups.get(id);
    if (!group || shown + group.servers.length > TOPOLOGY_EXPANDED_SERVERS_MAX) {
      notExpanded.push(id);
      continue;
    }
    expanded.add(id);
    shown += group.servers.length;
  }

  /** server node id → its group's id, for the servers of collapsed groups */
  const collapsedInto = new Map<string, string>();
  const outNodes = nodes.filter(n => n.type !== 'server');
  for (const [id, group] of groups) {
    if (group.servers.length < 2 || expanded.has(id)) {
      outNodes.push(...group.servers);
      continue;
    }
    const names = group.servers.map(s => s.name).sort();
    for (const s of group.servers) collapsedInto.set(s.id, id);
    outNodes.push({
      id,
      type: 'servers',
      name: `${names.length} servers`,
      switches: group.switches,
      count: names.length,
      members: names.slice(0, TOPOLOGY_GROUP_MEMBERS_MAX),
      statusCounts: countStatuses(group.servers.map(s => s.status)),
    });
  }

  const outEdges: TopologyEdge[] = [];
  const groupEdges = new Map<string, { edge: TopologyEdge; connections: Map<string, TopologyStatus | undefined> }>();
  for (const e of edges) {
    const group = collapsedInto.get(e.source);
    if (!group) {
      outEdges.push(e);
      continue;
    }
    const id = `${group}->${e.target}`;
    let g = groupEdges.get(id);
    if (!g) {
      g = { edge: { id, source: group, target: e.target, type: 'servers', links: [], linkCount: 0 }, connections: new Map() };
      groupEdges.set(id, g);
    }
    g.edge.linkCount += e.linkCount;
    if (e.connection) g.connections.set(e.connection, e.status);
  }
  for (const { edge, connections } of groupEdges.values()) {
    edge.connections = connections.size;
    edge.statusCounts = countStatuses([...connections.values()]);
    outEdges.push(edge);
  }
  return { nodes: outNodes, edges: outEdges, notExpanded };
}
