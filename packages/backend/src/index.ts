/*
 * The development and demo backend: catalog, scaffolder, guest sign-in, the
 * permission framework (an example policy: fabrics are read by everyone, synced,
 * applied and adopted into by their owners) and the hedgehog plugins.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth, with guest sign-in for local use
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));

// events: the bus the hedgehog plugin publishes sync outcomes to (and the catalog
// module reads); without it every publish is answered 404
backend.add(import('@backstage/plugin-events-backend'));

// permissions: the demo's policy (modules/demoPermissionPolicy) allows everything
// but the hedgehog fabrics' sync, drift, apply and adopt, which it leaves to each
// fabric's owners; replace the policy module for real use
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/demoPermissionPolicy'));

// actions for AI agents: the actions of the plugins listed in app-config's
// backend.actions.pluginSources (hedgehog:list-fabrics and the others the README lists) as MCP tools at
// /api/mcp-actions/v1
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// notifications: the hedgehog plugin tells each fabric's owner of failed or partial
// syncs, pull requests that fail validation and held-back prunes (per fabric
// `notifications`); without it those sends fail and are only logged
backend.add(import('@backstage/plugin-notifications-backend'));

// signals: pushes what plugins publish to the browsers over a websocket
// (/api/signals); the hedgehog pages follow runs and fabric states from it and
// poll only when the app has no signals plugin
backend.add(import('@backstage/plugin-signals-backend'));

// hedgehog fabric GitOps
backend.add(import('@fabric-gitops/plugin-hedgehog-backend'));
backend.add(import('./modules/demoFabric'));
// fabrics declared as catalog entities (a hedgehog module) and their switches,
// servers and VPCs in the catalog (a catalog module)
backend.add(
  import('@fabric-gitops/plugin-catalog-backend-module-hedgehog/catalog-fabrics'),
);
backend.add(import('@fabric-gitops/plugin-catalog-backend-module-hedgehog'));
// scaffolder actions hedgehog:fabric:bootstrap and hedgehog:resource:add
backend.add(import('@fabric-gitops/plugin-scaffolder-backend-module-hedgehog'));
// demo only: publish a new fabric to a local Git repository (no GitHub needed)
backend.add(import('./modules/demoPublish'));
backend.add(import('./modules/demoFileLocations'));

backend.start();
