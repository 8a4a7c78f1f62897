import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Work written as a generator that yields between small units (a document, a
 * group of uses): run at once (`runSteps`, the synchronous API) or in slices that
 * let the event loop turn between them (`runStepsSliced`, for the backend's
 * thread). The same code runs either way, so the result is the same.
 */
export type Steps<T = void> = Generator<void, T, void>;

/** How long a slice may hold the event loop before it lets other work run. */
export const SLICE_MS = 10;

/** Runs the steps to the end, without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Runs the steps, giving the event loop a turn (setImmediate: timers, I/O and
 * other requests first) whenever a slice has run for `sliceMs`.
 */
export async function runStepsSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let started = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - started >= sliceMs) {
      await nextTurn();
      started = performance.now();
    }
  }
}
