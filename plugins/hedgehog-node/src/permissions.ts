import {
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_HEDGEHOG_FABRIC } from '@fabric-gitops/plugin-hedgehog-common';
import { z } from 'zod';
import { FabricDefinition } from './fabrics';

/**
 * What the fabric rules' `toQuery` gives: fabrics whose `property` is one of
 * `values` (the plugin evaluates its rules on fabric definitions in memory).
 *
 * @public
 */
export interface HedgehogFabricFilter {
  property: 'name' | 'owner';
  values: string[];
}

/**
 * The permission resource of the hedgehog plugin: a fabric (its definition),
 * referenced by its name. Rules of other modules are added for it through
 * `coreServices.permissionsRegistry.addPermissionRules`.
 *
 * @public
 */
export const hedgehogFabricPermissionResourceRef = createPermissionResourceRef<
  FabricDefinition,
  HedgehogFabricFilter
>().with({
  pluginId: 'hedgehog',
  resourceType: RESOURCE_TYPE_HEDGEHOG_FABRIC,
});

/**
 * The fabric's owner as a full, lower-case entity ref, as the catalog writes
 * `ownedBy` relations: `network` and `group:network` become
 * `group:default/network` (for a fabric of a catalog entity, the entity's
 * namespace instead of `default`). Undefined when the fabric has no owner or
 * the owner is not an entity ref.
 *
 * @public
 */
export function fabricOwnerRef(
  fabric: Pick<FabricDefinition, 'owner' | 'source'>,
): string | undefined {
  const owner = fabric.owner?.trim();
  if (!owner) return undefined;
  try {
    const ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entityNamespace(fabric.source) ?? 'default',
    });
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** The namespace of a definition's source when it is an entity ref (a catalog entity). */
function entityNamespace(source: string): string | undefined {
  if (!/^[a-z0-9]+:[^\s]+$/i.test(source)) return undefined;
  try {
    return parseEntityRef(source).namespace;
  } catch {
    return undefined;
  }
}

const lower = (values: string[]) =>
  new Set(values.map(v => v.toLocaleLowerCase('en-US')));

/**
 * `IS_FABRIC_OWNER`: fabrics whose owner (`hedgehog.fabrics[].owner`, or the
 * fabric entity's `spec.owner`) is one of `claims`, typically the user's
 * ownership entity refs (in a policy, `ownershipEntityRefs` of
 * `coreServices.userInfo.getUserInfo(user.credentials)`), as the catalog's
 * `IS_ENTITY_OWNER` rule. A fabric without an owner matches none.
 *
 * @public
 */
export const isFabricOwner = createPermissionRule({
  name: 'IS_FABRIC_OWNER',
  description:
    'Allow fabrics whose owner (hedgehog.fabrics[].owner or the fabric entity spec.owner) is one of the given claims',
  resourceRef: hedgehogFabricPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, e.g. the user ownership entity refs, of which the fabric owner must be one'),
  }),
  apply(fabric, { claims }) {
    const owner = fabricOwnerRef(fabric);
    return owner !== undefined && lower(claims).has(owner);
  },
  toQuery: ({ claims }) => ({ property: 'owner', values: [...lower(claims)] }),
});

/**
 * `HAS_FABRIC_NAME`: fabrics whose name is one of `names`.
 *
 * @public
 */
export const hasFabricName = createPermissionRule({
  name: 'HAS_FABRIC_NAME',
  description: 'Allow fabrics whose name is one of the given names',
  resourceRef: hedgehogFabricPermissionResourceRef,
  paramsSchema: z.object({
    names: z.array(z.string()).describe('Fabric names (hedgehog.fabrics[].name or the fabric entity name)'),
  }),
  apply: (fabric, { names }) => names.includes(fabric.name),
  toQuery: ({ names }) => ({ property: 'name', values: names }),
});

/**
 * The permission rules of the hedgehog plugin's fabrics, which the backend
 * plugin registers with its resource type.
 *
 * @public
 */
export const hedgehogFabricPermissionRules = { isFabricOwner, hasFabricName };

const fabricConditionExports = createConditionExports({
  resourceRef: hedgehogFabricPermissionResourceRef,
  rules: hedgehogFabricPermissionRules,
});

/**
 * Conditions on fabrics for permission policies:
 * `hedgehogFabricConditions.isFabricOwner({ claims: info.ownershipEntityRefs })`
 * (`info` from `coreServices.userInfo.getUserInfo(user.credentials)`),
 * `hedgehogFabricConditions.hasFabricName({ names: ['dc1'] })`.
 *
 * @public
 */
export const hedgehogFabricConditions = fabricConditionExports.conditions;

/**
 * Wraps fabric conditions into a policy decision, for a permission of
 * resource type `hedgehog-fabric`:
 *
 * ```ts
 * // in a policy module: deps { policy: policyExtensionPoint, userInfo: coreServices.userInfo }
 * if (user && isResourcePermission(request.permission, RESOURCE_TYPE_HEDGEHOG_FABRIC)) {
 *   const { ownershipEntityRefs } = await userInfo.getUserInfo(user.credentials);
 *   return createHedgehogFabricConditionalDecision(
 *     request.permission,
 *     hedgehogFabricConditions.isFabricOwner({ claims: ownershipEntityRefs }),
 *   );
 * }
 * ```
 *
 * @public
 */
export const createHedgehogFabricConditionalDecision =
  fabricConditionExports.createConditionalDecision;
