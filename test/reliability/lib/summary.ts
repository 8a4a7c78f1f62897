/*
 * Per-section bookkeeping of the reliability suite: every case is a jest test
 * registered through `track()`, which records whether it passed; `afterAll`
 * prints one line per section, e.g.
 *   [reliability] section 1 (bad input): 52 cases tried, 52 passed
 */

export class SectionSummary {
  /** undefined = registered, not run (yet); then whether it passed. */
  private readonly results = new Map<string, boolean | undefined>();

  constructor(readonly title: string) {
    afterAll(() => {
      // console.log goes through jest's reporter; the line is easy to grep.
      // eslint-disable-next-line no-console
      console.log(this.line());
    });
  }

  line(): string {
    const ran = [...this.results.entries()].filter(([, ok]) => ok !== undefined);
    const passed = ran.filter(([, ok]) => ok).length;
    const failed = ran.filter(([, ok]) => !ok).map(([n]) => n);
    const notRun = this.results.size - ran.length;
    return `[reliability] ${this.title}: ${ran.length} cases tried, ${passed} passed${
      failed.length ? ` (failed: ${failed.join('; ')})` : ''
    }${notRun ? `; ${notRun} registered case(s) did not run (setup failed or filtered out)` : ''}`;
  }

  /** Wraps a case body so its outcome is counted. */
  track<A extends unknown[]>(name: string, fn: (...args: A) => Promise<void> | void) {
    this.results.set(name, undefined);
    return async (...args: A) => {
      this.results.set(name, false);
      await fn(...args);
      this.results.set(name, true);
    };
  }

  /** Records an outcome that is not a jest test of its own (e.g. one trial of many). */
  record(name: string, ok: boolean) {
    this.results.set(name, ok);
  }
}
