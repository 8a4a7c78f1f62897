import { act, screen, within } from '@testing-library/react';
import {
  FabricSignal,
  fabricSignalChannel,
} from '@fabric-gitops/plugin-hedgehog-common';
import { fabricViewApi } from '../../__testUtils__/fabricViewApi';
import { fakeSignalApi, signalMessage } from '../../__testUtils__/fakeSignals';
import { renderWithApis } from '../../__testUtils__/testRender';
import { fabric, runningSyncRun, syncRun } from '../../__testUtils__/testUtils';
import { FabricView } from './FabricView';
import { SIGNAL_SILENCE_MS } from '../hooks/useFabricSignal';

jest.mock('@backstage/plugin-permission-react', () =>
  require('../../__testUtils__/testPermissions').uncachedPermissionReact(),
);

const channel = fabricSignalChannel('demo');
const runId = syncRun().id;

async function advance(ms: number) {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

/** The view with a sync of the demo fabric running (in its plan stage) when it opens. */
function runningView() {
  let current = runningSyncRun();
  const hedgehog = fabricViewApi({
    listRuns: jest.fn(async () => ({
      items: current.status === 'running' ? [current] : [],
      totalItems: current.status === 'running' ? 1 : 0,
    })),
    getRun: jest.fn(async () => current),
  });
  return {
    hedgehog,
    setRun: (run: typeof current) => {
      current = run;
    },
  };
}

describe('FabricView with signals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('shows the run stage by stage and its end from messages, without polling', async () => {
    const signals = fakeSignalApi();
    const { hedgehog, setRun } = runningView();
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={1000} />, {
      api: hedgehog,
      apis: [signals.entry],
    });
    expect(await screen.findByText('Sync running')).toBeInTheDocument();
    expect(signals.channels()).toEqual([channel]);
    const progress = screen.getByTestId('run-progress');
    const planRow = () => within(progress).getByText('plan').closest('tr')!;
    expect(within(planRow()).getByText('Running')).toBeInTheDocument();
    const reads = hedgehog.getRun.mock.calls.length;
    const fabricReads = hedgehog.getFabric.mock.calls.length;

    // a running run and no message for almost SIGNAL_SILENCE_MS: nothing is read again
    await advance(SIGNAL_SILENCE_MS - 500);
    expect(hedgehog.getRun).toHaveBeenCalledTimes(reads);
    expect(hedgehog.getFabric).toHaveBeenCalledTimes(fabricReads);
    expect(hedgehog.listRuns).toHaveBeenCalledTimes(1);

    // the plan stage ended: the run is read again and shows it
    const done = syncRun();
    setRun({
      ...runningSyncRun(),
      stages: [
        done.stages[0],
        done.stages[1],
        { ...done.stages[2], status: 'running', finishedAt: undefined },
      ],
    });
    await signals.emit(channel, signalMessage.planEnded(runId));
    await advance(0);
    expect(hedgehog.getRun).toHaveBeenCalledTimes(reads + 1);
    expect(within(planRow()).getByText('Succeeded')).toBeInTheDocument();
    const ingestRow = within(progress).getByText('ingest').closest('tr')!;
    expect(within(ingestRow).getByText('Running')).toBeInTheDocument();

    // the run ended, then the fabric's state changed: the outcome and the new status
    setRun(done);
    hedgehog.getFabric.mockResolvedValue({ ...fabric, status: 'partial' });
    await signals.emit(channel, signalMessage.fabricState('partial'));
    await signals.emit(channel, signalMessage.runEnded(runId));
    await advance(0);
    expect(await screen.findByTestId('run-outcome')).toHaveTextContent(
      'Sync succeeded',
    );
    expect(await screen.findByText('Needs attention')).toBeInTheDocument();
    expect(hedgehog.getFabric.mock.calls.length).toBeGreaterThan(fabricReads);

    const settled = {
      runs: hedgehog.getRun.mock.calls.length,
      fabric: hedgehog.getFabric.mock.calls.length,
      list: hedgehog.listRuns.mock.calls.length,
    };
    // the run ended: nothing is read again, however long
    await advance(6 * SIGNAL_SILENCE_MS);
    expect(hedgehog.getRun).toHaveBeenCalledTimes(settled.runs);
    expect(hedgehog.getFabric).toHaveBeenCalledTimes(settled.fabric);
    expect(hedgehog.listRuns).toHaveBeenCalledTimes(settled.list);
  });

  it('follows a run queued elsewhere when its message comes, by its id', async () => {
    const signals = fakeSignalApi();
    const { hedgehog, setRun } = runningView();
    setRun(syncRun());
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={1000} />, {
      api: hedgehog,
      apis: [signals.entry],
    });
    expect(await screen.findByText('Demo fabric')).toBeInTheDocument();
    await advance(10_000);
    expect(hedgehog.listRuns).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Sync running')).not.toBeInTheDocument();

    setRun(runningSyncRun());
    const queued: FabricSignal = {
      type: 'run.queued',
      fabric: 'demo',
      runId,
      runType: 'sync',
    };
    // a message of another fabric's channel is not this view's
    await signals.emit(fabricSignalChannel('other'), {
      ...queued,
      fabric: 'other',
    });
    await advance(0);
    expect(hedgehog.getRun).not.toHaveBeenCalled();

    await signals.emit(channel, queued);
    await advance(0);
    expect(hedgehog.getRun).toHaveBeenCalledWith(runId);
    expect(await screen.findByText('Sync running')).toBeInTheDocument();
    // followed by its id: the history is not read for it
    expect(hedgehog.listRuns).toHaveBeenCalledTimes(1);
  });
});

describe('FabricView without signals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('polls the running run', async () => {
    const { hedgehog } = runningView();
    await renderWithApis(<FabricView fabric="demo" pollIntervalMs={1000} />, {
      api: hedgehog,
    });
    expect(await screen.findByText('Sync running')).toBeInTheDocument();
    const reads = hedgehog.getRun.mock.calls.length;
    await advance(3_000);
    expect(hedgehog.getRun.mock.calls.length).toBeGreaterThanOrEqual(reads + 3);
  });
});
