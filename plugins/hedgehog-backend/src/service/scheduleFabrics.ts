import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { DEFAULT_DRIFT_SCHEDULE, DEFAULT_SCHEDULE, HedgehogOptions } from './config';
import { FabricRegistry } from './FabricRegistry';
import { HedgehogService } from './HedgehogService';

/**
 * One global scheduled sync task per fabric (only one replica runs it at a time),
 * each queuing a run and draining it when a slot of this replica is free (else it
 * returns at once: the run stays queued and starts when a slot of this or another
 * replica frees, RunCoordinator.maxConcurrentRuns),
 * a task that picks up fabrics added by sources (for example the catalog), and a
 * local task that starts queued runs left behind by a replica that died or by a
 * replica whose slots were all busy.
 */
export async function scheduleFabrics(deps: {
  scheduler: SchedulerService;
  registry: FabricRegistry;
  service: HedgehogService;
  options: HedgehogOptions;
  logger: LoggerService;
}) {
  const scheduled = new Set<string>();
  const scheduleNew = async () => {
    for (const fabric of await deps.registry.refresh()) {
      if (scheduled.has(fabric.name)) continue;
      scheduled.add(fabric.name);
      const schedule = fabric.schedule ?? deps.options.schedule;
      await deps.scheduler.scheduleTask({
        id: `hedgehog-sync:${fabric.name}`,
        scope: 'global',
        frequency: schedule.frequency,
        timeout: schedule.timeout ?? DEFAULT_SCHEDULE.timeout,
        initialDelay: schedule.initialDelay ?? DEFAULT_SCHEDULE.initialDelay,
        fn: async () => {
          if (!deps.registry.get(fabric.name)) return;
          const { runId, coalesced } = await deps.service.requestSync(fabric.name, 'schedule');
          deps.logger.info(
            `hedgehog: scheduled sync of fabric ${fabric.name}: ${coalesced ? 'joined the queued run' : 'queued run'} ${runId}`,
          );
          await deps.service.coordinator.drain(fabric.name, { waitForSlot: false });
        },
      });
      if (fabric.cluster) {
        const drift = deps.options.driftSchedule;
        await deps.scheduler.scheduleTask({
          id: `hedgehog-drift:${fabric.name}`,
          scope: 'global',
          frequency: drift.frequency,
          timeout: drift.timeout ?? DEFAULT_DRIFT_SCHEDULE.timeout,
          initialDelay: drift.initialDelay ?? DEFAULT_DRIFT_SCHEDULE.initialDelay,
          fn: async () => {
            if (!deps.registry.get(fabric.name)?.cluster) return;
            await deps.service.requestClusterRun(fabric.name, 'drift', 'schedule');
            await deps.service.coordinator.drain(fabric.name, { waitForSlot: false });
          },
        });
      }
      deps.logger.info(`hedgehog: scheduled syncs${fabric.cluster ? ' and drift checks' : ''} of fabric ${fabric.name}`);
    }
  };
  await scheduleNew();
  // A queued run whose lock holder died is started once the lock expires,
  // and one a busy replica left queued is taken by a replica with a free slot,
  // without waiting for the next trigger (RunCoordinator.resumeQueued).
  const every = deps.service.coordinator.resumeIntervalMs;
  await deps.scheduler.scheduleTask({
    id: 'hedgehog-resume-queued-runs',
    scope: 'local',
    frequency: { milliseconds: every },
    timeout: { minutes: 1 },
    initialDelay: { milliseconds: every },
    fn: async () => {
      await deps.service.coordinator.resumeQueued(deps.registry.list().map(f => f.name));
    },
  });
  await deps.scheduler.scheduleTask({
    id: 'hedgehog-refresh-fabrics',
    scope: 'local',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { minutes: 1 },
    fn: scheduleNew,
  });
}
