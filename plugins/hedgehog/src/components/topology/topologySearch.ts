import { TopologyNode } from '@fabric-gitops/plugin-hedgehog-common';

/* Finding a device in a topology by (part of) its name. Pure. */

/** What a search found: a node to highlight, or a collapsed group of servers that holds the server. */
export type TopologySearchResult =
  | { found: 'node'; node: TopologyNode; matches: number }
  | { found: 'group'; group: TopologyNode; server: string }
  | { found: 'none' };

/** Nodes a search can find: devices, not the groups (their servers are looked up by name). */
const searchable = (n: TopologyNode) => n.type !== 'servers';

/**
 * The node named `query` (case-insensitive), or else the first one (by name) whose name holds it;
 * failing that, the collapsed group of servers that lists a server so named (or holding it).
 */
export function searchTopology(
  nodes: TopologyNode[],
  query: string,
): TopologySearchResult {
  const q = query.trim().toLowerCase();
  if (!q) return { found: 'none' };
  const devices = nodes.filter(searchable);
  const exact = devices.find(n => n.name.toLowerCase() === q);
  if (exact) return { found: 'node', node: exact, matches: 1 };
  const partial = devices
    .filter(n => n.name.toLowerCase().includes(q))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (partial.length > 0)
    return { found: 'node', node: partial[0], matches: partial.length };
  const groups = nodes.filter(n => n.type === 'servers');
  for (const match of [
    (m: string) => m.toLowerCase() === q,
    (m: string) => m.toLowerCase().includes(q),
  ]) {
    for (const group of groups) {
      const server = group.members?.find(match);
      if (server) return { found: 'group', group, server };
    }
  }
  return { found: 'none' };
}
