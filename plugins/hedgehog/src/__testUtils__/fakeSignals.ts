import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { DriftStatus, FabricSignal, FabricStatus, RunStatus, RunType } from '@fabric-gitops/plugin-hedgehog-common';
import { act } from '@testing-library/react';
import { NO_DRIFT } from './testUtils';

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

/** The messages the backend sends, for fabric `demo` unless told otherwise. */
export const signalMessage = {
  runEnded: (runId: string, status: RunStatus = 'succeeded', runType: RunType = 'sync'): FabricSignal => ({
    type: 'run.ended',
    fabric: 'demo',
    runId,
    runType,
    status,
  }),
  planEnded: (runId: string): FabricSignal => ({
    type: 'stage.ended',
    fabric: 'demo',
    runId,
    stage: 'plan',
    status: 'succeeded',
    counts: { files: 4 },
    errors: 0,
  }),
  fabricState: (status: FabricStatus, drift: Record<DriftStatus, number> = NO_DRIFT): FabricSignal => ({
    type: 'fabric.state',
    fabric: 'demo',
    status,
    drift,
  }),
};
