import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_VIEW_URL,
  Entity,
} from '@backstage/catalog-model';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_FABRIC,
  ANNOTATION_GITOPS_LOCATION,
  ANNOTATION_RESOURCE_KIND,
  ANNOTATION_RESOURCE_NAME,
  FABRIC_ENTITY_TYPE,
  Fabric,
  HEDGEHOG_KINDS,
  formatGitopsLocation,
} from '@fabric-gitops/plugin-hedgehog-common';
import { createHash } from 'crypto';

/** Prefix of `backstage.io/managed-by-location` of every entity the provider emits. */
const LOCATION_TYPE = 'hedgehog-fabric';

// The annotations of emitted resource entities live in the common package, which
// the frontend plugin reads them with; re-exported here as before.
export {
  ANNOTATION_FABRIC,
  ANNOTATION_RESOURCE_KIND,
  ANNOTATION_RESOURCE_NAME,
};

/** Catalog `spec.type` of the emitted resource entities, per Hedgehog kind. @public */
export const RESOURCE_ENTITY_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  HEDGEHOG_KINDS.flatMap(k => (k.catalogEntityType ? [[k.kind, k.catalogEntityType]] : [])),
);

/** The Hedgehog kinds that become catalog entities: those whose kind module names a `catalogEntityType`. */
export type EmittedKind = string;

/** What the provider knows about a fabric when it builds entities. */
export interface FabricContext {
  fabric: Fabric;
  /** Entity ref of the fabric entity (emitted by the provider or defined in the catalog). */
  fabricRef: string;
  owner: string;
  system?: string;
}

/** A Switch, Server or VPC of a fabric, with its desired object when read. */
export interface FabricResource {
  kind: EmittedKind;
  name: string;
  gitPath: string;
  desired?: Record<string, any> | null;
}

/** The location key and `managed-by-location` of a fabric's entities. */
export function locationOf(fabric: string): string {
  return `${LOCATION_TYPE}:${fabric}`;
}

/** Whether an entity was emitted by this package's provider. */
export function isProviderManaged(entity: Entity): boolean {
  const location = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  return (
    typeof location === 'string' && location.startsWith(`${LOCATION_TYPE}:`)
  );
}

/**
 * The entity of a fabric defined in app-config (catalog-defined fabrics have
 * their own entity already).
 */
export function fabricEntity(ctx: FabricContext, description?: string): Entity {
  const { fabric } = ctx;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: fabric.name,
      title: fabric.title,
      ...(description ? { description } : {}),
      annotations: {
        ...managedBy(fabric.name),
        [ANNOTATION_GITOPS_LOCATION]: formatGitopsLocation(fabric.git),
        ...(fabric.cluster ? { [ANNOTATION_CLUSTER]: fabric.cluster } : {}),
        ...viewUrl(fabric, ''),
      },
    },
    spec: {
      type: FABRIC_ENTITY_TYPE,
      owner: ctx.owner,
      ...(ctx.system ? { system: ctx.system } : {}),
    },
  };
}

/**
 * The entity of a switch, server or VPC: owned like its fabric, depending on the
 * fabric entity and (servers) on the switches its Connections lead to.
 */
export function resourceEntity(
  ctx: FabricContext,
  resource: FabricResource,
  dependsOn: string[] = [],
  ports: string[] = [],
): Entity {
  const spec = (resource.desired?.spec ?? {}) as Record<string, any>;
  const description = withPorts(describe(resource.kind, spec), ports);
  const role =
    resource.kind === 'Switch' && typeof spec.role === 'string'
      ? spec.role
      : undefined;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: resourceEntityName(ctx.fabric.name, resource.kind, resource.name),
      title: resource.name,
      ...(description ? { description } : {}),
      annotations: {
        ...managedBy(ctx.fabric.name),
        [ANNOTATION_FABRIC]: ctx.fabric.name,
        [ANNOTATION_RESOURCE_KIND]: resource.kind,
        [ANNOTATION_RESOURCE_NAME]: resource.name,
        ...viewUrl(ctx.fabric, resource.gitPath),
      },
      ...(role &&
      /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/.test(role) &&
      role.length <= 63
        ? { tags: [role] }
        : {}),
    },
    spec: {
      type: RESOURCE_ENTITY_TYPES[resource.kind],
      owner: ctx.owner,
      dependsOn: [ctx.fabricRef, ...dependsOn],
      ...(ctx.system ? { system: ctx.system } : {}),
    },
  };
}

/**
 * The catalog name of a resource entity: `<fabric>.<kind>.<name>` (fabric names
 * hold no dots, so this is unique), shortened with a hash when longer than the
 * 63 characters an entity name may have.
 */
export function resourceEntityName(
  fabric: string,
  kind: EmittedKind,
  name: string,
): string {
  const full = `${fabric}.${kind.toLowerCase()}.${name}`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 54)}-${hash}`;
}

/** The entity ref of a resource entity. */
export function resourceEntityRef(
  fabric: string,
  kind: EmittedKind,
  name: string,
): string {
  return `resource:default/${resourceEntityName(fabric, kind, name)}`;
}

/**
 * Server → switch pairs of a Connection: every link with a `server` and a
 * `switch` end (unbundled, bundled, mclag, eslag). Fabric, mesh, gateway,
 * loopback and external connections join no server and yield nothing.
 */
export function serverSwitchLinks(
  connection: Record<string, any> | null | undefined,
): Array<{ server: string; switch: string }> {
  const spec = connection?.spec;
  if (!spec || typeof spec !== 'object') return [];
  const pairs: Array<{ server: string; switch: string }> = [];
  for (const body of Object.values(spec)) {
    if (!body || typeof body !== 'object') continue;
    const links = [
      ...(Array.isArray((body as any).links) ? (body as any).links : []),
      ...((body as any).link ? [(body as any).link] : []),
    ];
    for (const link of links) {
      const server = deviceOf(link?.server?.port);
      const sw = deviceOf(link?.switch?.port);
      if (server && sw) pairs.push({ server, switch: sw });
    }
  }
  return pairs;
}

/**
 * The ports a Connection uses, per device: `leaf-01/E1/34` is port `E1/34` of
 * `leaf-01` (every string field `port` of its spec, whatever the connection type).
 */
export function devicePorts(
  connection: Record<string, any> | null | undefined,
): Array<{ device: string; port: string }> {
  const out: Array<{ device: string; port: string }> = [];
  const walk = (node: unknown, field: string) => {
    if (Array.isArray(node)) node.forEach(item => walk(item, field));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, k);
    } else if (field === 'port' && typeof node === 'string') {
      const slash = node.indexOf('/');
      if (slash > 0 && slash < node.length - 1) {
        out.push({ device: node.slice(0, slash), port: node.slice(slash + 1) });
      }
    }
  };
  walk(connection?.spec, 'spec');
  return out;
}

/** The most ports a description lists. */
const MAX_DESCRIBED_PORTS = 200;

/**
 * A description that names the ports in use (`Ports in use: E1/1, E1/34`), in
 * natural order: Backstage's search indexes descriptions, so a port is found.
 */
function withPorts(description: string | undefined, ports: string[]): string | undefined {
  if (ports.length === 0) return description;
  const sorted = [...new Set(ports)].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const shown = sorted.slice(0, MAX_DESCRIBED_PORTS).join(', ');
  const more =
    sorted.length > MAX_DESCRIBED_PORTS
      ? ` and ${sorted.length - MAX_DESCRIBED_PORTS} more`
      : '';
  const text = `Ports in use: ${shown}${more}`;
  return description ? `${description}. ${text}` : text;
}

function deviceOf(port: unknown): string | undefined {
  if (typeof port !== 'string') return undefined;
  const slash = port.indexOf('/');
  return slash > 0 ? port.slice(0, slash) : undefined;
}

function managedBy(fabric: string): Record<string, string> {
  const location = locationOf(fabric);
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}

/** `backstage.io/view-url` for fabrics in a repository with a web tree URL. */
function viewUrl(fabric: Fabric, gitPath: string): Record<string, string> {
  const location = formatGitopsLocation(fabric.git);
  if (location.includes('#')) return {};
  const base = location.slice('url:'.length);
  const suffix = gitPath
    ? `/${gitPath.split('/').map(encodeURIComponent).join('/')}`
    : '';
  // GitHub and GitLab redirect a tree URL of a file to its blob view.
  return { [ANNOTATION_VIEW_URL]: `${base}${suffix}` };
}

function describe(
  kind: EmittedKind,
  spec: Record<string, any>,
): string | undefined {
  if (typeof spec.description === 'string' && spec.description.trim()) {
    return spec.description.trim();
  }
  if (kind === 'Switch' && typeof spec.role === 'string') {
    return `Hedgehog switch (${spec.role}${
      typeof spec.profile === 'string' ? `, profile ${spec.profile}` : ''
    })`;
  }
  if (kind === 'VPC' && spec.subnets && typeof spec.subnets === 'object') {
    const subnets = Object.entries(spec.subnets as Record<string, any>)
      .map(
        ([name, s]) =>
          `${name} ${s?.subnet ?? '?'}${
            s?.vlan !== undefined ? ` (VLAN ${s.vlan})` : ''
          }`,
      )
      .join(', ');
    return subnets ? `Hedgehog VPC: ${subnets}` : undefined;
  }
  return undefined;
}
