import { useApi } from '@backstage/core-plugin-api';
import { RunDetail } from '@fabric-gitops/plugin-hedgehog-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { hedgehogApiRef } from '../api';
import { isRunActive } from './status';

/** The actions of the status header. */
export type RunAction =
  | { type: 'sync' }
  | { type: 'apply'; dryRun?: boolean }
  | { type: 'drift' };

export interface RunTracker {
  /** The id of the tracked run, once the backend accepted the request. */
  runId?: string;
  /** The latest state of the tracked run. */
  run?: RunDetail;
  /** Why starting or polling failed (the backend's message). */
  error?: Error;
  /** A request is being sent or the tracked run is queued or running. */
  busy: boolean;
  start(action: RunAction): Promise<void>;
  /** Follows a run started elsewhere (the schedule, another user). */
  follow(runId: string): void;
  dismiss(): void;
}

/**
 * Starts sync/apply/drift runs of a fabric and polls `GET /runs/:id` until the
 * run ends, stage by stage. Calls `onFinished` once when a tracked run ends.
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

  const start = useCallback(
    async (action: RunAction) => {
      setStarting(true);
      setError(undefined);
      setRun(undefined);
      setRunId(undefined);
      try {
        let response: { runId: string };
        if (action.type === 'sync') response = await api.sync(fabric);
        else if (action.type === 'apply')
          response = await api.apply(fabric, { dryRun: action.dryRun });
        else response = await api.checkDrift(fabric);
        setRunId(response.runId);
      } catch (e) {
        setError(e as Error);
      } finally {
        setStarting(false);
      }
    },
    [api, fabric],
  );

  const follow = useCallback((id: string) => {
    setError(undefined);
    setRun(undefined);
    setRunId(id);
  }, []);

  const dismiss = useCallback(() => {
    setRunId(undefined);
    setRun(undefined);
    setError(undefined);
  }, []);

  useEffect(() => {
    if (!runId) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await api.getRun(runId);
        if (cancelled) return;
        setRun(next);
        if (isRunActive(next.status)) {
          timer = setTimeout(poll, pollIntervalMs);
        } else {
          onFinished.current?.(next);
        }
      } catch (e) {
        if (!cancelled) setError(e as Error);
      }
    };
    poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, runId, pollIntervalMs]);

  const busy =
    starting || (!!runId && !error && (!run || isRunActive(run.status)));
  return { runId, run, error, busy, start, follow, dismiss };
}
