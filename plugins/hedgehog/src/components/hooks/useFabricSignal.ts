import {
  FabricSignal,
  fabricSignalChannel,
} from '@fabric-gitops/plugin-hedgehog-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef, useState } from 'react';

/**
 * With signals, a page following a run in progress still reads it after this long
 * without a message of it: an app that has the signals frontend plugin but whose
 * backend has no signals backend cannot tell its websocket never connects, and would
 * otherwise wait for messages that never come. Stages send messages far more often.
 */
export const SIGNAL_SILENCE_MS = 10_000;

/** How long a page following a run in progress waits before it reads the run again by itself. */
export function readAgainAfterMs(pollIntervalMs: number, isSignalsAvailable: boolean): number {
  return isSignalsAvailable ? Math.max(pollIntervalMs, SIGNAL_SILENCE_MS) : pollIntervalMs;
}

/** What a page learns from a fabric's signals channel. */
export interface FabricSignalState {
  /** The last message `select` kept. */
  signal?: FabricSignal;
  /**
   * How many messages `select` kept since the page subscribed: a dependency that
   * makes a read happen again on each (0 before the first).
   */
  key: number;
  /**
   * Whether the app has Backstage's signals API (the signals frontend plugin).
   * Without it pages poll as they did; with it they read again on messages, and a
   * run in progress after SIGNAL_SILENCE_MS without one.
   */
  isSignalsAvailable: boolean;
}

/**
 * Follows a fabric's run progress and state on its signals channel
 * (`hedgehog:fabric:<name>`). The messages carry ids, statuses and counts only: a
 * page reads the details again through the API (`key` changes on each message
 * `select` keeps).
 */
export function useFabricSignal(
  fabric: string,
  select: (message: FabricSignal) => boolean = () => true,
): FabricSignalState {
  const { lastSignal, isSignalsAvailable } = useSignal<FabricSignal>(
    fabricSignalChannel(fabric),
  );
  const selectRef = useRef(select);
  selectRef.current = select;
  const [state, setState] = useState<{ signal?: FabricSignal; key: number }>({
    key: 0,
  });
  useEffect(() => {
    if (!lastSignal || lastSignal.fabric !== fabric) return;
    if (!selectRef.current(lastSignal)) return;
    setState(s => ({ signal: lastSignal, key: s.key + 1 }));
  }, [lastSignal, fabric]);
  return { ...state, isSignalsAvailable };
}
