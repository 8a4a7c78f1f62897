/*
 * Child process of the W100k figure: one backend process (a HedgehogService on
 * SQLite) syncs the 20 fabrics of one repository one after another, then
 * re-syncs each (no-op), and reports per-fabric times and its own peak RSS
 * (VmHWM = getrusage maxrss: the high-water mark of the whole process, sampled
 * by the kernel, not by us). Git child processes are not included.
 *
 *   w100k.ts <remote.git> <work-dir> <fabric,fabric,...> <out.json>
 */
import { promises as fs, readFileSync } from 'fs';
import path from 'path';
import { createProduct, fabricConfig } from './lib/product';
import { cpuMs, now, percentile } from './lib/util';

const mb = (bytes: number) => bytes / 1024 / 1024;
const vm = (field: 'VmHWM' | 'VmRSS') => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync('/proc/self/status', 'utf8'),
  );
  return m ? Number(m[1]) / 1024 : mb(process.resourceUsage().maxRSS * 1024);
};

async function main() {
  const [remote, dir, names, out] = process.argv.slice(2);
  const fabrics = names.split(',');
  const product = await createProduct({
    db: 'sqlite',
    dbDir: path.join(dir, 'db'),
    workingDirectory: path.join(dir, 'wd'),
    fabrics: fabrics.map(f => fabricConfig(f, `file://${remote}`)),
  });
  global.gc?.();
  const baselineRss = vm('VmRSS');
  let sampledPeak = 0;
  let sampledHeapPeak = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    sampledPeak = Math.max(sampledPeak, mb(m.rss));
    sampledHeapPeak = Math.max(sampledHeapPeak, mb(m.heapUsed));
  }, 25);

  const cold: Array<{
    fabric: string;
    ms: number;
    cpu: number;
    rssAfter: number;
    stages: Record<string, number>;
  }> = [];
  const t0 = now();
  for (const f of fabrics) {
    const t = now();
    const c = cpuMs();
    const run = await product.sync(f);
    const ms = now() - t;
    const cpu = cpuMs() - c;
    const created = run.stages.find(s => s.name === 'ingest')?.counts
      .resourcesCreated;
    if (run.status !== 'succeeded' || !created)
      throw new Error(
        `W100k sync of ${f}: ${run.status} ${
          run.error ?? ''
        } created ${created}`,
      );
    const stages = Object.fromEntries(
      run.stages
        .filter(s => s.status !== 'skipped')
        .map(s => [
          s.name,
          Date.parse(s.finishedAt!) - Date.parse(s.startedAt),
        ]),
    );
    cold.push({ fabric: f, ms, cpu, rssAfter: vm('VmRSS'), stages });
    // BENCH_HEAP_DEBUG=1 (with --expose-gc): the live heap after each fabric (a full GC first; it lowers the peak)
    const m = process.memoryUsage();
    const heap = `heap ${mb(m.heapUsed).toFixed(0)}/${mb(m.heapTotal).toFixed(
      0,
    )} MB, external ${mb(m.external).toFixed(0)} MB`;
    const live =
      process.env.BENCH_HEAP_DEBUG && global.gc
        ? (global.gc(),
          `, live heap ${mb(process.memoryUsage().heapUsed).toFixed(0)} MB`)
        : '';
    process.stderr.write(
      `  W100k ${f}: ${ms.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms), RSS ${vm(
        'VmRSS',
      ).toFixed(0)} MB, peak ${vm('VmHWM').toFixed(0)} MB, ${heap}${live}\n`,
    );
  }
  const coldTotal = now() - t0;
  const peakAfterCold = vm('VmHWM');

  // Re-sync every fabric: nothing changed in any fabric directory, but the
  // branch moved since all but the last fabric were synced.
  const noop: Array<{ fabric: string; ms: number; planMessage?: string }> = [];
  for (const f of fabrics) {
    const t = now();
    const run = await product.sync(f);
    const ms = now() - t;
    if (run.status !== 'succeeded')
      throw new Error(
        `W100k re-sync of ${f}: ${run.status} ${run.error ?? ''}`,
      );
    noop.push({
      fabric: f,
      ms,
      planMessage: run.stages.find(s => s.name === 'plan')?.message,
    });
  }

  // The resources page of one fabric among 20 (100k rows in the table).
  const middle = fabrics[Math.floor(fabrics.length / 2)];
  const page: number[] = [];
  for (let i = 0; i < 220; i++) {
    const t = now();
    await product.store.listResources(middle, { offset: 0, limit: 50 });
    if (i >= 20) page.push(now() - t);
  }
  clearInterval(sampler);
  const result = {
    fabrics: fabrics.length,
    baselineRssMB: baselineRss,
    peakRssMB: vm('VmHWM'),
    peakRssAfterColdMB: peakAfterCold,
    sampledPeakRssMB: sampledPeak,
    sampledPeakHeapMB: sampledHeapPeak,
    coldTotalMs: coldTotal,
    cold,
    noop,
    pageStore: {
      fabric: middle,
      p50: percentile(page, 50),
      p95: percentile(page, 95),
    },
  };
  await fs.writeFile(out, JSON.stringify(result, null, 2));
  await product.close();
  process.exit(0);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
