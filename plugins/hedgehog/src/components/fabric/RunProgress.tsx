import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { RunDetail } from '@fabric-gitops/plugin-hedgehog-common';
import { ApiErrorPanel, errorMessage } from '../shared/errors';
import { duration, shortCommit } from '../shared/format';
import { RunStages } from '../runs/RunStages';
import { isRunActive, RunStatusLabel, runHeadline } from '../shared/status';
import { MAX_POLL_FAILURES, RunTracker } from '../hooks/useRunTracker';
import { runErrorTotal } from '../runs/runErrors';

/** Outcome line of a finished run. */
function Outcome(props: { run: RunDetail }) {
  const { run } = props;
  if (isRunActive(run.status)) return null;
  const took = duration(run.startedAt, run.finishedAt);
  let commits = '';
  if (
    run.commitBefore &&
    run.commitAfter &&
    run.commitBefore !== run.commitAfter
  ) {
    commits = ` Commit ${shortCommit(run.commitBefore)} → ${shortCommit(
      run.commitAfter,
    )}.`;
  } else if (run.commitAfter) {
    commits = ` At commit ${shortCommit(run.commitAfter)}.`;
  }
  if (run.status === 'failed' || run.status === 'partial') {
    const errors = runErrorTotal(run);
    return (
      <WarningPanel
        severity={run.status === 'failed' ? 'error' : 'warning'}
        title={`${runHeadline(run.type, run.status)} after ${took}`}
        message={
          run.error ??
          `${errors.toLocaleString('en-US')} error${
            errors === 1 ? '' : 's'
          }; see the stages below.`
        }
        defaultExpanded
      />
    );
  }
  return (
    <Typography variant="body2" data-testid="run-outcome">
      <RunStatusLabel status={run.status} />
      {` ${runHeadline(run.type, run.status)} in ${took}.${commits}`}
    </Typography>
  );
}

/** Reading the run failed: retried for now, or given up (it may still run). */
function PollingTrouble(props: { tracker: RunTracker }) {
  const { error, failedPolls, stoppedFollowing } = props.tracker;
  if (stoppedFollowing && error) {
    return (
      <WarningPanel
        severity="warning"
        title="Stopped following the run"
        message={`Its state could not be read (${errorMessage(
          error,
        )}). The run itself may still be going on: see the run history, or reload the page to follow it again.`}
        defaultExpanded
      />
    );
  }
  if (failedPolls > 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Could not read the run&apos;s state ({failedPolls} of{' '}
        {MAX_POLL_FAILURES} attempts); trying again…
      </Typography>
    );
  }
  return null;
}

/**
 * The run started from the status header (or found active on load): its
 * progress stage by stage while it runs, and its outcome when it ends.
 */
export function RunProgress(props: {
  tracker: RunTracker;
  /** Opens the fabric's findings (the validate stage links to them). */
  onShowFindings?: () => void;
}) {
  const { tracker, onShowFindings } = props;
  const { run, error, runId } = tracker;
  if (!run && !error && !tracker.busy) return null;

  let title = 'Starting…';
  if (run) title = runHeadline(run.type, run.status);
  else if (error && tracker.stoppedFollowing) title = 'Run state unknown';
  else if (error) title = 'The run could not be started';
  return (
    <InfoCard
      title={title}
      subheader={
        runId
          ? `Run ${runId}${run?.requestedBy ? ` · by ${run.requestedBy}` : ''}${
              run ? ` · ${run.trigger}` : ''
            }`
          : undefined
      }
      action={
        !tracker.busy ? (
          <Button size="small" onClick={tracker.dismiss}>
            Dismiss
          </Button>
        ) : undefined
      }
    >
      <Box data-testid="run-progress">
        {tracker.busy && <Progress />}
        <PollingTrouble tracker={tracker} />
        {error && !tracker.stoppedFollowing && <ApiErrorPanel error={error} />}
        {run && (
          <>
            <Box mb={1}>
              <Outcome run={run} />
              {isRunActive(run.status) && (
                <Typography variant="body2">
                  <RunStatusLabel status={run.status} />
                  {run.status === 'queued'
                    ? ' Waiting for the run ahead of it…'
                    : ` ${duration(run.startedAt)} so far`}
                </Typography>
              )}
            </Box>
            <RunStages
              run={run}
              onShowFindings={
                // the fabric's findings are this run's once it imported them
                run.stages.some(
                  s => s.name === 'import' && s.status === 'succeeded',
                )
                  ? onShowFindings
                  : undefined
              }
            />
          </>
        )}
      </Box>
    </InfoCard>
  );
}
