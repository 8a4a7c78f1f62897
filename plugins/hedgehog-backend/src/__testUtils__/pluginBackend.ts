import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { BackendFeature, ServiceFactory } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { hedgehogPlugin } from '../plugin';

/**
 * The plugin in a test backend with its HTTP API: the given permissions service,
 * requests without an Authorization header unauthenticated (the default mock
 * would sign them in), no scheduled run at start, and `config` as app-config;
 * `extra`: more service factories or plugins.
 */
export function startPluginBackend(permissions: ServiceFactory, config: JsonObject, extra: BackendFeature[] = []) {
  return startTestBackend({
    features: [
      hedgehogPlugin,
      permissions,
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.rootConfig.factory({ data: config }),
      ...extra,
    ],
  });
}
