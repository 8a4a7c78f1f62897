import { Progress, SignInPage } from '@backstage/core-components';
import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import {
  PROVIDER_STORAGE_KEY,
  tryGuestRefresh,
  waitForGuestRefresh,
} from './guestSession';

/** How long a returning guest waits for a (re)starting backend before the sign-in page shows. */
const WAIT_SECONDS = 90;

/**
 * The app's sign-in page: the core sign-in page with the guest provider, which
 * signs a returning guest in again without asking. When the backend does not
 * answer yet (it is starting, or the development backend restarts after a change),
 * a returning guest waits for it on this page, for up to WAIT_SECONDS, instead
 * of being asked to sign in again; then the core page signs them in.
 */
export function GuestSignInPage(props: SignInPageProps) {
  const discoveryApi = useApi(discoveryApiRef);
  const [returning] = useState(
    () => localStorage.getItem(PROVIDER_STORAGE_KEY) === 'guest',
  );
  const [waiting, setWaiting] = useState(returning);
  const [stopped, setStopped] = useState(false);

  useEffect(() => {
    if (!returning) return undefined;
    let cancelled = false;
    (async () => {
      const authBaseUrl = await discoveryApi.getBaseUrl('auth');
      await waitForGuestRefresh(() => tryGuestRefresh(authBaseUrl), {
        attempts: WAIT_SECONDS,
        pause: () => new Promise(resolve => setTimeout(resolve, 1000)),
        cancelled: () => cancelled,
      });
    })()
      .catch(() => undefined)
      .finally(() => {
        if (!cancelled) setWaiting(false);
      });
    return () => {
      cancelled = true;
    };
  }, [returning, discoveryApi]);

  if (waiting && !stopped) {
    return (
      <Box p={4} data-testid="guest-sign-in-waiting">
        <Typography variant="h6" gutterBottom>
          Signing you in as guest again
        </Typography>
        <Typography variant="body2" paragraph>
          Waiting for the backend to answer (it may be starting or restarting).
        </Typography>
        <Progress />
        <Box mt={2}>
          <Button variant="outlined" onClick={() => setStopped(true)}>
            Show the sign-in page
          </Button>
        </Box>
      </Box>
    );
  }
  return <SignInPage {...props} providers={['guest']} />;
}
