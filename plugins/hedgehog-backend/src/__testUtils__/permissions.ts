import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * A permissions service whose decision depends only on the user and the
 * permission's name (ALLOW or DENY, never conditional; `authorize` and
 * `authorizeConditional` alike). For tests of what a route does once allowed;
 * per-fabric decisions are tested with the real permission backend and a
 * policy (service/fabricPermissions.test.ts).
 */
export function permissionsByUser(allowed: (user: string | undefined, permission: string) => boolean) {
  const decide = async (
    requests: Array<{ permission: { name: string } }>,
    options: { credentials: { principal: unknown } },
  ) =>
    requests.map(r => {
      const user = (options.credentials.principal as { userEntityRef?: string }).userEntityRef;
      return { result: allowed(user, r.permission.name) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY } as const;
    });
  return mockServices.permissions.mock({ authorize: decide, authorizeConditional: decide });
}
