/* The backend's event-loop delay while it works (the product runs in the bench process). */
import { monitorEventLoopDelay } from 'perf_hooks';

/** One stretch during which the event loop did not turn, and when it ended. */
export interface Stall {
  /** Epoch ms at which the loop turned again. */
  endedAt: number;
  ms: number;
}

export interface LoopDelay {
  /** Largest delay of the loop (ms), by perf_hooks' histogram (10 ms sampling). */
  max: number;
  p99: number;
  mean: number;
  /** Stalls of more than STALL_MS, by a 5 ms timer: when they ended, for attribution to run stages. */
  stalls: Stall[];
}

const STALL_MS = 20;

/**
 * Measures the event loop's delay while `fn` runs: Node's own histogram
 * (`monitorEventLoopDelay`, what a backend's metrics report) for max and p99, and
 * a 5 ms timer that notes each longer stall with its end time.
 */
export async function withLoopDelay<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; loop: LoopDelay }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const stalls: Stall[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const t = performance.now();
    const late = t - last - 5;
    if (late > STALL_MS) stalls.push({ endedAt: Date.now(), ms: late });
    last = t;
  }, 5);
  histogram.enable();
  try {
    const value = await fn();
    return { value, loop: read() };
  } finally {
    histogram.disable();
    clearInterval(timer);
  }
  function read(): LoopDelay {
    const ms = (ns: number) => ns / 1e6;
    return {
      max: ms(histogram.max),
      p99: ms(histogram.percentile(99)),
      mean: ms(histogram.mean),
      stalls,
    };
  }
}

/**
 * The run's stages a stall began and ended in (by the stage records' times), for
 * the JSON: `plan → validate` is work that began in the plan stage and held the
 * loop until validation had started.
 */
export function stallsByStage(
  stalls: Stall[],
  stages: Array<{ name: string; startedAt: string; finishedAt?: string }>,
): Array<{ stage: string; ms: number }> {
  // stages may overlap (the push runs beside validation): every one under way
  const at = (t: number) =>
    stages
      .filter(
        st =>
          Date.parse(st.startedAt) <= t + 1 &&
          t <= Date.parse(st.finishedAt ?? st.startedAt) + 1,
      )
      .map(st => st.name)
      .join('+') || '(between stages)';
  return stalls.map(s => {
    const began = at(s.endedAt - s.ms);
    const ended = at(s.endedAt);
    return {
      stage: began === ended ? began : `${began} → ${ended}`,
      ms: Math.round(s.ms),
    };
  });
}
