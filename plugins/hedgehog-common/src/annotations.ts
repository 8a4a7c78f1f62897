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
