import {
  AuthService,
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { HedgehogClient } from '@fabric-gitops/plugin-hedgehog-common';
import {
  HEDGEHOG_EVENT_TOPIC,
  readConfiguredFabricSummaries,
} from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogEntityProvider } from './HedgehogEntityProvider';

/**
 * Catalog module with the hedgehog entity provider: switches, servers and VPCs
 * of every fabric (and fabric entities for the fabrics of app-config), refreshed
 * on a schedule (`catalog.providers.hedgehog.schedule`, default every 30
 * minutes) and after every sync that imported changes.
 *
 * @public
 */
export const catalogModuleHedgehogEntityProvider = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'hedgehog',
  register(env) {
    env.registerInit({
      deps: {
        catalogProcessing: catalogProcessingExtensionPoint,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({
        catalogProcessing,
        catalog,
        config,
        logger,
        auth,
        discovery,
        scheduler,
        events,
      }) {
        const providerConfig = config.getOptionalConfig(
          'catalog.providers.hedgehog',
        );
        const schedule = providerConfig?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              providerConfig.getConfig('schedule'),
            )
          : {
              frequency: { minutes: 30 },
              timeout: { minutes: 10 },
              initialDelay: { seconds: 15 },
            };
        const provider = new HedgehogEntityProvider({
          client: new HedgehogClient({
            discoveryApi: discovery,
            fetchApi: { fetch: pluginTokenFetch(auth) },
          }),
          catalog,
          auth,
          logger,
          taskRunner: scheduler.createScheduledTaskRunner(schedule),
          configuredFabrics: readConfiguredFabricSummaries(config),
          defaultOwner: providerConfig?.getOptionalString('defaultOwner'),
        });
        catalogProcessing.addEntityProvider(provider);
        await events.subscribe({
          id: 'hedgehog-entity-provider',
          topics: [HEDGEHOG_EVENT_TOPIC],
          onEvent: params => provider.onEvent(params),
        });
      },
    });
  },
});

/**
 * A fetch that calls the hedgehog backend with a plugin-to-plugin token of this
 * plugin's own service identity.
 *
 * @public
 */
export function pluginTokenFetch(
  auth: AuthService,
  fetchFn: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'hedgehog',
    });
    const headers = new Headers(init?.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetchFn(input, { ...init, headers });
  };
}
