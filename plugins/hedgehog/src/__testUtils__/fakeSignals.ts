import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { FabricSignal } from '@fabric-gitops/plugin-hedgehog-common';
import { act } from '@testing-library/react';

/**
 * Backstage's signal API as the signals frontend plugin provides it, without the
 * websocket: `emit` delivers a message to the channel's subscribers as the
 * signals backend would.
 */
export function fakeSignalApi() {
  const subscribers = new Map<string, Set<(message: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = subscribers.get(channel) ?? new Set();
      set.add(onMessage as (message: any) => void);
      subscribers.set(channel, set);
      return {
        unsubscribe: () => {
          set.delete(onMessage as (message: any) => void);
        },
      };
    },
  };
  return {
    api,
    /** `[signalApiRef, api]` for TestApiProvider's `apis`. */
    entry: [signalApiRef, api] as const,
    /** The channels with subscribers now. */
    channels: () =>
      [...subscribers.entries()].filter(([, s]) => s.size > 0).map(([c]) => c),
    /** Delivers a message to the channel's subscribers (inside act). */
    async emit(channel: string, message: FabricSignal) {
      await act(async () => {
        for (const cb of [...(subscribers.get(channel) ?? [])]) cb(message);
      });
    },
  };
}
