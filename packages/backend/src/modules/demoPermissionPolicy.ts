/*
 * The demo's permission policy, an example of per-fabric permissions: every
 * signed-in user may read every fabric; syncing, checking drift, applying,
 * adopting and restoring a fabric are for its owners (IS_FABRIC_OWNER against the user's
 * ownership entity refs, from the user info service). Guest sign-in gives user:development/guest, a member
 * of group:default/guests (examples/org.yaml), which owns the demo fabric.
 * Everything outside the hedgehog plugin is allowed, as the allow-all policy
 * allowed it.
 */
import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  hedgehogFabricReadPermission,
  RESOURCE_TYPE_HEDGEHOG_FABRIC,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  createHedgehogFabricConditionalDecision,
  hedgehogFabricConditions,
} from '@fabric-gitops/plugin-hedgehog-node';

export class DemoPermissionPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!isResourcePermission(permission, RESOURCE_TYPE_HEDGEHOG_FABRIC)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(permission, hedgehogFabricReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user
      ? (await this.userInfo.getUserInfo(user.credentials)).ownershipEntityRefs
      : [];
    return createHedgehogFabricConditionalDecision(
      permission,
      hedgehogFabricConditions.isFabricOwner({ claims }),
    );
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new DemoPermissionPolicy(userInfo));
      },
    });
  },
});
