import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { HedgehogOptions } from './config';
import { FabricRegistry } from './FabricRegistry';
import { HedgehogService } from './HedgehogService';

/**
 * One global scheduled sync task per fabric (only one replica runs it at a time),
 * plus a task that picks up fabrics added by sources (for example the catalog).
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
        timeout: schedule.timeout ?? { minutes: 10 },
        initialDelay: schedule.initialDelay ?? { seconds: 5 },
        fn: async () => {
          if (!deps.registry.get(fabric.name)) return;
          await deps.service.requestSync(fabric.name, 'schedule');
          await deps.service.coordinator.drain(fabric.name);
        },
      });
      if (fabric.cluster) {
        const drift = deps.options.driftSchedule;
        await deps.scheduler.scheduleTask({
          id: `hedgehog-drift:${fabric.name}`,
          scope: 'global',
          frequency: drift.frequency,
          timeout: drift.timeout ?? { minutes: 5 },
          initialDelay: drift.initialDelay ?? { seconds: 30 },
          fn: async () => {
            if (!deps.registry.get(fabric.name)?.cluster) return;
            await deps.service.requestClusterRun(fabric.name, 'drift', 'schedule');
            await deps.service.coordinator.drain(fabric.name);
          },
        });
      }
      deps.logger.info(`hedgehog: scheduled syncs${fabric.cluster ? ' and drift checks' : ''} of fabric ${fabric.name}`);
    }
  };
  await scheduleNew();
  await deps.scheduler.scheduleTask({
    id: 'hedgehog-refresh-fabrics',
    scope: 'local',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { minutes: 1 },
    fn: scheduleNew,
  });
}
