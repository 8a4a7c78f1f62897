import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The permission resource type of a fabric, whose resource ref is the fabric's
 * name (`dc1`); rules and conditions for it are in
 * `@fabric-gitops/plugin-hedgehog-node` (`hedgehogFabricConditions`).
 *
 * @public
 */
export const RESOURCE_TYPE_HEDGEHOG_FABRIC = 'hedgehog-fabric';

/**
 * Read fabrics, their resources, runs and unmanaged files.
 *
 * @public
 */
export const hedgehogFabricReadPermission = createPermission({
  name: 'hedgehog.fabric.read',
  attributes: { action: 'read' },
});

/**
 * Trigger a sync of a fabric (Git fetch, ingest, commit and push, import).
 *
 * @public
 */
export const hedgehogFabricSyncPermission = createPermission({
  name: 'hedgehog.fabric.sync',
  attributes: { action: 'update' },
});

/**
 * Apply a fabric's desired state to its cluster.
 *
 * @public
 */
export const hedgehogFabricApplyPermission = createPermission({
  name: 'hedgehog.fabric.apply',
  attributes: { action: 'update' },
});

/**
 * All permissions of the plugin.
 *
 * @public
 */
export const hedgehogPermissions = [
  hedgehogFabricReadPermission,
  hedgehogFabricSyncPermission,
  hedgehogFabricApplyPermission,
];
