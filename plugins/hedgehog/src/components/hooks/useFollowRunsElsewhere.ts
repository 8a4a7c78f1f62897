import { Run, signalRunId } from '@fabric-gitops/plugin-hedgehog-common';
import { useEffect } from 'react';
import { isRunActive } from '../shared/status';
import { useFabricSignal } from './useFabricSignal';
import { RunTracker } from './useRunTracker';

/**
 * Shows a run started elsewhere (the schedule, a webhook, another user) in the
 * page's tracker: one active among `recentRuns` when the page opens, and with
 * signals one queued or started later (by its id), unless the page is following
 * a run that has not ended.
 */
export function useFollowRunsElsewhere(
  fabric: string,
  tracker: RunTracker,
  recentRuns: Run[] | undefined,
) {
  const { runId: trackedRunId, follow, busy } = tracker;
  useEffect(() => {
    const active = recentRuns?.find(r => isRunActive(r.status));
    if (active && !trackedRunId) follow(active.id);
  }, [recentRuns, trackedRunId, follow]);

  const runSignal = useFabricSignal(
    fabric,
    m => m.type === 'run.queued' || m.type === 'run.started',
  );
  const startedElsewhere = runSignal.signal && signalRunId(runSignal.signal);
  const followable = !busy && startedElsewhere !== trackedRunId;
  useEffect(() => {
    if (startedElsewhere && followable) follow(startedElsewhere);
    // only on a new message: a run the page stopped following stays dismissed
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runSignal.key]);
}
