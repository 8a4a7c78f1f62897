import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  hedgehogFabricAdoptPermission,
  hedgehogFabricRestorePermission,
  hedgehogFabricApplyPermission,
  hedgehogFabricReadPermission,
  hedgehogFabricSyncPermission,
} from '@fabric-gitops/plugin-hedgehog-common';
import { DemoPermissionPolicy } from './demoPermissionPolicy';

const guestInfo = {
  userEntityRef: 'user:development/guest',
  ownershipEntityRefs: ['user:development/guest', 'group:default/guests'],
};
const guest = {
  credentials: {
    $$type: '@backstage/BackstageCredentials' as const,
    principal: { type: 'user', userEntityRef: guestInfo.userEntityRef },
  },
  info: guestInfo,
};

describe('DemoPermissionPolicy', () => {
  const userInfo = { getUserInfo: jest.fn(async () => guestInfo) };
  const policy = new DemoPermissionPolicy(userInfo);

  it('allows what is not the hedgehog plugin, and reading every fabric', async () => {
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    for (const permission of [catalogRead, hedgehogFabricReadPermission]) {
      expect(await policy.handle({ permission }, guest)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it("leaves sync, apply, adopt and restore to the fabric's owners", async () => {
    for (const permission of [
      hedgehogFabricSyncPermission,
      hedgehogFabricApplyPermission,
      hedgehogFabricAdoptPermission,
      hedgehogFabricRestorePermission,
    ]) {
      expect(await policy.handle({ permission }, guest)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'hedgehog',
        resourceType: 'hedgehog-fabric',
        conditions: {
          rule: 'IS_FABRIC_OWNER',
          resourceType: 'hedgehog-fabric',
          params: { claims: guestInfo.ownershipEntityRefs },
        },
      });
    }
    expect(userInfo.getUserInfo).toHaveBeenCalledWith(guest.credentials);
    // without a user (not signed in) no claim matches
    expect(
      await policy.handle({ permission: hedgehogFabricSyncPermission }),
    ).toMatchObject({ conditions: { params: { claims: [] } } });
  });
});
