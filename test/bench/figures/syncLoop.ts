/* Event-loop delay of the backend during cold syncs of W5k (measured in sync.ts's cold-sync runs). */
import { RunRecord } from '../../../plugins/hedgehog-backend/src/database/HedgehogStore';
import { LoopDelay, stallsByStage } from '../lib/loopDelay';
import { Figure, figure } from '../lib/report';

/** The most a handler may hold the event loop (docs/architecture.md#invariants: the event loop stays free). */
export const LOOP_TARGET_MS = 50;

/** The figures `sync.loop` (max) and `sync.loop.p99` from the runs' loop measurements. */
export function loopFigures(
  resources: number,
  loops: LoopDelay[],
  runs: RunRecord[],
): Figure[] {
  const details = {
    runs: loops.map((l, i) => ({
      max: l.max,
      p99: l.p99,
      mean: l.mean,
      stalls: runs[i] ? stallsByStage(l.stalls, runs[i].stages) : [],
    })),
  };
  const max = figure({
    id: 'sync.loop',
    title: `event-loop delay during a cold sync W5k (${resources} resources): max`,
    unit: 'ms',
    productRuns: loops.map(l => l.max),
    target: `≤ ${LOOP_TARGET_MS} ms`,
    details,
  });
  max.met = max.product <= LOOP_TARGET_MS;
  const p99 = figure({
    id: 'sync.loop.p99',
    title: '… the same: p99 of the delay',
    unit: 'ms',
    productRuns: loops.map(l => l.p99),
  });
  return [max, p99];
}
