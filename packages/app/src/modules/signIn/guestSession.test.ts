import { GuestRefreshOutcome, refreshOutcome, waitForGuestRefresh } from './guestSession';

describe('guest sign-in again after a reload', () => {
  it('sorts answers of the guest refresh: signed in, not ready yet, refused', () => {
    expect(refreshOutcome(200)).toBe('ok');
    for (const status of [502, 503, 504]) expect(refreshOutcome(status)).toBe('unavailable');
    for (const status of [401, 403, 404, 500]) expect(refreshOutcome(status)).toBe('refused');
  });

  function answers(...outcomes: GuestRefreshOutcome[]) {
    const calls: number[] = [];
    return {
      calls,
      attempt: async () => {
        calls.push(calls.length);
        return outcomes[Math.min(calls.length - 1, outcomes.length - 1)];
      },
    };
  }

  it('tries again while the backend does not answer, and stops at its first answer', async () => {
    const backend = answers('unavailable', 'unavailable', 'ok');
    let pauses = 0;
    const outcome = await waitForGuestRefresh(backend.attempt, { attempts: 10, pause: async () => void pauses++ });
    expect(outcome).toBe('ok');
    expect(backend.calls).toHaveLength(3);
    expect(pauses).toBe(2);
  });

  it('does not wait for a backend that refuses guest sign-in', async () => {
    const backend = answers('unavailable', 'refused', 'ok');
    expect(await waitForGuestRefresh(backend.attempt, { attempts: 10, pause: async () => {} })).toBe('refused');
    expect(backend.calls).toHaveLength(2);
  });

  it('gives up after the tries it was given, or once cancelled', async () => {
    const down = answers('unavailable');
    expect(await waitForGuestRefresh(down.attempt, { attempts: 4, pause: async () => {} })).toBe('unavailable');
    expect(down.calls).toHaveLength(4);

    const left = answers('unavailable');
    let cancelled = false;
    const outcome = await waitForGuestRefresh(left.attempt, {
      attempts: 10,
      pause: async () => {
        cancelled = true;
      },
      cancelled: () => cancelled,
    });
    expect(outcome).toBe('unavailable');
    expect(left.calls).toHaveLength(1);
  });
});
