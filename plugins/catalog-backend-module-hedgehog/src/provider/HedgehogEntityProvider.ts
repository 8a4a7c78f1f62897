import {
  AuthService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
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
import { fabricEntities } from './fabricEntities';
import { HedgehogReadApi, fabricRefOf } from './fabricResources';
import { MissingOwnerWarnings } from './missingOwners';
import { FabricContext, isProviderManaged, locationOf } from './entities';

/**
 * What the provider knows about a fabric of app-config beyond the API: its owner
 * and description (`readConfiguredFabricSummaries` of the hedgehog node library).
 *
 * @public
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

/**
 * Emits, per fabric of the hedgehog backend, Resource entities for its switches,
 * servers and VPCs (`spec.type` `hedgehog-switch`, `hedgehog-server`,
 * `hedgehog-vpc`), owned like the fabric and depending on the fabric entity;
 * servers also depend on the switches their Connections lead to. Fabrics of
 * app-config get a fabric entity too (catalog-defined fabrics have one).
 * Connections and attachments are not emitted.
 *
 * On the schedule (and by hand) a refresh is a full mutation of every fabric's
 * entities. After a sync that imported changes (events topic `hedgehog`,
 * `fabric.synced`) only that fabric is read again and applied as a delta mutation:
 * its entities added (the catalog skips those that did not change) and those it no
 * longer has removed, as the GitHub provider does on its events; other fabrics are
 * not read. Before the first full refresh, an event asks for a full one.
 *
 * @public
 */
export class HedgehogEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private running?: Promise<void>;
  private again = false;
  private readonly ownerWarnings: MissingOwnerWarnings;
  /** The entity refs the last mutations emitted, per fabric. */
  private readonly emitted = new Map<string, Set<string>>();

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
      `hedgehog entity provider: fabric ${payload.fabric} synced, refreshing it`,
    );
    try {
      await (payload.fabric
        ? this.refreshFabric(payload.fabric)
        : this.refresh());
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

  /**
   * Reads one fabric again and applies its entities as a delta mutation. While
   * another refresh runs, a full refresh follows it instead (it covers this one).
   */
  async refreshFabric(name: string): Promise<void> {
    const before = this.emitted.get(name);
    if (!this.connection || this.running || !before) return this.refresh();
    const connection = this.connection;
    this.running = (async () => {
      try {
        const started = Date.now();
        const fabric = (await this.options.client.listFabrics()).items.find(
          f => f.name === name && f.status !== 'blocked',
        );
        const entities = fabric
          ? await fabricEntities(
              this.options,
              (
                await this.fabricContexts([fabric])
              )[0],
            )
          : [];
        const locationKey = locationOf(name);
        const refs = new Set(entities.map(e => stringifyEntityRef(e)));
        const removed = [...before].filter(r => !refs.has(r));
        await connection.applyMutation({
          type: 'delta',
          added: entities.map(entity => ({ entity, locationKey })),
          removed: removed.map(entityRef => ({ entityRef, locationKey })),
        });
        this.emitted.set(name, refs);
        this.options.logger.info(
          `hedgehog entity provider: fabric ${name}: ${
            entities.length
          } entities, ${removed.length} removed, in ${Date.now() - started} ms`,
        );
      } finally {
        this.running = undefined;
      }
    })();
    await this.running;
    if (this.again) await this.refresh();
    return undefined;
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
    const emitted = new Map<string, Set<string>>();
    for (const ctx of contexts) {
      const locationKey = locationOf(ctx.fabric.name);
      const refs = new Set<string>();
      for (const entity of await fabricEntities(this.options, ctx)) {
        entities.push({ entity, locationKey });
        refs.add(stringifyEntityRef(entity));
      }
      emitted.set(ctx.fabric.name, refs);
    }
    await connection.applyMutation({ type: 'full', entities });
    this.emitted.clear();
    for (const [name, refs] of emitted) this.emitted.set(name, refs);
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
          owner:
            fabric.owner ?? configured.get(fabric.name)?.owner ?? defaultOwner,
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
}
