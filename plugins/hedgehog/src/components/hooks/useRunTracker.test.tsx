import { ApiRef } from '@backstage/core-plugin-api';
import { TestApiProvider } from '@backstage/test-utils';
import { act, renderHook } from '@testing-library/react';
import { ReactNode } from 'react';
import { hedgehogApiRef } from '../../api';
import {
  apiError,
  mockHedgehogApi,
  runningSyncRun,
  syncRun,
} from '../../__testUtils__/testUtils';
import { fabricSignalChannel } from '@fabric-gitops/plugin-hedgehog-common';
import { fakeSignalApi, signalMessage } from '../../__testUtils__/fakeSignals';
import { SIGNAL_SILENCE_MS } from './useFabricSignal';
import { MAX_POLL_FAILURES, pollDelay, useRunTracker } from './useRunTracker';

const runId = syncRun().id;

function renderTracker(
  api: ReturnType<typeof mockHedgehogApi>,
  signals?: ReturnType<typeof fakeSignalApi>,
) {
  const onFinished = jest.fn();
  const apis: Array<readonly [ApiRef<any>, any]> = [[hedgehogApiRef, api]];
  if (signals) apis.push(signals.entry);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={apis}>{children}</TestApiProvider>
  );
  const hook = renderHook(
    () => useRunTracker('demo', { pollIntervalMs: 1000, onFinished }),
    { wrapper },
  );
  act(() => hook.result.current.follow(runId));
  return { ...hook, onFinished };
}

/** Lets the pending getRun promise settle, then moves the clock on. */
async function advance(ms: number) {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

describe('useRunTracker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries a failed read of the run and follows it to its end', async () => {
    const getRun = jest
      .fn()
      .mockResolvedValueOnce(runningSyncRun())
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(runningSyncRun())
      .mockResolvedValue(syncRun());
    const { result, onFinished } = renderTracker(mockHedgehogApi({ getRun }));
    await advance(0);
    expect(getRun).toHaveBeenCalledTimes(1);
    expect(result.current.run?.status).toBe('running');

    await advance(1000); // the read fails
    expect(getRun).toHaveBeenCalledTimes(2);
    expect(result.current.failedPolls).toBe(1);
    expect(result.current.error).toBeUndefined();
    expect(result.current.busy).toBe(true);

    await advance(1999); // backoff: 2 s after one failure
    expect(getRun).toHaveBeenCalledTimes(2);
    await advance(1);
    expect(getRun).toHaveBeenCalledTimes(3);
    expect(result.current.failedPolls).toBe(0);

    await advance(1000);
    expect(getRun).toHaveBeenCalledTimes(4);
    expect(result.current.run?.status).toBe('succeeded');
    expect(result.current.busy).toBe(false);
    expect(result.current.stoppedFollowing).toBe(false);
    expect(onFinished).toHaveBeenCalledTimes(1);
  });

  it('retries a 503 and gives up after several failures in a row', async () => {
    const unavailable = await apiError(503, 'ServiceUnavailableError', 'busy');
    const getRun = jest.fn(async () => Promise.reject(unavailable));
    const { result } = renderTracker(mockHedgehogApi({ getRun }));
    await advance(0);
    for (let failures = 1; failures < MAX_POLL_FAILURES; failures++) {
      expect(result.current.failedPolls).toBe(failures);
      expect(result.current.stoppedFollowing).toBe(false);
      await advance(pollDelay(1000, failures));
    }
    expect(getRun).toHaveBeenCalledTimes(MAX_POLL_FAILURES);
    expect(result.current.stoppedFollowing).toBe(true);
    expect(result.current.error).toBe(unavailable);
    expect(result.current.busy).toBe(false);
    await advance(60_000);
    expect(getRun).toHaveBeenCalledTimes(MAX_POLL_FAILURES);
  });

  it('does not retry a run the backend does not know', async () => {
    const notFound = await apiError(404, 'NotFoundError', 'No run');
    const getRun = jest.fn(async () => Promise.reject(notFound));
    const { result } = renderTracker(mockHedgehogApi({ getRun }));
    await advance(0);
    expect(result.current.stoppedFollowing).toBe(true);
    await advance(60_000);
    expect(getRun).toHaveBeenCalledTimes(1);
  });

  it('waits longer after each failure, at most 30 s', () => {
    expect([1, 2, 3, 4, 5, 6].map(n => pollDelay(1000, n))).toEqual([
      2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  describe('with signals', () => {
    const channel = fabricSignalChannel('demo');

    it('reads the run on its messages, and after a long silence only, and reports its end once', async () => {
      const signals = fakeSignalApi();
      const getRun = jest
        .fn()
        .mockResolvedValueOnce(runningSyncRun())
        .mockResolvedValueOnce(runningSyncRun())
        .mockResolvedValueOnce(runningSyncRun())
        .mockResolvedValue(syncRun());
      const { result, onFinished } = renderTracker(
        mockHedgehogApi({ getRun }),
        signals,
      );
      await advance(0);
      expect(signals.channels()).toEqual([channel]);
      expect(getRun).toHaveBeenCalledTimes(1);
      expect(result.current.run?.status).toBe('running');

      // a running run without messages: no read before SIGNAL_SILENCE_MS, then one (in case
      // the app's backend has no signals backend, whose websocket the app cannot tell failed)
      await advance(SIGNAL_SILENCE_MS - 1);
      expect(getRun).toHaveBeenCalledTimes(1);
      await advance(1);
      expect(getRun).toHaveBeenCalledTimes(2);

      // a message of another run (or the fabric's state) reads nothing
      await signals.emit(channel, {
        type: 'run.queued',
        fabric: 'demo',
        runId: 'another-run',
        runType: 'drift',
      });
      await signals.emit(channel, signalMessage.fabricState('in_sync'));
      await advance(0);
      expect(getRun).toHaveBeenCalledTimes(2);

      await signals.emit(channel, signalMessage.planEnded(runId));
      await advance(0);
      expect(getRun).toHaveBeenCalledTimes(3);
      expect(result.current.busy).toBe(true);
      // the message's read started the silence over
      await advance(SIGNAL_SILENCE_MS - 1);
      expect(getRun).toHaveBeenCalledTimes(3);

      await signals.emit(channel, signalMessage.runEnded(runId));
      await advance(0);
      expect(getRun).toHaveBeenCalledTimes(4);
      expect(result.current.run?.status).toBe('succeeded');
      expect(result.current.busy).toBe(false);
      expect(onFinished).toHaveBeenCalledTimes(1);

      // a late message of the ended run reads nothing more
      await signals.emit(channel, signalMessage.runEnded(runId));
      await advance(60_000);
      expect(getRun).toHaveBeenCalledTimes(4);
      expect(onFinished).toHaveBeenCalledTimes(1);
    });

    it('keeps the answer of a read a message came during, then reads once more', async () => {
      const signals = fakeSignalApi();
      let answer: (run: ReturnType<typeof runningSyncRun>) => void = () => {};
      const getRun = jest
        .fn()
        .mockImplementationOnce(
          () =>
            new Promise(resolve => {
              answer = resolve;
            }),
        )
        .mockResolvedValue(syncRun());
      const { result } = renderTracker(mockHedgehogApi({ getRun }), signals);
      await advance(0);
      expect(getRun).toHaveBeenCalledTimes(1);
      // two messages while the first read is under way: no second read yet
      for (const stage of ['fetch', 'plan'] as const) {
        await signals.emit(channel, {
          type: 'stage.started',
          fabric: 'demo',
          runId,
          stage,
        });
      }
      expect(getRun).toHaveBeenCalledTimes(1);
      await act(async () => answer(runningSyncRun()));
      await advance(0);
      // the first answer was shown, then one more read for both messages
      expect(getRun).toHaveBeenCalledTimes(2);
      expect(result.current.run?.status).toBe('succeeded');
    });

    it('still retries a failed read with its backoff', async () => {
      const signals = fakeSignalApi();
      const getRun = jest
        .fn()
        .mockRejectedValueOnce(new TypeError('Failed to fetch'))
        .mockResolvedValue(runningSyncRun());
      const { result } = renderTracker(mockHedgehogApi({ getRun }), signals);
      await advance(0);
      expect(result.current.failedPolls).toBe(1);
      await advance(2000);
      expect(getRun).toHaveBeenCalledTimes(2);
      expect(result.current.run?.status).toBe('running');
      // then, without messages, only the silence's read
      await advance(SIGNAL_SILENCE_MS - 1);
      expect(getRun).toHaveBeenCalledTimes(2);
      await advance(1);
      expect(getRun).toHaveBeenCalledTimes(3);
    });
  });

  it('polls without signals (the app has no signals plugin)', async () => {
    const getRun = jest.fn(async () => runningSyncRun());
    renderTracker(mockHedgehogApi({ getRun }));
    await advance(0);
    expect(getRun).toHaveBeenCalledTimes(1);
    await advance(3000);
    expect(getRun).toHaveBeenCalledTimes(4);
  });
});
