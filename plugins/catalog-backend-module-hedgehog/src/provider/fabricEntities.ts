import { Entity } from '@backstage/catalog-model';
import { listAll, mapLimited } from './fabricResources';
import {
  devicePorts,
  EmittedKind,
  RESOURCE_ENTITY_TYPES,
  FabricContext,
  FabricResource,
  fabricEntity,
  resourceEntity,
  resourceEntityRef,
  serverSwitchLinks,
} from './entities';
import type { HedgehogEntityProviderOptions } from './HedgehogEntityProvider';

/** The kinds that become entities (kind modules with a `catalogEntityType`), and Connection for their links. */
const DETAIL_KINDS = [...Object.keys(RESOURCE_ENTITY_TYPES), 'Connection'];

/**
 * The entities of one fabric: its fabric entity when the provider emits it, and its
 * switches, servers and VPCs (only what the fabric's Git defines), servers depending
 * on the switches their Connections lead to.
 */
export async function fabricEntities(
  options: Pick<
    HedgehogEntityProviderOptions,
    'client' | 'concurrency' | 'configuredFabrics'
  >,
  ctx: FabricContext & { emitFabric: boolean },
): Promise<Entity[]> {
  const { client } = options;
  const name = ctx.fabric.name;
  const lists = await Promise.all(
    DETAIL_KINDS.map(kind => listAll(client, name, kind)),
  );
  // Only what the fabric's Git defines: not objects only in the cluster
  // (orphaned, or another fabric's), which have no managed file.
  const items = lists
    .flat()
    .filter(i => i.gitPath !== '' && i.drift?.status !== 'orphaned_in_cluster');
  // The pages carry the desired objects; a backend too old to include them is asked per resource.
  const details = await mapLimited(
    items,
    options.concurrency ?? 8,
    async item => {
      if (item.desired !== undefined) return item.desired;
      try {
        return (
          (await client.getResource(name, item.kind, item.name)).desired ?? null
        );
      } catch {
        return null; // removed by a sync since the list was read: the next refresh has it right
      }
    },
  );

  const resources: FabricResource[] = [];
  const links = new Map<string, Set<string>>();
  const ports = new Map<string, string[]>();
  items.forEach((item, i) => {
    if (item.kind === 'Connection') {
      for (const { device, port } of devicePorts(details[i])) {
        if (!ports.has(device)) ports.set(device, []);
        ports.get(device)!.push(port);
      }
      for (const { server, switch: sw } of serverSwitchLinks(details[i])) {
        if (!links.has(server)) links.set(server, new Set());
        links.get(server)!.add(sw);
      }
      return;
    }
    resources.push({
      kind: item.kind as EmittedKind,
      name: item.name,
      gitPath: item.gitPath,
      desired: details[i],
    });
  });

  const switches = new Set(
    resources.filter(r => r.kind === 'Switch').map(r => r.name),
  );
  const entities: Entity[] = [];
  if (ctx.emitFabric) {
    entities.push(
      fabricEntity(ctx, options.configuredFabrics?.get(name)?.description),
    );
  }
  for (const resource of resources) {
    const dependsOn =
      resource.kind === 'Server'
        ? [...(links.get(resource.name) ?? [])]
            .filter(sw => switches.has(sw))
            .sort()
            .map(sw => resourceEntityRef(name, 'Switch', sw))
        : [];
    const used = resource.kind === 'VPC' ? [] : ports.get(resource.name) ?? [];
    entities.push(resourceEntity(ctx, resource, dependsOn, used));
  }
  return entities;
}
