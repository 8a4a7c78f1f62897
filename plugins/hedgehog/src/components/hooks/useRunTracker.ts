import { useApi } from '@backstage/core-plugin-api';
import { RunDetail, signalRunId } from '@fabric-gitops/plugin-hedgehog-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { hedgehogApiRef } from '../../api';
import { isExpectedApiError } from '../shared/errors';
import { isRunActive } from '../shared/status';
import { readAgainAfterMs, useFabricSignal } from './useFabricSignal';

/** The actions of the status header. */
export type RunAction =
  | { type: 'sync' }
  | { type: 'apply'; dryRun?: boolean; confirmPrune?: number }
  | { type: 'drift' };

/** Failed reads of a run in a row after which the tracker stops following it. */
export const MAX_POLL_FAILURES = 5;
/** The longest wait between two reads of a run that keep failing. */
const MAX_POLL_BACKOFF_MS = 30_000;

/**
 * The wait before the next read of a run after `failures` failed reads in a
 * row: the poll interval, doubled per failure (network blips, a backend
 * restarting), at most 30 s.
 */
export function pollDelay(pollIntervalMs: number, failures: number): number {
  return Math.min(pollIntervalMs * 2 ** failures, MAX_POLL_BACKOFF_MS);
}

export interface RunTracker {
  /** The id of the tracked run, once the backend accepted the request. */
  runId?: string;
  /** The latest state of the tracked run. */
  run?: RunDetail;
  /** Why starting or polling failed (the backend's message). */
  error?: Error;
  /** Failed reads of the run in a row, while they are retried. */
  failedPolls: number;
  /**
   * Reading the run failed for good (MAX_POLL_FAILURES times in a row, or an
   * answer that will not change, such as 404): the run may still be going on.
   */
  stoppedFollowing: boolean;
  /** A request is being sent or the tracked run is queued or running. */
  busy: boolean;
  start(action: RunAction): Promise<void>;
  /** Follows a run started elsewhere (the schedule, another user). */
  follow(runId: string): void;
  dismiss(): void;
}

/**
 * Starts sync/apply/drift runs of a fabric and follows the run until it ends,
 * stage by stage: with Backstage's signals it reads `GET /runs/:id` again on each
 * message of the run on the fabric's channel, without them it polls. Calls
 * `onFinished` once when a tracked run ends.
 */
export function useRunTracker(
  fabric: string,
  options: { pollIntervalMs: number; onFinished?: (run: RunDetail) => void },
): RunTracker {
  const api = useApi(hedgehogApiRef);
  const { pollIntervalMs } = options;
  const onFinished = useRef(options.onFinished);
  onFinished.current = options.onFinished;

  const [runId, setRunId] = useState<string>();
  const [run, setRun] = useState<RunDetail>();
  const [error, setError] = useState<Error>();
  const [starting, setStarting] = useState(false);
  const [failedPolls, setFailedPolls] = useState(0);
  const [stoppedFollowing, setStoppedFollowing] = useState(false);
  // a message of the tracked run: read it again
  const runSignal = useFabricSignal(
    fabric,
    m => runId !== undefined && signalRunId(m) === runId,
  );
  const { isSignalsAvailable } = runSignal;
  /** The run whose end was reported (messages after its final record read nothing more). */
  const finishedRun = useRef<string>();
  const resetPolling = useCallback(() => {
    finishedRun.current = undefined;
    setFailedPolls(0);
    setStoppedFollowing(false);
  }, []);

  const start = useCallback(
    async (action: RunAction) => {
      setStarting(true);
      setError(undefined);
      resetPolling();
      setRun(undefined);
      setRunId(undefined);
      try {
        let response: { runId: string };
        if (action.type === 'sync') response = await api.sync(fabric);
        else if (action.type === 'apply')
          response = await api.apply(fabric, {
            ...(action.dryRun ? { dryRun: true } : {}),
            ...(action.confirmPrune !== undefined
              ? { confirmPrune: action.confirmPrune }
              : {}),
          });
        else response = await api.checkDrift(fabric);
        setRunId(response.runId);
      } catch (e) {
        setError(e as Error);
      } finally {
        setStarting(false);
      }
    },
    [api, fabric, resetPolling],
  );

  const follow = useCallback(
    (id: string) => {
      setError(undefined);
      resetPolling();
      setRun(undefined);
      setRunId(id);
    },
    [resetPolling],
  );

  const dismiss = useCallback(() => {
    setRunId(undefined);
    setRun(undefined);
    setError(undefined);
    resetPolling();
  }, [resetPolling]);

  /** Reads the tracked run now (a message of it came); set while it is followed. */
  const readNow = useRef<() => void>();
  useEffect(() => {
    if (!runId || finishedRun.current === runId) return undefined;
    let cancelled = false;
    let ended = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    // One read at a time: a message during a read reads again once it is done
    // (a new message never drops the answer under way, so each one shows).
    let reading = false;
    let again = false;
    const read = async () => {
      if (cancelled || ended) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      again = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      try {
        const next = await api.getRun(runId);
        if (cancelled) return;
        failures = 0;
        setFailedPolls(0);
        setRun(next);
        if (!isRunActive(next.status)) {
          ended = true;
          finishedRun.current = runId;
          onFinished.current?.(next);
        } else {
          // with signals the run's next message reads it again (this timer then starts over),
          // and a long silence too, in case the messages never come
          timer = setTimeout(read, readAgainAfterMs(pollIntervalMs, isSignalsAvailable));
        }
      } catch (e) {
        if (cancelled) return;
        failures += 1;
        setFailedPolls(failures);
        // A transient failure (network, 5xx) is retried with a growing wait;
        // a 4xx answer (the run is gone, not allowed) will not change.
        if (failures >= MAX_POLL_FAILURES || isExpectedApiError(e)) {
          ended = true;
          setStoppedFollowing(true);
          setError(e as Error);
        } else {
          timer = setTimeout(read, pollDelay(pollIntervalMs, failures));
        }
      } finally {
        reading = false;
      }
      if (again) read();
    };
    readNow.current = read;
    read();
    return () => {
      cancelled = true;
      readNow.current = undefined;
      if (timer) clearTimeout(timer);
    };
  }, [api, runId, pollIntervalMs, isSignalsAvailable]);
  useEffect(() => {
    if (runSignal.key > 0) readNow.current?.();
  }, [runSignal.key]);

  const busy =
    starting || (!!runId && !error && (!run || isRunActive(run.status)));
  return {
    runId,
    run,
    error,
    failedPolls,
    stoppedFollowing,
    busy,
    start,
    follow,
    dismiss,
  };
}
