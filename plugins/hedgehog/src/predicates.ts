import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_GITOPS_LOCATION,
  FABRIC_ENTITY_TYPE,
} from '@fabric-gitops/plugin-hedgehog-common';

/**
 * Whether an entity is a Hedgehog fabric (DESIGN.md §3): it carries the
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
