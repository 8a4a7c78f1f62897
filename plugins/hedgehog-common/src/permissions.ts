import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The permission resource type of a fabric. Every permission of the plugin is
 * a resource permission of this type: it is checked against one fabric, whose
 * resource ref is the fabric's name (`dc1`), so a policy may allow it for some
 * fabrics only, with the rules of `@fabric-gitops/plugin-hedgehog-node`
 * (`hedgehogFabricConditions`).
 *
 * @public
 */
export const RESOURCE_TYPE_HEDGEHOG_FABRIC = 'hedgehog-fabric';

/**
 * Read a fabric: its status, resources, runs, unmanaged files, pull requests
 * and cluster status; `GET /fabrics` lists only the fabrics a user may read,
 * and `POST /validate` with a fabric needs it on that fabric.
 *
 * @public
 */
export const hedgehogFabricReadPermission = createPermission({
  name: 'hedgehog.fabric.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_HEDGEHOG_FABRIC,
});

/**
 * Sync a fabric (Git fetch, ingest, commit and push, import) and check its
 * drift against its cluster.
 *
 * @public
 */
export const hedgehogFabricSyncPermission = createPermission({
  name: 'hedgehog.fabric.sync',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_HEDGEHOG_FABRIC,
});

/**
 * Apply a fabric's desired state to its cluster (also a sync that asks to
 * apply, which needs sync as well).
 *
 * @public
 */
export const hedgehogFabricApplyPermission = createPermission({
  name: 'hedgehog.fabric.apply',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_HEDGEHOG_FABRIC,
});

/**
 * Adopt a resource's cluster value into the fabric's Git repository: a pull
 * request, or in write mode `push` a commit pushed straight to the fabric's
 * branch. Not implied by sync.
 *
 * @public
 */
export const hedgehogFabricAdoptPermission = createPermission({
  name: 'hedgehog.fabric.adopt',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_HEDGEHOG_FABRIC,
});

/**
 * Restore a fabric's `managed/` to a synced commit: a commit pushed to the
 * fabric's branch (write mode `push`, then a sync) or a pull request. Not implied
 * by sync.
 *
 * @public
 */
export const hedgehogFabricRestorePermission = createPermission({
  name: 'hedgehog.fabric.restore',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_HEDGEHOG_FABRIC,
});

/**
 * Add a fabric from the portal: check a repository with the backend's Git
 * credentials (`POST /fabrics/probe`: reachable? what does the directory hold?)
 * and prepare its registration. A basic permission (no fabric exists yet to check
 * it against); read-only for Git, but it makes the backend contact a repository
 * the user names, so a policy grants it to the people who may add fabrics.
 *
 * @public
 */
export const hedgehogFabricCreatePermission = createPermission({
  name: 'hedgehog.fabric.create',
  attributes: { action: 'create' },
});

/**
 * All resource permissions of the plugin (of type `hedgehog-fabric`);
 * `hedgehogFabricCreatePermission` is the one basic permission beside them.
 *
 * @public
 */
export const hedgehogPermissions = [
  hedgehogFabricReadPermission,
  hedgehogFabricSyncPermission,
  hedgehogFabricApplyPermission,
  hedgehogFabricAdoptPermission,
  hedgehogFabricRestorePermission,
];
