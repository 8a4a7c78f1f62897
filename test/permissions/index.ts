/*
 * Backstage's real permission framework for a backend in startTestBackend:
 *  - the permission backend plugin (@backstage/plugin-permission-backend) with
 *    the given policy, installed through `policyExtensionPoint`;
 *  - the real permissions service of every plugin (ServerPermissionClient: it asks
 *    the permission backend over HTTP, through the test backend's discovery);
 *  - `permission.enabled: true` (merge `config` into the backend's root config);
 *  - user info (what a policy gets as `user.info`) with ownership entity refs from
 *    a table, the user's own ref otherwise;
 *  - mock tokens as Backstage's auth service treats them: credentials that a plugin
 *    obtained on behalf of a user carry that plugin as actor. The mock tokens of
 *    @backstage/backend-test-utils drop it, and without it the permission backend
 *    refuses a plugin's conditional query (a resource permission without a
 *    resourceRef) as if the user had sent it directly.
 */
import {
  BackendFeature,
  BackstageCredentials,
  coreServices,
  createBackendModule,
  createServiceFactory,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { JsonObject } from '@backstage/types';

export interface RealPermissionsOptions {
  /** The policy, or how to make it from the services a policy module gets. */
  policy: PermissionPolicy | ((services: { userInfo: UserInfoService }) => PermissionPolicy);
  /** User entity ref -> ownership entity refs (the user and its groups). */
  ownership?: Record<string, string[]>;
}

const SERVICE_TOKEN_PREFIX = 'mock-service-token:';

export function realPermissionFramework(options: RealPermissionsOptions): {
  features: BackendFeature[];
  config: JsonObject;
} {
  const policyModule = createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
        async init({ policy, userInfo }) {
          policy.setPolicy(typeof options.policy === 'function' ? options.policy({ userInfo }) : options.policy);
        },
      });
    },
  });

  const userInfo = createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const principal = credentials.principal as { type: string; userEntityRef?: string };
        if (principal.type !== 'user' || !principal.userEntityRef) throw new Error(`no user info for a ${principal.type} principal`);
        const ref = principal.userEntityRef;
        return { userEntityRef: ref, ownershipEntityRefs: options.ownership?.[ref] ?? [ref] };
      },
    }),
  });

  const httpAuth = createServiceFactory({
    service: coreServices.httpAuth,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }) {
      // requests without an Authorization header are unauthenticated
      const inner = mockServices.httpAuth({ pluginId: plugin.getId(), defaultCredentials: mockCredentials.none() });
      return {
        async credentials(req: any, credentialOptions?: any) {
          const credentials = await inner.credentials(req, credentialOptions);
          const token = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
          if (token?.startsWith(SERVICE_TOKEN_PREFIX) && (credentials.principal as { type: string }).type === 'user') {
            const { obo } = JSON.parse(token.slice(SERVICE_TOKEN_PREFIX.length));
            return mockCredentials.user(obo, { actor: { subject: 'plugin:on-behalf-of' } }) as any;
          }
          return credentials;
        },
        issueUserCookie: (res: any, cookieOptions?: any) => inner.issueUserCookie(res, cookieOptions),
      };
    },
  });

  return {
    features: [
      permissionPlugin,
      policyModule,
      mockServices.permissions.factory(),
      userInfo,
      httpAuth,
    ],
    config: { permission: { enabled: true } },
  };
}
