import { mockServices } from '@backstage/backend-test-utils';
import { FabricDefinition, FabricSource } from '@fabric-gitops/plugin-hedgehog-node';
import { FabricRegistry } from './FabricRegistry';
import { HedgehogService } from './HedgehogService';
import { scheduleFabrics } from './scheduleFabrics';

const fabric = (name: string, extra: Partial<FabricDefinition> = {}): FabricDefinition => ({
  name,
  title: name,
  git: { url: `file:///repos/${name}.git`, branch: 'main', path: '', writeMode: 'push' },
  apply: 'manual',
  prune: false,
  source: 'app-config',
  ...extra,
});

describe('scheduleFabrics', () => {
  it('schedules one global sync task per fabric, each queuing a scheduled sync and draining it', async () => {
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const later: FabricDefinition[] = [];
    const source: FabricSource = { id: 'catalog', getFabrics: async () => later };
    const registry = new FabricRegistry(
      [fabric('dc1'), fabric('dc2', { schedule: { frequency: { minutes: 1 }, timeout: { seconds: 30 } } })],
      [source],
      logger,
    );
    const drain = jest.fn(async () => {});
    const resumeQueued = jest.fn(async () => []);
    const requestSync = jest.fn(async () => ({ runId: 'r', coalesced: false }));
    const service = { requestSync, coordinator: { drain, resumeQueued, resumeIntervalMs: 15_000 } } as unknown as HedgehogService;

    await scheduleFabrics({
      scheduler,
      registry,
      service,
      logger,
      options: {
        schedule: { frequency: { minutes: 5 }, timeout: { minutes: 10 } },
        driftSchedule: { frequency: { minutes: 2 }, timeout: { minutes: 5 } },
        applyConcurrency: 8,
        pruneLimit: 0.1,
        clusters: [],
        workingDirectory: '/tmp',
        git: { author: { name: 'a', email: 'a@b' }, timeoutMs: 1000, maxPushAttempts: 3 },
        fabrics: [],
      },
    });

    const calls = scheduler.scheduleTask.mock.calls.map(([task]) => task);
    expect(calls.map(t => [t.id, t.scope, t.frequency])).toEqual([
      ['hedgehog-sync:dc1', 'global', { minutes: 5 }],
      ['hedgehog-sync:dc2', 'global', { minutes: 1 }],
      ['hedgehog-resume-queued-runs', 'local', { milliseconds: 15_000 }],
      ['hedgehog-refresh-fabrics', 'local', { minutes: 1 }],
    ]);
    expect(calls[1].timeout).toEqual({ seconds: 30 });

    await calls[0].fn(new AbortController().signal);
    expect(requestSync).toHaveBeenCalledWith('dc1', 'schedule');
    expect(drain).toHaveBeenCalledWith('dc1', { waitForSlot: false });
    expect(logger.info).toHaveBeenCalledWith('hedgehog: scheduled sync of fabric dc1: queued run r');

    // queued runs nobody drains are resumed, for every fabric known
    await calls[2].fn(new AbortController().signal);
    expect(resumeQueued).toHaveBeenCalledWith(['dc1', 'dc2']);

    // A fabric added later by a source is scheduled by the refresh task, once.
    later.push(fabric('dc3', { source: 'catalog:resource:default/dc3' }));
    await calls[3].fn(new AbortController().signal);
    await calls[3].fn(new AbortController().signal);
    const ids = scheduler.scheduleTask.mock.calls.map(([task]) => task.id);
    expect(ids.filter(id => id === 'hedgehog-sync:dc3')).toHaveLength(1);
  });

});
