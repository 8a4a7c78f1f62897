import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  DriftStatus,
  FabricSignal,
  FabricStatus,
  fabricSignalChannel,
} from '@fabric-gitops/plugin-hedgehog-common';

export interface RunSignalsOptions {
  /** Backstage's signals service; without it nothing is published. */
  signals?: SignalsService;
  logger: LoggerService;
  /** The fabric's status and drift counts now (the service's description of it). */
  fabricState?: (fabric: string) => Promise<{ status: FabricStatus; drift: Record<DriftStatus, number> }>;
}

/**
 * Publishes a fabric's run progress and state on its signals channel
 * (`hedgehog:fabric:<name>`, broadcast): ids, stage names, statuses and counts,
 * never resource content. Publishing never holds up or fails a run: messages are
 * handed to the signals service in the background, in the order they were given
 * (the service delivers to this backend's subscribers — the signals backend's
 * websockets — as it is called; a message does not wait for the one before to
 * reach the events backend's bus), and a failure (no signals backend, an event
 * bus that is down) is logged at debug and dropped — pages without signals poll
 * instead.
 */
export class RunSignals {
  /** The last message handed to the signals service (the next one waits for it). */
  private tail: Promise<void> = Promise.resolve();
  /** Messages handed over whose delivery is under way. */
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly options: RunSignalsOptions) {}

  /** Queues a message. */
  publish(message: FabricSignal): void {
    this.send(message.fabric, async () => message);
  }

  /** Queues a `fabric.state` message with the fabric's status and drift counts as they are when it is sent. */
  fabricChanged(fabric: string): void {
    const state = this.options.fabricState;
    if (!state) return;
    this.send(fabric, async () => {
      const { status, drift } = await state(fabric);
      return { type: 'fabric.state', fabric, status, drift };
    });
  }

  /** Resolves once the messages queued so far are sent or dropped. */
  async flushed(): Promise<void> {
    await this.tail;
    await Promise.all([...this.sending]);
  }

  private send(fabric: string, message: () => Promise<FabricSignal>) {
    const { signals, logger } = this.options;
    if (!signals) return;
    const dropped = (e: unknown) => logger.debug(`hedgehog: publishing a signal of fabric ${fabric} failed: ${e}`);
    this.tail = this.tail
      .then(async () => {
        const sent = signals
          .publish({ recipients: { type: 'broadcast' }, channel: fabricSignalChannel(fabric), message: await message() })
          .catch(dropped);
        this.sending.add(sent);
        sent.finally(() => this.sending.delete(sent));
      })
      .catch(dropped);
  }
}
