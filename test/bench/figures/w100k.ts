/* W100k: 20 W5k fabrics in one repository, synced one after another by one process. */
import { spawn } from 'child_process';
import { build } from 'esbuild';
import { promises as fs } from 'fs';
import path from 'path';
import { generate } from '../lib/generate';
import { fetchFloor } from '../lib/floors';
import { figure } from '../lib/report';
import { copyDir, git, log, makeRepo, median, wanted } from '../lib/util';
import { BenchContext } from './sync';

/** V8 old-space cap of the second W100k process (what a container's memory limit would impose). */
const CAPPED_OLD_SPACE_MB = 256;

/**
 * The W100k process runs the product compiled, as a production backend does
 * (Backstage builds backend packages to JavaScript): w100k.ts and the workspace
 * packages it reaches are bundled with esbuild (dependencies stay in
 * node_modules), outside the source tree. Under the development TypeScript
 * hook the same process starts ~60 MB larger (the transform's native code and
 * the transformed sources).
 */
export async function compiledChild(entry = 'w100k.ts'): Promise<string> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const out = path.join(
    root,
    'node_modules',
    '.cache',
    'hedgehog-bench',
    `${path.basename(entry, '.ts')}.cjs`,
  );
  const alias: Record<string, string> = {};
  for (const dir of await fs.readdir(path.join(root, 'plugins'))) {
    const pkg = JSON.parse(
      await fs.readFile(path.join(root, 'plugins', dir, 'package.json'), 'utf8'),
    );
    alias[pkg.name] = path.join(root, 'plugins', dir, pkg.main);
  }
  await build({
    entryPoints: [path.join(__dirname, '..', entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    packages: 'external',
    alias,
    logLevel: 'warning',
  });
  return out;
}

/** The bench's Node flags without the TypeScript hook. */
export function compiledExecArgv(): string[] {
  const args: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i];
    if (a === '--require' && /nodeTransform/.test(process.execArgv[i + 1] ?? '')) i++;
    else args.push(a);
  }
  return args;
}

async function runChild(args: string[], extraFlags: string[] = []): Promise<void> {
  const script = await compiledChild();
  return new Promise((resolve, reject) => {
    const flags = [
      ...extraFlags,
      ...(process.env.BENCH_HEAP_DEBUG ? ['--expose-gc'] : []),
    ];
    const child = spawn(
      process.execPath,
      [
        ...compiledExecArgv(),
        ...flags,
        script,
        ...args,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: process.env,
      },
    );
    child.on('error', reject);
    child.on('close', code =>
      code === 0
        ? resolve()
        : reject(new Error(`the W100k process exited with ${code}`)),
    );
  });
}

export async function w100kFigures(
  ctx: BenchContext,
  count: number,
  resources: number,
) {
  const dir = path.join(ctx.root, 'w100k');
  await fs.mkdir(dir, { recursive: true });
  const names = Array.from(
    { length: count },
    (_, i) => `f${String(i).padStart(2, '0')}`,
  );
  const files: Array<{ path: string; content: string }> = [];
  let total = 0;
  for (const n of names) {
    const f = generate(n, resources);
    total += f.resources;
    for (const file of f.files)
      files.push({ path: `fabrics/${n}/${file.path}`, content: file.content });
  }
  const remote = path.join(dir, 'remote.git');
  await makeRepo(remote, files);
  files.length = 0;
  log(
    `W100k: ${count} fabrics, ${total} resources in one repository; syncing in a child process`,
  );

  const capped = wanted('w100k.rss.capped');
  const remoteCapped = path.join(dir, 'remote-capped.git');
  if (capped) await copyDir(remote, remoteCapped);

  const out = path.join(dir, 'result.json');
  await runChild([remote, path.join(dir, 'child'), names.join(','), out]);
  const r = JSON.parse(await fs.readFile(out, 'utf8'));
  // the same again, with V8's old space capped: how much of the peak is live data and how much heap slack
  let rc: any;
  if (capped) {
    log(`W100k again with --max-old-space-size=${CAPPED_OLD_SPACE_MB}`);
    const outCapped = path.join(dir, 'result-capped.json');
    await runChild(
      [
        remoteCapped,
        path.join(dir, 'child-capped'),
        names.join(','),
        outCapped,
      ],
      [`--max-old-space-size=${CAPPED_OLD_SPACE_MB}`],
    );
    rc = JSON.parse(await fs.readFile(outCapped, 'utf8'));
  }

  const clone = path.join(dir, 'floor-clone');
  await git(['clone', '--quiet', '--bare', `file://${remote}`, clone]);
  const fetches: number[] = [];
  for (let i = 0; i < ctx.reps; i++) fetches.push(await fetchFloor(clone));

  const coldMs: number[] = r.cold.map((c: { ms: number }) => c.ms);
  const coldCpu: number[] = r.cold.map((c: { cpu: number }) => c.cpu);
  const k = Math.min(5, Math.floor(coldMs.length / 2));
  const first = figure({
    id: 'w100k.independence',
    title: `W100k: cold sync of one fabric, last ${k} vs first ${k} of ${count} (median)`,
    unit: 'ms',
    productRuns: coldMs.slice(-k),
    floorRuns: coldMs.slice(0, k),
    productCpu: coldCpu.slice(-k),
    floorCpu: coldCpu.slice(0, k),
    floorWhat: `first ${k} fabrics`,
    target: '≤ 1.25× in CPU (independent of other fabrics)',
    details: {
      perFabricMs: coldMs,
      perFabricCpuMs: coldCpu,
      stages: r.cold.map((c: { stages: unknown }) => c.stages),
    },
  });
  // judged on CPU time: over the minutes this takes, the machine's load drifts more than 25 %
  first.met = (first.cpu?.ratio ?? first.ratio!) <= 1.25;
  const noopMs: number[] = r.noop.map((c: { ms: number }) => c.ms);
  const noop = figure({
    id: 'w100k.noop',
    title: `W100k: no-op re-sync of one fabric (branch moved by the other fabrics' commits), median`,
    unit: 'ms',
    productRuns: noopMs,
    floorRuns: fetches,
    floorWhat: 'git fetch',
    target: '≤ floor + 50 ms',
    details: { noop: r.noop },
  });
  noop.met = noop.product <= noop.floor! + 50;
  ctx.figures.push(
    {
      id: 'w100k.rss',
      title: `peak backend RSS during a W100k sync (${count} fabrics, ${total} resources, one process)`,
      unit: 'MB',
      product: r.peakRssMB,
      target: '< 500 MB',
      met: r.peakRssMB < 500,
      details: {
        baselineRssMB: r.baselineRssMB,
        peakRssAfterColdMB: r.peakRssAfterColdMB,
        sampledPeakHeapMB: r.sampledPeakHeapMB,
        rssAfterEachFabricMB: r.cold.map((c: { rssAfter: number }) =>
          Math.round(c.rssAfter),
        ),
      },
    },
    {
      id: 'w100k.total',
      title: `W100k sync, total (${count} fabrics one after another${
        rc ? `; capped heap: ${(rc.coldTotalMs / 1000).toFixed(1)} s` : ''
      })`,
      unit: 'ms',
      product: r.coldTotalMs,
    },
    first,
    noop,
    {
      id: 'w100k.page',
      title: `W100k: resources page of one fabric among ${count} (store, ${total} rows), p95`,
      unit: 'ms',
      product: r.pageStore.p95,
      target: '< 50 ms',
      met: r.pageStore.p95 < 50,
      details: r.pageStore,
    },
  );
  if (rc)
    ctx.figures.splice(
      ctx.figures.findIndex(f => f.id === 'w100k.rss') + 1,
      0,
      {
        id: 'w100k.rss.capped',
        title: `… the same W100k sync with V8's old space capped (--max-old-space-size=${CAPPED_OLD_SPACE_MB}): peak RSS`,
        unit: 'MB',
        product: rc.peakRssMB,
        target: '< 500 MB',
        met: rc.peakRssMB < 500,
        details: {
          baselineRssMB: rc.baselineRssMB,
          coldTotalMs: rc.coldTotalMs,
          rssAfterEachFabricMB: rc.cold.map((c: { rssAfter: number }) =>
            Math.round(c.rssAfter),
          ),
        },
      },
    );
  log(
    `W100k: peak RSS ${r.peakRssMB.toFixed(
      0,
    )} MB (baseline ${r.baselineRssMB.toFixed(0)} MB${
      rc ? `; capped heap ${rc.peakRssMB.toFixed(0)} MB` : ''
    }), total ${(r.coldTotalMs / 1000).toFixed(1)} s, no-op median ${median(
      noopMs,
    ).toFixed(0)} ms`,
  );
}
