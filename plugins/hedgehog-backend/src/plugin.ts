import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { ScmIntegrations } from '@backstage/integration';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  hedgehogFabricCreatePermission,
  hedgehogPermissions,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  FabricSource,
  hedgehogFabricPermissionResourceRef,
  hedgehogFabricPermissionRules,
  hedgehogFabricsExtensionPoint,
} from '@fabric-gitops/plugin-hedgehog-node';
import { registerActions } from './actions';
import { DatabaseHedgehogStore } from './database/DatabaseHedgehogStore';
import { askpassIn, removeAskpassHelpers } from './git/askpass';
import { GitCredentialsResolver } from './git/credentials';
import { closeObjectReaders } from './git/ObjectReader';
import { WebhookDeliveryLog } from './github/DeliveryLog';
import { readHedgehogOptions } from './service/config';
import { FabricRegistry } from './service/FabricRegistry';
import { HedgehogService } from './service/HedgehogService';
import { FabricAuthorizer } from './service/FabricAuthorizer';
import { createRouter } from './service/router';
import { scheduleFabrics } from './service/scheduleFabrics';

/**
 * The hedgehog backend plugin: syncs fabric GitOps directories from Git into the
 * database on a schedule and on demand, and serves them at /api/hedgehog.
 *
 * @public
 */
export const hedgehogPlugin = createBackendPlugin({
  pluginId: 'hedgehog',
  register(env) {
    const sources: FabricSource[] = [];
    env.registerExtensionPoint(hedgehogFabricsExtensionPoint, {
      addFabricSource(source) {
        sources.push(source);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        cache: coreServices.cache,
        auditor: coreServices.auditor,
        events: eventsServiceRef,
        // without the notifications backend its sends fail: logged, never failing a run
        notifications: notificationService,
        // default factory: through the events service; the signals backend delivers them to browsers
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const options = readHedgehogOptions(deps.config);
        // Refused at start when another user owns the working directory or may write to it
        // (it holds the askpass helper git runs with the credentials in its environment).
        await askpassIn(options.workingDirectory);
        const store = await DatabaseHedgehogStore.create({ database: deps.database });
        const registry = new FabricRegistry(
          options.fabrics,
          sources,
          deps.logger,
          new Set(options.clusters.map(c => c.name)),
          options.catalogFabrics,
        );
        const integrations = ScmIntegrations.fromConfig(deps.config);
        const service = new HedgehogService({
          store,
          registry,
          credentials: new GitCredentialsResolver(integrations),
          options,
          logger: deps.logger,
          events: deps.events,
          integrations,
          deliveries: new WebhookDeliveryLog(deps.cache),
          auditor: deps.auditor,
          notifications: deps.notifications,
          signals: deps.signals,
        });
        // Every permission is checked against a fabric (resource ref = its name). The
        // permission backend resolves conditional decisions on a fabric (the frontend's
        // usePermission with a resourceRef) through getResources; the router evaluates
        // the same rules itself (FabricAuthorizer).
        deps.permissionsRegistry.addResourceType({
          resourceRef: hedgehogFabricPermissionResourceRef,
          permissions: hedgehogPermissions,
          rules: Object.values(hedgehogFabricPermissionRules),
          getResources: async names => names.map(name => service.findFabric(name)),
        });
        // Adding a fabric: no fabric to check it against yet.
        deps.permissionsRegistry.addPermissions([hedgehogFabricCreatePermission]);

        // GitHub cannot sign in to Backstage: the X-Hub-Signature-256 HMAC authenticates its deliveries.
        deps.httpRouter.addAuthPolicy({ path: '/webhooks/github', allow: 'unauthenticated' });
        deps.httpRouter.use(
          createRouter({
            service,
            store,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            logger: deps.logger,
            fabricRules: deps.permissionsRegistry.getPermissionRuleset(hedgehogFabricPermissionResourceRef),
          }),
        );

        // The actions for AI agents (MCP), with the router's permission checks.
        registerActions(deps.actionsRegistry, {
          service,
          store,
          auditor: deps.auditor,
          authorizer: new FabricAuthorizer(
            deps.permissions,
            name => service.findFabric(name),
            deps.permissionsRegistry.getPermissionRuleset(hedgehogFabricPermissionResourceRef),
          ),
        });

        await service.coordinator.sweepStaleRuns();
        await scheduleFabrics({ scheduler: deps.scheduler, registry, service, options, logger: deps.logger });
        deps.lifecycle.addShutdownHook(async () => {
          // the runs under way end first: their git processes write into the working directory
          await service.coordinator.stop();
          await service.validation.close();
          // a read still under way falls back to a git process of its own
          closeObjectReaders();
          return removeAskpassHelpers();
        });
      },
    });
  },
});
