import {
  AuthService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventParams } from '@backstage/plugin-events-node';
import {
  FABRIC_ENTITY_TYPE,
  Fabric,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  ConfiguredFabricSummary,
  HEDGEHOG_EVENT_TOPIC,
} from '@fabric-gitops/plugin-hedgehog-node';
import {
  HedgehogReadApi,
  fabricRefOf,
  listAll,
  mapLimited,
} from './fabricResources';
import { MissingOwnerWarnings } from './missingOwners';
import {
  devicePorts,
  EmittedKind,
  RESOURCE_ENTITY_TYPES,
  FabricContext,
  FabricResource,
  fabricEntity,
  isProviderManaged,
  locationOf,
  resourceEntity,
  resourceEntityRef,
  serverSwitchLinks,
} from './entities';

/**
 * What the provider knows about a fabric of app-config beyond the API: its owner
 * and description (`readConfiguredFabricSummaries` of the hedgehog node library).
 */
export type ConfiguredFabric = ConfiguredFabricSummary;

/** Options of {@link HedgehogEntityProvider}. @public */
export interface HedgehogEntityProviderOptions {
  /** The hedgehog backend's API (a `HedgehogClient` with a plugin-to-plugin token). */
  client: HedgehogReadApi;
  /** Reads fabric entities of the catalog, for the owner of their resources. */
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Runs the periodic full refresh; none: refresh only on events and by hand. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** Owner and description of the fabrics of `hedgehog.fabrics`, by name. */
  configuredFabrics?: Map<string, ConfiguredFabric>;
  /** Owner when nothing else names one (default `group:default/unknown`). */
  defaultOwner?: string;
  /** How many resource details are read at once from a backend whose lists do not include them (default 8). */
  concurrency?: number;
}

/** The kinds that become entities (kind modules with a `catalogEntityType`), and Connection for their links. */
const DETAIL_KINDS = [...Object.keys(RESOURCE_ENTITY_TYPES), 'Connection'];

/**
 * Emits, per fabric of the hedgehog backend, Resource entities for its switches,
 * servers and VPCs (`spec.type` `hedgehog-switch`, `hedgehog-server`,
 * `hedgehog-vpc`), owned like the fabric and depending on the fabric entity;
 * servers also depend on the switches their Connections lead to. Fabrics of
 * app-config get a fabric entity too (catalog-defined fabrics have one).
 * Connections and attachments are not emitted.
 *
 * Every refresh is a full mutation: on the schedule, and after each sync that
 * imported changes (events topic `hedgehog`, `fabric.synced`).
 *
 * @public
 */
export class HedgehogEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private running?: Promise<void>;
  private again = false;
  private readonly ownerWarnings: MissingOwnerWarnings;

  constructor(private readonly options: HedgehogEntityProviderOptions) {
    this.ownerWarnings = new MissingOwnerWarnings(options);
  }

  getProviderName(): string {
    return 'hedgehog';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Handles an event of the `hedgehog` topic: a sync that imported changes. */
  async onEvent(params: EventParams): Promise<void> {
    const payload = params.eventPayload as
      | { type?: string; fabric?: string }
      | undefined;
    if (
      params.topic !== HEDGEHOG_EVENT_TOPIC ||
      payload?.type !== 'fabric.synced'
    )
      return;
    if (!this.connection) return;
    this.options.logger.debug(
      `hedgehog entity provider: fabric ${payload.fabric} synced, refreshing`,
    );
    try {
      await this.refresh();
    } catch (e) {
      this.options.logger.warn(
        `hedgehog entity provider: refresh after the sync of ${payload.fabric} failed: ${e}`,
      );
    }
  }

  /**
   * Reads every fabric and applies a full mutation. Calls while a refresh runs
   * are coalesced into one more refresh after it.
   */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(
        'hedgehog entity provider is not connected to the catalog yet',
      );
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.refreshOnce(this.connection!);
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async refreshOnce(connection: EntityProviderConnection) {
    const { client, logger } = this.options;
    const started = Date.now();
    // A blocked fabric (a catalog entity outside the policy) has no resources to emit.
    const fabrics = (await client.listFabrics()).items.filter(
      f => f.status !== 'blocked',
    );
    const contexts = await this.fabricContexts(fabrics);
    await this.ownerWarnings.check(contexts);
    const entities: Array<{ entity: Entity; locationKey: string }> = [];
    for (const ctx of contexts) {
      const locationKey = locationOf(ctx.fabric.name);
      for (const entity of await this.fabricEntities(ctx)) {
        entities.push({ entity, locationKey });
      }
    }
    await connection.applyMutation({ type: 'full', entities });
    logger.info(
      `hedgehog entity provider: ${entities.length} entities for ${
        fabrics.length
      } fabric(s) in ${Date.now() - started} ms`,
    );
  }

  /**
   * The fabric entity ref, owner and system of every fabric, and whether the
   * provider emits the fabric entity: it does for fabrics of app-config, unless
   * the catalog already has an entity of that name from elsewhere.
   */
  private async fabricContexts(
    fabrics: Fabric[],
  ): Promise<Array<FabricContext & { emitFabric: boolean }>> {
    const { catalog, auth } = this.options;
    const configured =
      this.options.configuredFabrics ?? new Map<string, ConfiguredFabric>();
    const defaultOwner = this.options.defaultOwner ?? 'group:default/unknown';
    const refs = fabrics.map(fabricRefOf);
    const found = new Map<string, Entity>();
    if (refs.length > 0) {
      const credentials = await auth.getOwnServiceCredentials();
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: refs },
        { credentials },
      );
      items.forEach((entity, i) => {
        if (
          entity &&
          entity.spec?.type === FABRIC_ENTITY_TYPE &&
          !isProviderManaged(entity)
        ) {
          found.set(refs[i], entity);
        }
      });
    }
    return fabrics.map((fabric, i) => {
      const fabricRef = refs[i];
      const entity = found.get(fabricRef);
      if (!entity && fabric.source === 'app-config') {
        return {
          fabric,
          fabricRef,
          owner: fabric.owner ?? configured.get(fabric.name)?.owner ?? defaultOwner,
          emitFabric: true,
        };
      }
      const owner =
        typeof entity?.spec?.owner === 'string'
          ? entity.spec.owner
          : fabric.owner ?? defaultOwner;
      const system =
        typeof entity?.spec?.system === 'string'
          ? entity.spec.system
          : undefined;
      return {
        fabric,
        fabricRef,
        owner,
        ...(system ? { system } : {}),
        emitFabric: false,
      };
    });
  }

  /** The entities of one fabric. */
  private async fabricEntities(
    ctx: FabricContext & { emitFabric: boolean },
  ): Promise<Entity[]> {
    const { client } = this.options;
    const name = ctx.fabric.name;
    const lists = await Promise.all(
      DETAIL_KINDS.map(kind => listAll(client, name, kind)),
    );
    // Only what the fabric's Git defines: not objects only in the cluster
    // (orphaned, or another fabric's), which have no managed file.
    const items = lists
      .flat()
      .filter(
        i => i.gitPath !== '' && i.drift?.status !== 'orphaned_in_cluster',
      );
    // The pages carry the desired objects; a backend too old to include them is asked per resource.
    const details = await mapLimited(
      items,
      this.options.concurrency ?? 8,
      async item => {
        if (item.desired !== undefined) return item.desired;
        try {
          return (
            (await client.getResource(name, item.kind, item.name)).desired ??
            null
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
        fabricEntity(
          ctx,
          this.options.configuredFabrics?.get(name)?.description,
        ),
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
      const used =
        resource.kind === 'VPC' ? [] : ports.get(resource.name) ?? [];
      entities.push(resourceEntity(ctx, resource, dependsOn, used));
    }
    return entities;
  }
}
