import {
  ApplyStatus,
  DriftStatus,
  FabricTopology,
  TopologyEdge,
  TopologyLink,
  TopologyNode,
  TopologyNodeType,
  TopologyStatus,
} from '@fabric-gitops/plugin-hedgehog-common';
import { connectionModel, Endpoint } from '../validation/connectionModel';
import { list, obj, str } from '../validation/model';
import { collapseServers } from './collapseServers';

/** A resource of the fabric as the topology reads it: its object (desired, or live when only the cluster has it) and state. */
export interface TopologyResource {
  kind: string;
  name: string;
  object: Record<string, any> | null;
  drift: DriftStatus;
  applyStatus: ApplyStatus;
}

/** The kinds the topology reads. */
export const TOPOLOGY_KINDS = ['Switch', 'Server', 'Connection', 'External', 'ExternalAttachment'];

export interface TopologyOptions {
  /** Groups of servers to show server by server (node ids `servers:…`). */
  expand?: string[];
}

const statusOf = (r: TopologyResource): TopologyStatus => ({ drift: r.drift, applyStatus: r.applyStatus });

const TYPE_ORDER: TopologyNodeType[] = ['switch', 'gateway', 'external', 'uplink', 'servers', 'server'];

/**
 * Builds a fabric's topology: a node per Switch, Server and External (and per gateway a
 * Connection names), an edge per Connection and pair of devices it links, servers collapsed
 * per set of switches they attach to (unless expanded). Pure: the same resources give the same answer.
 */
export function buildTopology(resources: TopologyResource[], options: TopologyOptions = {}): FabricTopology {
  const nodes = new Map<string, TopologyNode>();
  const byKind = (kind: string) => resources.filter(r => r.kind === kind);

  for (const r of byKind('Switch')) {
    const spec = obj(r.object?.spec) ?? {};
    const redundancy = obj(spec.redundancy);
    const groups = list(spec.groups).filter((g): g is string => typeof g === 'string');
    nodes.set(`switch:${r.name}`, {
      id: `switch:${r.name}`,
      type: 'switch',
      name: r.name,
      kind: 'Switch',
      role: str(spec.role),
      groups: groups.length > 0 ? groups : undefined,
      redundancy: redundancy && (str(redundancy.group) || str(redundancy.type))
        ? { group: str(redundancy.group), type: str(redundancy.type) }
        : undefined,
      profile: str(spec.profile),
      status: statusOf(r),
    });
  }
  for (const r of byKind('Server')) {
    nodes.set(`server:${r.name}`, { id: `server:${r.name}`, type: 'server', name: r.name, kind: 'Server', status: statusOf(r) });
  }
  for (const r of byKind('External')) {
    nodes.set(`external:${r.name}`, { id: `external:${r.name}`, type: 'external', name: r.name, kind: 'External', status: statusOf(r) });
  }
  /** The externals attached to each Connection (by ExternalAttachments). */
  const externalsOf = new Map<string, Set<string>>();
  for (const r of byKind('ExternalAttachment')) {
    const spec = obj(r.object?.spec);
    const connection = str(spec?.connection);
    const external = str(spec?.external);
    if (!connection || !external) continue;
    if (!externalsOf.has(connection)) externalsOf.set(connection, new Set());
    externalsOf.get(connection)!.add(external);
  }

  const nodeOf = (end: Endpoint): string => {
    const id = `${end.role}:${end.device}`;
    if (!nodes.has(id)) {
      // a gateway is not a kind the fabric manages: known only from its Connections
      nodes.set(id, { id, type: end.role, name: end.device, missing: end.role === 'gateway' ? undefined : true });
    }
    return id;
  };

  const edges = new Map<string, TopologyEdge>();
  const skipped: FabricTopology['skipped'] = [];
  for (const r of byKind('Connection')) {
    const spec = obj(r.object?.spec) ?? {};
    const model = connectionModel(spec);
    if (!model.key || !model.type) {
      skipped.push({ connection: r.name, reason: 'no connection type in spec' });
      continue;
    }
    if (model.endpoints.length === 0) {
      skipped.push({ connection: r.name, reason: `no ports in spec.${model.key}` });
      continue;
    }
    const multiSwitch = model.key === 'mclag' || model.key === 'eslag';
    const bundle =
      multiSwitch || model.key === 'bundled'
        ? { connection: r.name, type: model.type, switches: model.switches.size }
        : undefined;
    for (const link of model.links) {
      if (link.ends.length === 0) continue;
      const source = nodeOf(link.ends[0]);
      const targets = link.ends[1] ? [nodeOf(link.ends[1])] : farEnds(r, externalsOf, nodes);
      const topologyLink: TopologyLink = { ports: link.ends.map(e => e.port) };
      if (model.key === 'mclagDomain') topologyLink.purpose = link.path[2] === 'peerLinks' ? 'peer' : 'session';
      for (const target of targets) {
        const id = `${r.name}:${source}->${target}`;
        let edge = edges.get(id);
        if (!edge) {
          edge = { id, source, target, type: model.type, connection: r.name, links: [], linkCount: 0, bundle, status: statusOf(r) };
          edges.set(id, edge);
        }
        edge.links.push(topologyLink);
        edge.linkCount++;
      }
    }
  }

  const collapsed = collapseServers([...nodes.values()], [...edges.values()], options.expand ?? []);
  const order = (n: TopologyNode) => TYPE_ORDER.indexOf(n.type);
  return {
    nodes: collapsed.nodes.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    edges: collapsed.edges.sort((a, b) => a.id.localeCompare(b.id)),
    notExpanded: collapsed.notExpanded,
    skipped,
  };
}

/** The far ends of an external link: the Externals attached to it, else a node for the link itself. */
function farEnds(connection: TopologyResource, externalsOf: Map<string, Set<string>>, nodes: Map<string, TopologyNode>): string[] {
  const externals = [...(externalsOf.get(connection.name) ?? [])].sort();
  if (externals.length === 0) {
    const id = `uplink:${connection.name}`;
    if (!nodes.has(id)) {
      nodes.set(id, { id, type: 'uplink', name: connection.name, kind: 'Connection', status: statusOf(connection) });
    }
    return [id];
  }
  return externals.map(name => {
    const id = `external:${name}`;
    if (!nodes.has(id)) nodes.set(id, { id, type: 'external', name, missing: true });
    return id;
  });
}
