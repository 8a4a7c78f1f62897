/**
 * Whether the backend can sign a returning guest in again. The sign-in page of
 * @backstage/core-components signs a returning guest in silently (one call to the
 * auth backend's guest refresh) and shows the sign-in page when that call fails —
 * also when the backend is only starting or restarting (the development backend
 * restarts on every source change). These helpers tell a backend that is not
 * answering yet from one that refuses, and wait for the first.
 */

/** localStorage key where the core sign-in page remembers the provider a user chose. */
export const PROVIDER_STORAGE_KEY = '@backstage/core:SignInPage:provider';

/**
 * One try of the guest refresh: `ok` when it signs in, `unavailable` when the
 * backend does not answer or answers that it is not ready (502, 503, 504),
 * `refused` for any other answer (no guest provider, guest sign-in not allowed).
 */
export type GuestRefreshOutcome = 'ok' | 'unavailable' | 'refused';

/** Sorts an HTTP answer of the guest refresh (a network failure is `unavailable`). */
export function refreshOutcome(status: number): GuestRefreshOutcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'refused';
}

/** Calls the guest refresh of the auth backend at `authBaseUrl` once, as the core sign-in page does. */
export async function tryGuestRefresh(authBaseUrl: string): Promise<GuestRefreshOutcome> {
  try {
    const res = await fetch(`${authBaseUrl}/guest/refresh`, {
      credentials: 'include',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    return refreshOutcome(res.status);
  } catch {
    // connection refused or reset: the backend is (re)starting
    return 'unavailable';
  }
}

export interface WaitOptions {
  /** How many tries at most (the first included). */
  attempts: number;
  /** Waits between two tries. */
  pause: () => Promise<void>;
  /** True once waiting no longer matters (the page went away or the user chose to stop). */
  cancelled?: () => boolean;
}

/**
 * Tries until the backend answers: `ok` or `refused` as soon as it says so,
 * `unavailable` when it did not answer within `attempts` tries (or waiting was cancelled).
 */
export async function waitForGuestRefresh(
  attempt: () => Promise<GuestRefreshOutcome>,
  { attempts, pause, cancelled = () => false }: WaitOptions,
): Promise<GuestRefreshOutcome> {
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await pause();
    if (cancelled()) break;
    const outcome = await attempt();
    if (outcome !== 'unavailable') return outcome;
  }
  return 'unavailable';
}
