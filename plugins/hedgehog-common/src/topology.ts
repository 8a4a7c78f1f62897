import type { ApplyStatus, DriftStatus } from './vocabulary';

/**
 * The topology of a fabric (`GET /fabrics/:fabric/topology`): its devices and the
 * Connections between them, each with the drift and apply status of its resource.
 */

/** What a topology node stands for. @public */
export type TopologyNodeType = 'switch' | 'server' | 'servers' | 'gateway' | 'external' | 'uplink';

/** The state of the resource a node or an edge stands for. @public */
export interface TopologyStatus {
  drift: DriftStatus;
  applyStatus: ApplyStatus;
}

/** How many resources of a collapsed node are in each drift and apply status. @public */
export interface TopologyStatusCounts {
  drift: Partial<Record<DriftStatus, number>>;
  applyStatus: Partial<Record<ApplyStatus, number>>;
}

/** A node: a switch, a server, a group of servers, a gateway, an external or an external link's far end. @public */
export interface TopologyNode {
  /** `<type>:<name>`; a group of servers is `servers:<switch>,<switch>…` (`servers:` for unconnected servers). */
  id: string;
  type: TopologyNodeType;
  /** The resource's name, or the group's label. */
  name: string;
  /** The kind of the resource the node opens (`Switch`, `Server`, `External`, `Connection` for an uplink); none for groups and gateways. */
  kind?: string;
  /** Switch: `spine`, `server-leaf`, `border-leaf`, `mixed-leaf`, `virtual-edge`. */
  role?: string;
  /** Switch: its SwitchGroups. */
  groups?: string[];
  /** Switch: its redundancy group and type (`eslag`, `mclag`). */
  redundancy?: { group?: string; type?: string };
  /** Switch: its SwitchProfile. */
  profile?: string;
  /** The resource's state; absent for groups and for devices no resource defines (a gateway, a missing switch). */
  status?: TopologyStatus;
  /** A device a Connection names but no resource of the fabric defines. */
  missing?: boolean;
  /** A group of servers: the switches its servers attach to. */
  switches?: string[];
  /** A group of servers: how many. */
  count?: number;
  /** A group of servers: the servers' names (at most `TOPOLOGY_GROUP_MEMBERS_MAX`). */
  members?: string[];
  /** A group of servers: its servers' states. */
  statusCounts?: TopologyStatusCounts;
}

/** One physical link of an edge. @public */
export interface TopologyLink {
  /** Full port names `<device>/<port>`; one end for an external link. */
  ports: string[];
  /** `peer` or `session` for an MCLAG domain's links. */
  purpose?: 'peer' | 'session';
}

/** An edge between two nodes: one Connection's links between them, or a group of servers' links to a switch. @public */
export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  /** Hedgehog's Connection type (`unbundled`, `bundled`, `mclag`, `eslag`, `mclag-domain`, `fabric`, `mesh`, `gateway`, `vpc-loopback`, `external`, `static-external`), or `servers` for a group's edge. */
  type: string;
  /** The Connection the edge opens; absent for a group's edge. */
  connection?: string;
  links: TopologyLink[];
  linkCount: number;
  /**
   * Edges of one multi-switch Connection (ESLAG, MCLAG) share it: the Connection's name, its type
   * and how many switches it spans.
   */
  bundle?: { connection: string; type: string; switches: number };
  status?: TopologyStatus;
  /** A group's edge: how many Connections it stands for, and their states. */
  connections?: number;
  statusCounts?: TopologyStatusCounts;
}

/** The topology of a fabric. @public */
export interface FabricTopology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Groups asked to be expanded that stayed collapsed (unknown, or the expansion limit reached). */
  notExpanded: string[];
  /** Connections that could not be drawn (no type, no ends), with why. */
  skipped: Array<{ connection: string; reason: string }>;
}

/** The most servers the expanded groups of one topology answer show. @public */
export const TOPOLOGY_EXPANDED_SERVERS_MAX = 500;
/** The most member names a group of servers lists. @public */
export const TOPOLOGY_GROUP_MEMBERS_MAX = 50;
