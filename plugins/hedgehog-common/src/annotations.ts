/**
 * Annotation on a catalog entity of `spec.type: hedgehog-fabric`: where its GitOps
 * directory lives, as `url:<repository tree URL with branch and path>`.
 *
 * @public
 */
export const ANNOTATION_GITOPS_LOCATION = 'githedgehog.com/gitops-location';

/**
 * Annotation on a fabric entity naming the cluster (from `hedgehog.clusters[]`).
 *
 * @public
 */
export const ANNOTATION_CLUSTER = 'githedgehog.com/cluster';

/** Tracking annotation on managed resources: the raw file a resource came from. @public */
export const ANNOTATION_SOURCE_FILE = 'githedgehog.com/source-file';

/** Tracking annotation on managed resources: the document index in that file. @public */
export const ANNOTATION_SOURCE_INDEX = 'githedgehog.com/source-index';

/** Catalog `spec.type` of fabric entities. @public */
export const FABRIC_ENTITY_TYPE = 'hedgehog-fabric';

/** Field manager used for server-side apply. @public */
export const FIELD_MANAGER = 'backstage-hedgehog';

/**
 * Label on every object an apply sends, with the fabric's name: the fabric the
 * object belongs to. No other fabric changes, deletes or adopts it.
 *
 * @public
 */
export const APPLIED_BY_LABEL = 'hedgehog.backstage.io/fabric';

/**
 * Annotation on the switch, server and VPC entities of the catalog module: the
 * fabric the resource belongs to.
 *
 * @public
 */
export const ANNOTATION_FABRIC = 'githedgehog.com/fabric';

/** Annotation on resource entities: the Hedgehog kind of the resource. @public */
export const ANNOTATION_RESOURCE_KIND = 'githedgehog.com/resource-kind';

/** Annotation on resource entities: the Hedgehog name of the resource. @public */
export const ANNOTATION_RESOURCE_NAME = 'githedgehog.com/resource-name';

/**
 * Annotation on a fabric entity: the kinds the fabric manages, a preset (`all`,
 * `day2`, `wiring`) or kind names separated by commas. The fabric directory's
 * `.gitops/manifest.yaml` (`scope`) and app-config (`hedgehog.fabrics[].kinds`) win over it.
 *
 * @public
 */
export const ANNOTATION_KINDS = 'githedgehog.com/kinds';

/**
 * Annotation on a fabric entity: what the fabric's owner (`spec.owner`) is notified
 * of, `off`, `failures` (default) or `all` (see `NOTIFICATION_LEVELS`).
 *
 * @public
 */
export const ANNOTATION_NOTIFICATIONS = 'githedgehog.com/notifications';
