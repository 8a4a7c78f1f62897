import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_KINDS,
  ANNOTATION_NOTIFICATIONS,
  KindScopeSetting,
  NOTIFICATION_LEVELS,
  NotificationLevel,
  readKindScope,
  ANNOTATION_GITOPS_LOCATION,
  FABRIC_ENTITY_TYPE,
  isValidLabel,
  parseGitopsLocation,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  FabricDefinition,
  FabricSource,
  FabricSourceContext,
} from '@fabric-gitops/plugin-hedgehog-node';
import { isProviderManaged } from '../provider/entities';

/**
 * A source of fabrics for the hedgehog backend plugin: catalog entities of
 * `kind: Resource`, `spec.type: hedgehog-fabric` with a
 * `githedgehog.com/gitops-location` annotation (see `parseGitopsLocation` in
 * -common for its forms) and optionally `githedgehog.com/cluster` naming a
 * cluster of `hedgehog.clusters`. The plugin asks the source before every
 * scheduling pass, so a new fabric entity needs no restart.
 *
 * Entities that cannot be a fabric (invalid name, unreadable location, a cluster
 * that is not configured, a name used by another fabric entity) are skipped with
 * a warning. Fabric entities emitted by this package's entity provider (for
 * fabrics of app-config) are skipped too: they mirror a definition the plugin
 * already has. The source yields to the plugin's other sources: an entity named
 * like a fabric of app-config or of a backend module describes that fabric
 * (owner, system, the fabric tab) and is not read as a definition.
 *
 * The source is `untrusted`: anyone who may register a catalog location can write
 * such an entity, so the plugin syncs its fabric only inside the catalog fabric
 * policy of app-config (`hedgehog.catalogFabrics`: allowed repositories, clusters
 * with `allowCatalogFabrics`, a highest write mode) and lists it as blocked, with
 * the reason, otherwise.
 *
 * @public
 */
export class CatalogFabricSource implements FabricSource {
  readonly id = 'catalog';
  readonly yieldsToOtherSources = true;
  readonly untrusted = true;
  private readonly warned = new Map<string, string>();
  private last?: FabricDefinition[];

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** Names of `hedgehog.clusters`; a fabric entity may name only these. */
      clusterNames: () => string[];
    },
  ) {}

  async getFabrics(context?: FabricSourceContext): Promise<FabricDefinition[]> {
    let items: Entity[];
    try {
      const credentials = await this.deps.auth.getOwnServiceCredentials();
      ({ items } = await this.deps.catalog.getEntities(
        { filter: { kind: 'Resource', 'spec.type': FABRIC_ENTITY_TYPE } },
        { credentials },
      ));
    } catch (e) {
      // The catalog is down or starting: keep the fabrics it defined before
      // rather than dropping their schedules.
      if (!this.last) throw e;
      this.deps.logger.warn(
        `hedgehog: reading fabric entities from the catalog failed, keeping the last ${this.last.length}: ${e}`,
      );
      return this.last;
    }
    const clusters = new Set(this.deps.clusterNames());
    const byName = new Map<string, FabricDefinition>();
    const seen = new Set<string>();
    const sorted = [...items].sort((a, b) => refOf(a).localeCompare(refOf(b)));
    for (const entity of sorted) {
      const ref = refOf(entity);
      seen.add(ref);
      if (isProviderManaged(entity)) continue;
      if (context?.taken.has(entity.metadata.name)) {
        this.warned.delete(ref);
        continue;
      }
      try {
        const fabric = fabricFromEntity(entity, clusters);
        const taken = byName.get(fabric.name);
        if (taken) {
          throw new Error(
            `the fabric name "${fabric.name}" is already used by ${taken.source}`,
          );
        }
        byName.set(fabric.name, fabric);
        this.warned.delete(ref);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (this.warned.get(ref) !== message) {
          this.warned.set(ref, message);
          this.deps.logger.warn(
            `hedgehog: catalog entity ${ref} is not used as a fabric: ${message}`,
          );
        }
      }
    }
    for (const ref of [...this.warned.keys()]) {
      if (!seen.has(ref)) this.warned.delete(ref);
    }
    this.last = [...byName.values()];
    return this.last;
  }
}

/**
 * The fabric a catalog entity defines. Throws with a message saying what is
 * wrong. Catalog fabrics ask to push to their branch (the plugin gives them at most
 * the write mode of its catalog fabric policy), apply only on request and never
 * prune; their schedule is the plugin-wide default.
 *
 * @public
 */
export function fabricFromEntity(
  entity: Entity,
  clusterNames: Set<string>,
): FabricDefinition {
  const name = entity.metadata.name;
  if (!isValidLabel(name)) {
    throw new Error(
      `metadata.name "${name}" is not a valid fabric name (an RFC 1123 label: lower-case letters, digits and '-', at most 63 characters)`,
    );
  }
  const annotations = entity.metadata.annotations ?? {};
  const location = annotations[ANNOTATION_GITOPS_LOCATION];
  if (!location) {
    throw new Error(`the annotation ${ANNOTATION_GITOPS_LOCATION} is missing`);
  }
  const git = parseGitopsLocation(location);
  const cluster = annotations[ANNOTATION_CLUSTER]?.trim() || undefined;
  if (cluster && !clusterNames.has(cluster)) {
    throw new Error(
      `${ANNOTATION_CLUSTER} names "${cluster}", which is not a cluster of hedgehog.clusters ` +
        `(known: ${
          [...clusterNames].join(', ') || 'none'
        }); a catalog entity can refer to a cluster only by a name defined in config`,
    );
  }
  const kindsAnnotation = annotations[ANNOTATION_KINDS];
  let entityKinds: KindScopeSetting | undefined;
  if (kindsAnnotation !== undefined) {
    const read = readKindScope(kindsAnnotation);
    if ('problem' in read) throw new Error(`${ANNOTATION_KINDS}: ${read.problem}`);
    entityKinds = read.setting;
  }
  const notifications = annotations[ANNOTATION_NOTIFICATIONS]?.trim();
  if (
    notifications !== undefined &&
    !(NOTIFICATION_LEVELS as readonly string[]).includes(notifications)
  ) {
    throw new Error(
      `${ANNOTATION_NOTIFICATIONS}: "${notifications}" is not one of ${NOTIFICATION_LEVELS.join(
        ', ',
      )}`,
    );
  }
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  return {
    name,
    title: entity.metadata.title ?? name,
    description: entity.metadata.description,
    git: { ...git, writeMode: 'push' },
    cluster,
    apply: 'manual',
    prune: false,
    ...(entityKinds ? { entityKinds } : {}),
    ...(notifications
      ? { notifications: notifications as NotificationLevel }
      : {}),
    source: refOf(entity),
    owner,
  };
}

function refOf(entity: Entity): string {
  return stringifyEntityRef(entity);
}
