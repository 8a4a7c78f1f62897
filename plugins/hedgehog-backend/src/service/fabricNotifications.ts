import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { RunType } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition, fabricOwnerRef } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore } from '../database/HedgehogStore';
import { RunEnded, RunNotices } from '../pipeline/RunNotices';
import { FabricOccurrence, PullRequestOccurrence, fabricNotifications } from './notificationRules';

/** How long one send may take before it is given up (a run waits for it). */
const SEND_TIMEOUT_MS = 10_000;

/** The runs whose previous one a run is compared with. */
function kindOf(type: RunType): RunType[] {
  return type === 'sync' || type === 'restore' ? ['sync', 'restore'] : [type];
}

/**
 * Notifications to a fabric's owner through Backstage's notifications
 * (`@backstage/plugin-notifications-node`): what to send is `notificationRules`'
 * decision, this sends it to the owner (`hedgehog.fabrics[].owner`, the fabric
 * entity's `spec.owner`). A fabric without an owner notifies nobody. Optional: a
 * send that fails (no notifications backend, a timeout) is logged and never fails a
 * run or a validation.
 */
export class FabricNotifications implements RunNotices {
  /** The last send failure logged as a warning (the same one again goes to debug). */
  private lastWarning?: string;

  constructor(
    private readonly deps: {
      notifications: NotificationService;
      store: Pick<HedgehogStore, 'previousRun'>;
      logger: LoggerService;
    },
  ) {}

  async runEnded(event: RunEnded): Promise<void> {
    const { fabric, run } = event;
    if (!this.recipient(fabric)) return;
    try {
      // only a sync's outcome and a held-back prune are compared with the run before (not a drift check's)
      const compared = run.type === 'sync' || run.type === 'restore' || event.pruneHeldBack;
      const previous = compared ? await this.deps.store.previousRun(fabric.name, kindOf(run.type), run.id) : undefined;
      await this.send(fabric, {
        type: 'run',
        runType: run.type,
        status: event.status,
        error: event.error,
        openErrors: event.openErrors,
        previous,
        pruneHeldBack: event.pruneHeldBack,
        drift: event.drift,
      });
    } catch (e) {
      this.warn(`hedgehog: the notifications of run ${run.id} of ${fabric.name} failed`, e);
    }
  }

  /** A pull request's validation that found errors or could not be done. */
  async pullRequestFailed(fabric: FabricDefinition, occurrence: Omit<PullRequestOccurrence, 'type'>): Promise<void> {
    if (!this.recipient(fabric)) return;
    await this.send(fabric, { type: 'pull-request', ...occurrence });
  }

  /** The fabric's owner, when it notifies anybody. */
  private recipient(fabric: FabricDefinition): string | undefined {
    if (fabric.notifications === 'off') return undefined;
    return fabricOwnerRef(fabric);
  }

  private async send(fabric: FabricDefinition, occurrence: FabricOccurrence): Promise<void> {
    const owner = this.recipient(fabric);
    if (!owner) return;
    for (const payload of fabricNotifications(fabric, occurrence)) {
      try {
        await withTimeout(
          this.deps.notifications.send({ recipients: { type: 'entity', entityRef: owner }, payload }),
          SEND_TIMEOUT_MS,
        );
        this.deps.logger.info(`hedgehog: notified ${owner} of fabric ${fabric.name}: ${payload.title}`);
      } catch (e) {
        this.warn(`hedgehog: notifying ${owner} of fabric ${fabric.name} failed (${payload.title})`, e);
      }
    }
  }

  private warn(what: string, cause: unknown) {
    const message = `${what}: ${cause instanceof Error ? cause.message : String(cause)}`;
    // e.g. without the notifications backend every send fails alike: one warning, then debug
    const key = String(cause);
    if (key === this.lastWarning) {
      this.deps.logger.debug(message);
      return;
    }
    this.lastWarning = key;
    this.deps.logger.warn(message);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
