import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import {
  apiError,
  failedApplyRun,
  mockHedgehogApi,
  syncRun,
} from '../../__testUtils__/testUtils';
import {
  findingsPage,
  partialSyncRun,
} from '../../__testUtils__/findingsFixtures';
import {
  findApiErrorPanel,
  renderWithApis,
} from '../../__testUtils__/testRender';
import {
  distinctColumnsOf,
  renderedColumns,
} from '../../__testUtils__/recordTableColumns';
import { act } from '@testing-library/react';
import { fabricSignalChannel } from '@fabric-gitops/plugin-hedgehog-common';
import { fakeSignalApi, signalMessage } from '../../__testUtils__/fakeSignals';
import { RunHistory } from './RunHistory';
import { SIGNAL_SILENCE_MS } from '../hooks/useFabricSignal';

jest.mock('@backstage/core-components', () =>
  require('../../__testUtils__/recordTableColumns').coreComponentsRecordingColumns(),
);

describe('RunHistory', () => {
  it('lists runs and shows stages, counts, timings and errors of a run', async () => {
    const api = mockHedgehogApi({
      listRuns: jest.fn(async () => ({
        items: [
          failedApplyRun(),
          {
            ...syncRun(),
            findingCount: 1,
            coalesced: [
              { trigger: 'api' as const, at: '2026-11-23T02:57:31.100Z' },
              { trigger: 'api' as const, at: '2026-11-23T02:57:31.200Z' },
              { trigger: 'schedule' as const, at: '2026-11-23T02:57:31.300Z' },
            ],
          },
        ],
        totalItems: 2,
      })),
      listRunFindings: jest.fn(async () => ({
        items: [
          {
            severity: 'warning' as const,
            rule: 'vpc.subnet-overlap',
            file: 'raw/vpcs.yaml',
            document: 2,
            path: 'spec.subnets.a.subnet',
            message: 'subnet overlaps vpc-2',
            new: false,
            blocksApply: false,
          },
          {
            severity: 'warning' as const,
            rule: 'hydration.switch',
            file: 'managed/switches/leaf-01.yaml',
            document: 0,
            path: 'spec',
            message: 'the Switch is not hydrated',
            new: false,
            blocksApply: true,
          },
        ],
        totalItems: 2,
        offset: 0,
        totals: { errors: 0, warnings: 2, new: 0 },
        complete: true,
      })),
    });
    await renderWithApis(<RunHistory fabric="demo" />, { api });
    expect(await screen.findByText('Run history')).toBeInTheDocument();
    expect(await screen.findByText('2 runs')).toBeInTheDocument();
    const applyRow = screen.getByText('Apply').closest('tr')!;
    expect(within(applyRow).getByText('Failed')).toBeInTheDocument();
    expect(within(applyRow).getByText('2.0 s')).toBeInTheDocument();
    expect(within(applyRow).getByText('1')).toBeInTheDocument(); // errors
    const syncRow = screen.getByText('Sync').closest('tr')!;
    expect(within(syncRow).getByText('Succeeded')).toBeInTheDocument();
    expect(
      within(syncRow).getByText('2a9770202980 → 43387a09070b'),
    ).toBeInTheDocument();
    expect(within(syncRow).getByText('user:default/guest')).toBeInTheDocument();
    // the requests that joined the run while it was queued
    expect(within(syncRow).getByText('api +3')).toBeInTheDocument();
    expect(within(applyRow).queryByText(/\+\d/)).toBeNull();

    fireEvent.click(within(applyRow).getByText('Failed'));
    const applyDetail = await screen.findByTestId(
      `run-detail-${failedApplyRun().id}`,
    );
    expect(
      within(applyDetail).getByText('apply failed for 1 of 4 resources'),
    ).toBeInTheDocument();
    expect(
      within(applyDetail).getByText(
        'managed/vpcs/vpc-1.yaml, spec.subnets.default.vlan: admission webhook denied the request: vlan 1000 is reserved',
      ),
    ).toBeInTheDocument();
    expect(
      within(applyDetail).getByText('applied 3 · failed 1'),
    ).toBeInTheDocument();
    // an apply records no synced commit: nothing to restore
    expect(
      within(applyDetail).queryByRole('button', {
        name: /Restore this commit/,
      }),
    ).toBeNull();

    fireEvent.click(within(syncRow).getByText('Succeeded'));
    const syncDetail = await screen.findByTestId(`run-detail-${syncRun().id}`);
    // a sync's commit can be restored from its panel
    expect(
      within(syncDetail).getByRole('button', { name: /Restore this commit/ }),
    ).toBeInTheDocument();
    for (const stage of [
      'fetch',
      'plan',
      'ingest',
      'validate',
      'commit',
      'import',
    ]) {
      expect(within(syncDetail).getByText(stage)).toBeInTheDocument();
    }
    expect(
      within(syncDetail).getByText('errors 0 · warnings 4'),
    ).toBeInTheDocument();
    expect(within(syncDetail).getByText('600 ms')).toBeInTheDocument(); // commit
    expect(
      within(syncDetail).getByText(
        /joined while queued: 2 × api, 1 × schedule/,
      ),
    ).toBeInTheDocument();
    // the finding's 0-based document index 2 is the file's third document
    expect(
      await within(syncDetail).findByText('document 3 · spec.subnets.a.subnet'),
    ).toBeInTheDocument();
    expect(within(syncDetail).getByText('raw/vpcs.yaml')).toBeInTheDocument();
    expect(
      within(syncDetail).getByText('subnet overlaps vpc-2'),
    ).toBeInTheDocument();
    expect(
      within(syncDetail).getByText('vpc.subnet-overlap'),
    ).toBeInTheDocument();
    expect(
      within(syncDetail).getByText('All 2 findings · 0 errors · 2 warnings'),
    ).toBeInTheDocument();
    // whether each finding blocks an apply: a marker on the non-hydrated switch, "no" on the overlap
    expect(
      within(syncDetail).getByRole('columnheader', { name: 'Blocks apply' }),
    ).toBeInTheDocument();
    const hydration = within(syncDetail)
      .getByText('the Switch is not hydrated')
      .closest('tr')!;
    expect(within(hydration).getByText('blocks apply')).toBeInTheDocument();
    const overlap = within(syncDetail)
      .getByText('subnet overlaps vpc-2')
      .closest('tr')!;
    expect(within(overlap).queryByText('blocks apply')).toBeNull();
    expect(within(overlap).getByText('no')).toBeInTheDocument();
    expect(api.listRunFindings).toHaveBeenCalledWith(syncRun().id, {
      offset: 0,
      limit: 50,
    });
  });

  it('reads a running run again as it passes its stages, its panel open, until it ends', async () => {
    const running = syncRun({
      status: 'running',
      finishedAt: undefined,
      commitAfter: undefined,
      stages: [
        { ...syncRun().stages[0] },
        {
          name: 'plan',
          status: 'running',
          startedAt: syncRun().stages[1].startedAt,
          counts: {},
          errors: [],
        },
      ],
    });
    const planned = syncRun({
      status: 'running',
      finishedAt: undefined,
      commitAfter: undefined,
      stages: [
        ...syncRun().stages.slice(0, 2),
        {
          name: 'ingest',
          status: 'running',
          startedAt: syncRun().stages[2].startedAt,
          counts: {},
          errors: [],
        },
      ],
    });
    const phases = [running, planned, syncRun()];
    let phase = 0;
    const listRuns = jest.fn(async () => ({
      items: [phases[phase]],
      totalItems: 1,
    }));
    const api = mockHedgehogApi({ listRuns });
    await renderWithApis(<RunHistory fabric="demo" pollIntervalMs={20} />, {
      api,
    });
    const row = (await screen.findByText('Sync')).closest('tr')!;
    fireEvent.click(within(row).getByText('Running'));
    const panel = await screen.findByTestId(`run-detail-${running.id}`);
    const stageStatus = (name: string) =>
      within(within(panel).getByText(name).closest('tr')!).getByText(
        /^(Running|Pending|Succeeded)$/,
      ).textContent;
    expect(stageStatus('plan')).toBe('Running');
    expect(stageStatus('ingest')).toBe('Pending');
    phase = 1;
    // the next read: plan done, ingest running, in the panel that stayed open
    await waitFor(() => expect(stageStatus('ingest')).toBe('Running'));
    expect(stageStatus('plan')).toBe('Succeeded');
    expect(stageStatus('validate')).toBe('Pending');
    phase = 2;
    // the run ended: its stages are all recorded, and the history is not read again
    await waitFor(() => expect(stageStatus('import')).toBe('Succeeded'));
    const calls = listRuns.mock.calls.length;
    await new Promise(r => setTimeout(r, 100));
    expect(listRuns.mock.calls.length).toBe(calls);
    expect(screen.getByTestId(`run-detail-${running.id}`)).toBeInTheDocument();
  });

  it('with signals reads a running run again on its messages, and after a long silence only', async () => {
    jest.useFakeTimers();
    try {
      const signals = fakeSignalApi();
      const running = syncRun({
        status: 'running',
        finishedAt: undefined,
        commitAfter: undefined,
        stages: [
          { ...syncRun().stages[0] },
          { ...syncRun().stages[1], status: 'running', finishedAt: undefined },
        ],
      });
      let current = running;
      const listRuns = jest.fn(async () => ({
        items: [current],
        totalItems: 1,
      }));
      await renderWithApis(<RunHistory fabric="demo" pollIntervalMs={20} />, {
        api: mockHedgehogApi({ listRuns }),
        apis: [signals.entry],
      });
      const row = (await screen.findByText('Sync')).closest('tr')!;
      expect(within(row).getByText('Running')).toBeInTheDocument();
      await act(async () => {
        await jest.advanceTimersByTimeAsync(SIGNAL_SILENCE_MS - 100);
      });
      expect(listRuns).toHaveBeenCalledTimes(1);
      // no message for SIGNAL_SILENCE_MS: read once, in case the messages never come
      await act(async () => {
        await jest.advanceTimersByTimeAsync(100);
      });
      expect(listRuns).toHaveBeenCalledTimes(2);

      current = syncRun();
      await signals.emit(fabricSignalChannel('demo'), signalMessage.runEnded(running.id));
      await act(async () => {
        await jest.advanceTimersByTimeAsync(0);
      });
      expect(listRuns).toHaveBeenCalledTimes(3);
      const ended = (await screen.findByText('Sync')).closest('tr')!;
      expect(within(ended).getByText('Succeeded')).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the table and an open run panel when the page renders again', async () => {
    // e.g. the fabric view re-renders while it polls an active run
    function Rerendering() {
      const [renders, setRenders] = useState(0);
      return (
        <>
          <button onClick={() => setRenders(renders + 1)}>
            Render again ({renders})
          </button>
          <RunHistory fabric="demo" />
        </>
      );
    }
    const run = { ...syncRun(), findingCount: 1 };
    const api = mockHedgehogApi({
      listRuns: jest.fn(async () => ({ items: [run], totalItems: 1 })),
      listRunFindings: jest.fn(async () => findingsPage(0, 50, 1)),
    });
    renderedColumns.length = 0;
    await renderWithApis(<Rerendering />, { api });
    const row = (await screen.findByText('Sync')).closest('tr')!;
    fireEvent.click(within(row).getByText('Succeeded'));
    const panel = await screen.findByTestId(`run-detail-${run.id}`);
    expect(await screen.findByText('Validation findings')).toBeInTheDocument();
    await waitFor(() => expect(api.listRunFindings).toHaveBeenCalledTimes(1));

    fireEvent.click(screen.getByRole('button', { name: /Render again/ }));
    expect(await screen.findByText('Render again (1)')).toBeInTheDocument();
    // the same panel, not a new one that loads its findings again
    expect(screen.getByTestId(`run-detail-${run.id}`)).toBe(panel);
    expect(api.listRunFindings).toHaveBeenCalledTimes(1);
    expect(distinctColumnsOf('Run history')).toBe(1);
  });

  it("shows on a no-op sync the fabric's open errors, unchanged since the run that imported them", async () => {
    const importing = {
      ...syncRun(),
      id: '7d1c2e55-0000-4000-8000-000000000001',
    };
    const noop = {
      ...syncRun({
        id: '7d1c2e55-0000-4000-8000-000000000002',
        commitBefore: importing.commitAfter,
        commitAfter: importing.commitAfter,
        stages: syncRun().stages.map(s => ({
          ...s,
          status: 'skipped' as const,
          counts: {},
          errors: [],
        })),
        findingTotals: {
          errors: 3,
          warnings: 2,
          unchangedSince: { run: importing.id, commit: importing.commitAfter },
        },
      }),
      findingCount: 0,
    };
    const api = mockHedgehogApi({
      listRuns: jest.fn(async () => ({ items: [noop], totalItems: 1 })),
    });
    await renderWithApis(<RunHistory fabric="demo" />, { api });
    expect(await screen.findByText('Sync')).toBeInTheDocument();
    const row = screen.getByText('Sync').closest('tr')!;
    // not 0: the errors still open, marked as unchanged
    const cell = within(row).getByTestId('unchanged-errors');
    expect(cell).toHaveTextContent('3 open, unchanged');
    const words =
      "Nothing new in Git: the fabric's open findings as of this run (3 errors, 2 warnings), unchanged since run 7d1c2e55.";
    expect(cell).toHaveAttribute('title', words);
    fireEvent.click(within(row).getByText('Succeeded'));
    const detail = await screen.findByTestId(`run-detail-${noop.id}`);
    expect(within(detail).getByText(words)).toBeInTheDocument();
  });

  it("counts a run's errors exactly, says how many its stage lists, and pages through all of its findings", async () => {
    const run = partialSyncRun();
    const api = mockHedgehogApi({
      listRuns: jest.fn(async () => ({ items: [run], totalItems: 1 })),
      listRunFindings: jest.fn(async (_id, q) =>
        findingsPage(q!.offset!, q!.limit!, 1907),
      ),
    });
    await renderWithApis(<RunHistory fabric="demo" />, { api });
    const row = (await screen.findByText('Sync')).closest('tr')!;
    // not the 200 errors the stage lists
    expect(within(row).getByText('1,907')).toBeInTheDocument();
    fireEvent.click(within(row).getByText('Partial'));
    const detail = await screen.findByTestId(`run-detail-${run.id}`);
    expect(
      within(detail).getByText(/^Showing 200 of 1,907 errors\./),
    ).toBeInTheDocument();
    fireEvent.click(within(detail).getByText('See all of them'));
    expect(
      await within(detail).findByText(
        'Showing 1–50 of 1,907 findings · 1,907 errors · 0 warnings · 1 new since the previous sync',
      ),
    ).toBeInTheDocument();
    // the error just introduced is on the first page, marked new
    expect(
      within(detail).getByLabelText('new since the previous sync'),
    ).toBeInTheDocument();
    fireEvent.click(within(detail).getByRole('button', { name: 'Next Page' }));
    await waitFor(() =>
      expect(api.listRunFindings).toHaveBeenLastCalledWith(run.id, {
        offset: 50,
        limit: 50,
      }),
    );
    expect(
      await within(detail).findByText(/^Showing 51–100 of 1,907 findings/),
    ).toBeInTheDocument();
  });

  it('pages on the server', async () => {
    const runs = Array.from({ length: 20 }, (_, i) =>
      syncRun({ id: `run-${i}` }),
    );
    const api = mockHedgehogApi({
      listRuns: jest.fn(async (_f, o) => ({
        items: o!.offset === 0 ? runs : [failedApplyRun()],
        totalItems: 21,
      })),
    });
    await renderWithApis(<RunHistory fabric="demo" />, { api });
    expect(await screen.findByText('21 runs')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next Page' }));
    expect(await screen.findByText('Apply')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.listRuns).toHaveBeenLastCalledWith('demo', {
        offset: 20,
        limit: 20,
      }),
    );
  });

  it('explains an empty history', async () => {
    const api = mockHedgehogApi();
    await renderWithApis(<RunHistory fabric="demo" />, { api });
    expect(await screen.findByText(/No runs yet/)).toBeInTheDocument();
  });

  it('shows loading', async () => {
    const api = mockHedgehogApi({
      listRuns: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderWithApis(<RunHistory fabric="demo" />, { api });
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
  });

  it('shows the backend message of an error', async () => {
    const error = await apiError(
      403,
      'NotAllowedError',
      'Permission hedgehog.fabric.read is required',
    );
    const api = mockHedgehogApi({
      listRuns: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithApis(<RunHistory fabric="demo" />, { api });
    expect(
      await findApiErrorPanel(
        'Permission hedgehog.fabric.read is required',
        'Could not load the run history',
      ),
    ).toBeInTheDocument();
  });
});
