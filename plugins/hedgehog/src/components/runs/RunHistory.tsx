import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { FabricGitLocation, Run } from '@fabric-gitops/plugin-hedgehog-common';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { readAgainAfterMs, useFabricSignal } from '../hooks/useFabricSignal';
import { hedgehogApiRef } from '../../api';
import { FindingsTable } from '../findings/FindingsTable';
import { ApiErrorPanel } from '../shared/errors';
import {
  absoluteTime,
  capitalize,
  duration,
  joinedRequests,
  relativeTime,
  shortCommit,
} from '../shared/format';
import { RestoreCommitButton, RestoreTargetContext } from './RestoreCommit';
import { runErrorTotal } from './runErrors';
import { RunStages } from './RunStages';
import { isRunActive, RunStatusLabel } from '../shared/status';
import { EmptyMessage, nowrap, useServerPaging } from '../shared/tables';

type RunRow = Run & { findingCount?: number };

/** The history's columns: static, so material-table keeps its state (open panels). */
const columns: TableColumn<RunRow>[] = [
  {
    title: 'Started',
    cellStyle: nowrap,
    render: r => (
      <span title={absoluteTime(r.startedAt)}>
        {r.startedAt ? relativeTime(r.startedAt) : 'not started'}
      </span>
    ),
  },
  {
    title: 'Run',
    render: r => capitalize(r.type === 'drift' ? 'drift check' : r.type),
  },
  {
    title: 'Status',
    cellStyle: nowrap,
    render: r => <RunStatusLabel status={r.status} />,
  },
  {
    title: 'Trigger',
    render: r =>
      r.coalesced?.length ? `${r.trigger} +${r.coalesced.length}` : r.trigger,
  },
  { title: 'By', cellStyle: nowrap, render: r => r.requestedBy ?? '–' },
  {
    title: 'Duration',
    cellStyle: nowrap,
    render: r => duration(r.startedAt, r.finishedAt),
  },
  {
    title: 'Commit',
    cellStyle: nowrap,
    render: r =>
      r.commitAfter && r.commitAfter !== r.commitBefore ? (
        <code title={`${r.commitBefore ?? ''} → ${r.commitAfter}`}>
          {shortCommit(r.commitBefore)} → {shortCommit(r.commitAfter)}
        </code>
      ) : (
        <code title={r.commitAfter}>{shortCommit(r.commitAfter)}</code>
      ),
  },
  {
    title: 'Errors',
    render: r => {
      const unchanged = r.findingTotals?.unchangedSince;
      // a sync that found nothing new: the fabric's open errors as of it, not its own
      if (unchanged) return <UnchangedErrors run={r} />;
      // exact: a stage lists at most 200 errors, its total counts them all
      const n = runErrorTotal(r);
      return n ? (
        <Typography variant="body2" color="error">
          {n.toLocaleString('en-US')}
        </Typography>
      ) : (
        '0'
      );
    },
  },
];

/** What the totals of a sync that found nothing new in Git are, in words. */
function unchangedText(totals: NonNullable<Run['findingTotals']>): string {
  const since = totals.unchangedSince ?? {};
  let from = 'the last import';
  if (since.run) from = `run ${since.run.slice(0, 8)}`;
  else if (since.commit) from = `commit ${shortCommit(since.commit)}`;
  return (
    `Nothing new in Git: the fabric's open findings as of this run ` +
    `(${totals.errors.toLocaleString(
      'en-US',
    )} errors, ${totals.warnings.toLocaleString('en-US')} warnings), ` +
    `unchanged since ${from}.`
  );
}

/**
 * The errors column of a sync that found nothing new in Git: the fabric's open
 * errors as of that run, marked as unchanged since the run (or commit) that
 * imported them.
 */
function UnchangedErrors(props: { run: RunRow }) {
  const totals = props.run.findingTotals!;
  return (
    <span title={unchangedText(totals)} data-testid="unchanged-errors">
      <Typography
        variant="body2"
        component="span"
        color={totals.errors ? 'error' : 'textPrimary'}
      >
        {totals.errors.toLocaleString('en-US')}
      </Typography>{' '}
      <Typography variant="caption" color="textSecondary">
        open, unchanged
      </Typography>
    </span>
  );
}

/** Every validation finding of one run, paged (fetched when its panel opens). */
function RunFindings(props: { runId: string }) {
  const api = useApi(hedgehogApiRef);
  const { runId } = props;
  const load = useCallback(
    (offset: number, limit: number) =>
      api.listRunFindings(runId, { offset, limit }),
    [api, runId],
  );
  return (
    <FindingsTable title="Validation findings" load={load} deps={[load]} />
  );
}

/** Stages, errors and findings of one run (the history's detail panel). */
export function RunDetailPanel(props: { run: RunRow }) {
  const { run } = props;
  const findingsRef = useRef<HTMLDivElement>(null);
  const showFindings = useCallback(
    () => findingsRef.current?.scrollIntoView?.({ behavior: 'smooth' }),
    [],
  );
  const hasFindings = (run.findingCount ?? 0) > 0;
  return (
    <Box
      p={2}
      bgcolor="background.default"
      data-testid={`run-detail-${run.id}`}
    >
      <Typography variant="body2" gutterBottom>
        Run <code>{run.id}</code> · {run.type} · triggered by {run.trigger}
        {run.requestedBy ? ` (${run.requestedBy})` : ''}
        {joinedRequests(run)
          ? ` · joined while queued: ${joinedRequests(run)}`
          : ''}{' '}
        · commit <code>{shortCommit(run.commitBefore)}</code> →{' '}
        <code>{shortCommit(run.commitAfter)}</code>
      </Typography>
      {run.findingTotals?.unchangedSince && (
        <Typography variant="body2" gutterBottom>
          {unchangedText(run.findingTotals)}
        </Typography>
      )}
      {run.error && (
        <Typography variant="body2" color="error" gutterBottom>
          {run.error}
        </Typography>
      )}
      <Box mb={1}>
        <RestoreCommitButton run={run} />
      </Box>
      <RunStages
        run={run}
        onShowFindings={hasFindings ? showFindings : undefined}
      />
      {hasFindings && (
        <div ref={findingsRef} style={{ marginTop: 16 }}>
          <RunFindings runId={run.id} />
        </div>
      )}
    </Box>
  );
}

/**
 * The detail panel and row click, stable like the columns: a new panel function
 * on each render would mount the open panel anew (and load its findings again).
 */
function runDetailPanel(props: { rowData: RunRow }) {
  return <RunDetailPanel run={props.rowData} />;
}
const togglePanelOnClick = (
  _e?: unknown,
  _row?: RunRow,
  togglePanel?: () => void,
) => togglePanel?.();

// Static too: Backstage's Table builds its body anew when emptyContent changes.
const noRuns = (
  <EmptyMessage>
    No runs yet. Runs start on the schedule, from a Git push webhook or with
    Sync.
  </EmptyMessage>
);

/** Run history: every run with its stages, counts, timings and errors. */
export function RunHistory(props: {
  fabric: string;
  refreshKey?: number;
  /**
   * How often the page is read again while one of its runs is queued or running,
   * when the app has no signals (with them it is read again on each message of a
   * run of the fabric). Default 1000 ms.
   */
  pollIntervalMs?: number;
  /** The fabric's repository (a run's "Restore this commit" is disabled when it is only read). */
  git?: FabricGitLocation;
}) {
  const { fabric, refreshKey, pollIntervalMs = 1000, git } = props;
  const api = useApi(hedgehogApiRef);
  const { page, pageSize, tableProps } = useServerPaging([10, 20, 50]);
  const [tick, setTick] = useState(0);
  // every run message: a run queued, started, a stage passed, a run ended
  const signal = useFabricSignal(fabric, m => m.type !== 'fabric.state');
  const { isSignalsAvailable } = signal;
  const state = useAsync(
    () => api.listRuns(fabric, { offset: page * pageSize, limit: pageSize }),
    [api, fabric, page, pageSize, refreshKey, tick, signal.key],
  );
  // A run in progress: its stages are read again as it passes them (an open panel stays open);
  // polled without signals, and with signals read again after a silence (SIGNAL_SILENCE_MS).
  const active = Boolean(state.value?.items.some(r => isRunActive(r.status)));
  useEffect(() => {
    if (!active || state.loading) return undefined;
    const timer = setTimeout(() => setTick(t => t + 1), readAgainAfterMs(pollIntervalMs, isSignalsAvailable));
    return () => clearTimeout(timer);
  }, [active, state.loading, state.value, pollIntervalMs, isSignalsAvailable]);

  // a restore queues a run (push mode): the history shows it
  const restoreTarget = useMemo(
    () => ({ fabric, git, onRestored: () => setTick(t => t + 1) }),
    [fabric, git],
  );

  if (state.error) {
    return (
      <ApiErrorPanel
        error={state.error}
        title="Could not load the run history"
      />
    );
  }
  return (
    <RestoreTargetContext.Provider value={restoreTarget}>
      <Table<RunRow>
        title="Run history"
        subtitle={
          state.value
            ? `${state.value.totalItems} run${
                state.value.totalItems === 1 ? '' : 's'
              }`
            : undefined
        }
        columns={columns}
        data={(state.value?.items ?? []) as RunRow[]}
        isLoading={state.loading && !state.value}
        totalCount={state.value?.totalItems ?? 0}
        {...tableProps}
        detailPanel={runDetailPanel}
        onRowClick={togglePanelOnClick}
        emptyContent={noRuns}
      />
    </RestoreTargetContext.Provider>
  );
}
