import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_FABRIC,
  ANNOTATION_GITOPS_LOCATION,
  ANNOTATION_RESOURCE_KIND,
  ANNOTATION_RESOURCE_NAME,
  FABRIC_ENTITY_TYPE,
} from '@fabric-gitops/plugin-hedgehog-common';

/**
 * Whether an entity is a Hedgehog fabric the backend can sync: it carries the
 * `githedgehog.com/gitops-location` annotation. A `Resource` of
 * `spec.type: hedgehog-fabric` without the annotation is not shown the tab,
 * since the backend could not know where its GitOps directory is.
 *
 * @public
 */
export function isHedgehogFabricAvailable(entity: Entity): boolean {
  const location = entity.metadata.annotations?.[ANNOTATION_GITOPS_LOCATION];
  return typeof location === 'string' && location.trim() !== '';
}

/**
 * Whether an entity is of the fabric entity type (`spec.type: hedgehog-fabric`).
 *
 * @public
 */
export function isHedgehogFabricEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === FABRIC_ENTITY_TYPE
  );
}

/**
 * The fabric name of a fabric entity: the entity name (fabrics are merged by
 * name between app-config and the catalog).
 *
 * @public
 */
export function fabricNameOf(entity: Entity): string {
  return entity.metadata.name;
}

/** The fabric resource a catalog entity stands for. @public */
export interface FabricResourceRef {
  fabric: string;
  kind: string;
  name: string;
}

/**
 * The fabric, kind and name of a switch, server or VPC entity of the catalog
 * module (its `githedgehog.com/fabric`, `resource-kind` and `resource-name`
 * annotations); undefined for other entities.
 *
 * @public
 */
export function fabricResourceOf(
  entity: Entity,
): FabricResourceRef | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const fabric = annotations[ANNOTATION_FABRIC]?.trim();
  const kind = annotations[ANNOTATION_RESOURCE_KIND]?.trim();
  const name = annotations[ANNOTATION_RESOURCE_NAME]?.trim();
  return fabric && kind && name ? { fabric, kind, name } : undefined;
}

/**
 * Whether an entity is a switch, server or VPC of a fabric.
 *
 * @public
 */
export function isHedgehogResourceEntity(entity: Entity): boolean {
  return fabricResourceOf(entity) !== undefined;
}

/**
 * The entity ref of the fabric entity a resource entity depends on: the
 * `dependsOn` relation (or `spec.dependsOn` entry) to a Resource named like the
 * fabric, else `resource:default/<fabric>`.
 */
export function fabricEntityRefOf(entity: Entity, fabric: string): string {
  const refs = [
    ...(entity.relations ?? [])
      .filter(r => r.type === 'dependsOn')
      .map(r => r.targetRef),
    ...(Array.isArray(entity.spec?.dependsOn)
      ? (entity.spec!.dependsOn as unknown[]).filter(
          (r): r is string => typeof r === 'string',
        )
      : []),
  ];
  for (const ref of refs) {
    try {
      const parsed = parseEntityRef(ref, {
        defaultKind: 'resource',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      });
      if (
        parsed.kind.toLocaleLowerCase('en-US') === 'resource' &&
        parsed.name === fabric
      ) {
        return `resource:${parsed.namespace}/${parsed.name}`;
      }
    } catch {
      // not an entity ref: skip it
    }
  }
  return `resource:default/${fabric}`;
}
