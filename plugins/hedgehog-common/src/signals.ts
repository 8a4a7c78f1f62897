import {
  DriftStatus,
  FabricStatus,
  RunStageName,
  RunStatus,
  RunType,
  StageStatus,
} from './vocabulary';

/**
 * The signals channel of one fabric: its runs' progress and its state. The
 * hedgehog backend publishes there through Backstage's signals service, the
 * frontend plugin subscribes with `useSignal`.
 *
 * @public
 */
export function fabricSignalChannel(fabric: string): string {
  return `hedgehog:fabric:${fabric}`;
}

/**
 * One message on a fabric's signals channel. It carries run ids, stage names,
 * statuses and counts only — no resource, file, finding or error text — since it
 * is broadcast to every signed-in user subscribed to the channel; a page that
 * receives one reads the details again through the API, which checks
 * `hedgehog.fabric.read` on the fabric.
 *
 * - `run.queued`: a run was queued (a request that joined a queued run sends none);
 * - `run.started`: a replica claimed the run and starts its first stage;
 * - `stage.started` / `stage.ended`: a stage's record was written (`counts` as the
 *   run records them, `errors` its error total); stages that did not run end as
 *   `skipped`;
 * - `run.ended`: the run's final record was written;
 * - `fabric.state`: the fabric's status and drift counts after a run ended.
 *
 * Messages of a run come in this order; a stage that ran within one record write
 * (250 ms) sends its two messages together.
 *
 * @public
 */
export type FabricSignal =
  | { type: 'run.queued'; fabric: string; runId: string; runType: RunType }
  | { type: 'run.started'; fabric: string; runId: string; runType: RunType }
  | {
      type: 'stage.started';
      fabric: string;
      runId: string;
      stage: RunStageName;
    }
  | {
      type: 'stage.ended';
      fabric: string;
      runId: string;
      stage: RunStageName;
      status: StageStatus;
      counts: Record<string, number>;
      errors: number;
    }
  | {
      type: 'run.ended';
      fabric: string;
      runId: string;
      runType: RunType;
      status: RunStatus;
    }
  | {
      type: 'fabric.state';
      fabric: string;
      status: FabricStatus;
      drift: Record<DriftStatus, number>;
    };

/** The type of a fabric signal. @public */
export type FabricSignalType = FabricSignal['type'];

/** The run a message is about, if any (every message but `fabric.state`). @public */
export function signalRunId(message: FabricSignal): string | undefined {
  return message.type === 'fabric.state' ? undefined : message.runId;
}
