import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import hedgehogPlugin from '@fabric-gitops/plugin-hedgehog/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// app-config's `app.packages: all` also discovers these plugins from this
// package's dependencies; the app keeps one instance per plugin id, so listing
// them here does not register them twice (checked in the browser by the
// e2e tests: one "Fabric" tab, one "Fabrics" nav item).
export default createApp({
  // signals: the live updates of the hedgehog pages (runs, fabric states) and of notifications
  features: [
    catalogPlugin,
    signalsPlugin,
    hedgehogPlugin,
    notificationsPlugin,
    navModule,
    signInModule,
  ],
});
