import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { RunStage } from '@fabric-gitops/plugin-hedgehog-common';
import {
  failedApplyRun,
  runningSyncRun,
  syncRun,
} from '../../__testUtils__/testUtils';
import { partialSyncRun } from '../../__testUtils__/findingsFixtures';
import { recordTableWarnings } from '../../__testUtils__/recordTableColumns';
import { RunStages, stageRows } from './RunStages';

describe('RunStages', () => {
  it('gives material-table an id per stage row, pending stages included', async () => {
    const table = recordTableWarnings();
    try {
      await renderInTestApp(<RunStages run={runningSyncRun()} />);
      expect(screen.getByText('import')).toBeInTheDocument(); // pending
      expect(table.warnings()).not.toContainEqual(
        expect.stringMatching(/without id/),
      );
    } finally {
      table.restore();
    }
  });

  it('shows the stages an active apply run has still to record as pending', async () => {
    await renderInTestApp(
      <RunStages
        run={syncRun({ type: 'apply', status: 'queued', stages: [] })}
      />,
    );
    expect(screen.getByText('apply')).toBeInTheDocument();
    expect(screen.getByText('drift')).toBeInTheDocument();
    expect(screen.getAllByText('Pending')).toHaveLength(2);
  });

  it('numbers the documents of a stage error from 1', async () => {
    const run = failedApplyRun();
    run.stages[0].errors = [
      {
        message: 'kind Gateway is not managed',
        file: 'raw/wiring.yaml',
        document: 0,
        path: 'kind',
      },
    ];
    await renderInTestApp(<RunStages run={run} />);
    expect(
      screen.getByText(
        'raw/wiring.yaml, document 1, kind: kind Gateway is not managed',
      ),
    ).toBeInTheDocument();
  });
});

describe('RunStages of a run with thousands of errors', () => {
  it('says how many errors a stage lists of how many, and links to all of them', async () => {
    const show = jest.fn();
    await renderInTestApp(
      <RunStages run={partialSyncRun()} onShowFindings={show} />,
    );
    const errors = screen.getByTestId('stage-errors-validate');
    expect(
      within(errors).getByText(/^Showing 200 of 1,907 errors\./),
    ).toBeInTheDocument();
    expect(within(errors).getAllByRole('listitem')).toHaveLength(200);
    fireEvent.click(within(errors).getByText('See all of them'));
    expect(show).toHaveBeenCalledTimes(1);
  });

  it('says the whole list when nothing is cut, and links only where it is asked to', async () => {
    const run = partialSyncRun();
    const validate = run.stages.find(s => s.name === 'validate')!;
    validate.errors = validate.errors.slice(0, 2);
    validate.errorTotal = undefined;
    await renderInTestApp(<RunStages run={run} />);
    const errors = screen.getByTestId('stage-errors-validate');
    expect(within(errors).getByText(/^2 errors:/)).toBeInTheDocument();
    expect(within(errors).queryByRole('link')).toBeNull();
  });
});

describe('stageRows', () => {
  const stage = (
    name: RunStage['name'],
    status: RunStage['status'] = 'succeeded',
  ): RunStage => ({
    name,
    status,
    startedAt: '2025-01-01T00:00:00.000Z',
    counts: {},
    errors: [],
  });
  /** The rows as `name:status`. */
  const rowsOf = (run: Parameters<typeof stageRows>[0]) =>
    stageRows(run).map(r => `${r.name}:${r.status}`);
  const syncStages: RunStage['name'][] = [
    'fetch',
    'plan',
    'ingest',
    'validate',
    'commit',
    'import',
  ];

  it('shows the six sync stages of a queued sync pending, not the cluster ones', () => {
    expect(rowsOf(syncRun({ status: 'queued', stages: [] }))).toEqual(
      syncStages.map(n => `${n}:pending`),
    );
  });

  it('shows the sync stages not reached yet of a running sync', () => {
    expect(rowsOf(runningSyncRun())).toEqual([
      'fetch:succeeded',
      'plan:running',
      'ingest:pending',
      'validate:pending',
      'commit:pending',
      'import:pending',
    ]);
  });

  it("shows a queued restore run's restore stage after the fetch, then the sync stages, not the cluster ones", () => {
    expect(
      rowsOf(syncRun({ type: 'restore', status: 'queued', stages: [] })),
    ).toEqual(
      ['fetch', 'restore', ...syncStages.slice(1)].map(n => `${n}:pending`),
    );
    const running = syncRun({
      type: 'restore',
      status: 'running',
      stages: [stage('fetch'), stage('restore', 'running')],
    });
    expect(rowsOf(running).slice(2)).toEqual(
      syncStages.slice(1).map(n => `${n}:pending`),
    );
  });

  it('awaits the drift stage of a sync once it has recorded its apply', () => {
    const run = syncRun({
      status: 'running',
      stages: [...syncStages.map(n => stage(n)), stage('apply', 'running')],
    });
    expect(rowsOf(run).slice(6)).toEqual(['apply:running', 'drift:pending']);
  });

  it('awaits no apply stage of a sync that went on to check drift without it', () => {
    const run = syncRun({
      status: 'running',
      stages: [...syncStages.map(n => stage(n)), stage('drift', 'running')],
    });
    expect(rowsOf(run).slice(6)).toEqual(['drift:running']);
  });

  it('shows the apply and drift stages of an active apply run pending', () => {
    expect(
      rowsOf(syncRun({ type: 'apply', status: 'queued', stages: [] })),
    ).toEqual(['apply:pending', 'drift:pending']);
    expect(
      rowsOf(
        syncRun({
          type: 'apply',
          status: 'running',
          stages: [stage('apply', 'running')],
        }),
      ),
    ).toEqual(['apply:running', 'drift:pending']);
  });

  it('shows the drift stage of an active drift run pending', () => {
    expect(
      rowsOf(syncRun({ type: 'drift', status: 'running', stages: [] })),
    ).toEqual(['drift:pending']);
  });

  it('adds no pending stage to a finished run', () => {
    expect(rowsOf(failedApplyRun())).toEqual(['apply:failed']);
    expect(rowsOf(syncRun())).toEqual(syncStages.map(n => `${n}:succeeded`));
    expect(rowsOf(syncRun({ type: 'drift', stages: [] }))).toEqual([]);
  });

  it('gives each row its stage name as id', () => {
    expect(stageRows(runningSyncRun()).map(r => r.id)).toEqual(syncStages);
  });
});
