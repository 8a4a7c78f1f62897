import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Replaces the app plugin's default sign-in page (guest) with one that waits for
 * a (re)starting backend before it asks a returning guest to sign in again.
 */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => (await import('./GuestSignInPage')).GuestSignInPage,
      },
    }),
  ],
});
