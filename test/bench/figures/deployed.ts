/*
 * The cold sync as deployed (group `deployed`): the real backend (packages/backend,
 * every plugin of the demo backend, in its own process, lib/uiApp.ts) with W5k
 * copies as app-config fabrics that nothing syncs on its own; each measured sync is
 * requested over HTTP (`POST /fabrics/:fabric/sync`, as the Sync button does) and
 * timed until `GET /runs/:id` reports it ended. Beside it, in the same run and on
 * the same file system (disk, not /dev/shm: `BENCH_DISK_DIR`, default
 * test/bench/results/disk), the limit of lib/coldLimit.ts. Runs alternate product and
 * limit; one warm-up sync of each first (not counted); each measurement starts with
 * the backend at rest (untilIdle).
 */
import { promises as fs } from 'fs';
import path from 'path';
import { coldSyncLimit } from '../lib/coldLimit';
import { Figure, figure } from '../lib/report';
import { startUiApp } from '../lib/uiApp';
import {
  copyDir,
  log,
  makeRepo,
  median,
  now,
  processCpuMs,
} from '../lib/util';
import { BenchContext } from './sync';

const TARGET = 1.5;

/**
 * Waits until the backend is at rest (under 5% of a core for 2 s): after a sync its
 * catalog module's entities are processed by the catalog in the same process for a
 * while, which would otherwise run beside the next measured sync or limit.
 */
async function untilIdle(pid: number, maxMs = 120_000) {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  let last = processCpuMs(pid);
  while (Date.now() < deadline && quiet < 2) {
    await new Promise(r => setTimeout(r, 1000));
    const cpu = processCpuMs(pid);
    quiet = cpu - last < 50 ? quiet + 1 : 0;
    last = cpu;
  }
  return quiet >= 2;
}

interface RunView {
  status: string;
  error?: string;
  stages: Array<{
    name: string;
    status: string;
    startedAt: string;
    finishedAt?: string;
    counts?: Record<string, number>;
  }>;
}

export async function deployedFigures(
  ctx: BenchContext,
  notes: string[],
): Promise<Figure[]> {
  // run.mjs points TMPDIR at the scratch folder (/dev/shm): the default is on the repository's disk
  const disk =
    process.env.BENCH_DISK_DIR ?? path.join(__dirname, '..', 'results', 'disk');
  await fs.mkdir(disk, { recursive: true });
  const base = await fs.mkdtemp(path.join(disk, 'deployed-'));
  try {
    return await measure(ctx, base, notes);
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}

async function measure(ctx: BenchContext, base: string, notes: string[]) {
  const { fabric, reps } = ctx;
  const names = Array.from({ length: reps + 1 }, (_, i) => `d${i}`);
  // one repository holding a copy of W5k per run (the warm-up's first)
  const remote = path.join(base, 'product.git');
  await makeRepo(
    remote,
    names.flatMap(n =>
      fabric.files.map(f => ({
        path: `fabrics/${n}/${f.path}`,
        content: f.content,
      })),
    ),
  );
  const app = await startUiApp(base, names[0], remote, {
    fabrics: names.map(n => ({
      name: n,
      title: `Bench ${n}`,
      owner: 'user:development/guest',
      git: {
        url: `file://${remote}`,
        branch: 'main',
        path: `fabrics/${n}`,
        writeMode: 'push',
      },
    })),
    initialDelay: { hours: 12 },
    waitForSync: false,
  });
  // measurements that started while the backend still worked after 120 s of waiting
  const started = { busy: 0 };
  const product: number[] = [];
  const limit: number[] = [];
  const runs: RunView[] = [];
  const limitPhases: Array<Record<string, number>> = [];
  try {
    const syncOverHttp = async (name: string) => {
      const t0 = now();
      const { runId } = await app.api(`/fabrics/${name}/sync`, {
        method: 'POST',
        body: {},
      });
      for (;;) {
        const run = (await app.api(`/runs/${runId}`)) as RunView;
        if (run.status !== 'queued' && run.status !== 'running') {
          const ms = now() - t0;
          const ingest = run.stages.find(s => s.name === 'ingest')?.counts;
          if (run.status !== 'succeeded' || ingest?.resourcesCreated !== fabric.resources)
            throw new Error(
              `sync of ${name}: ${run.status} ${run.error ?? ''} (ingest ${JSON.stringify(ingest)})`,
            );
          return { ms, run };
        }
        await new Promise(r => setTimeout(r, 10));
      }
    };
    const runLimit = async (i: number) => {
      const limitRemote = path.join(base, `limit${i}.git`);
      await copyDir(ctx.template, limitRemote);
      const r = await coldSyncLimit(
        `file://${limitRemote}`,
        path.join(base, `limit${i}-work.git`),
        `fabrics/${fabric.name}`,
      );
      if (r.resources !== fabric.resources)
        throw new Error(`limit: ${r.resources} resources`);
      return r;
    };
    for (let i = 0; i <= reps; i++) {
      const p = async () => {
        if (!(await untilIdle(app.pid))) started.busy++;
        const r = await syncOverHttp(names[i]);
        if (i > 0) {
          product.push(r.ms);
          runs.push(r.run);
        }
      };
      const l = async () => {
        if (!(await untilIdle(app.pid))) started.busy++;
        const r = await runLimit(i);
        if (i > 0) {
          limit.push(r.ms);
          limitPhases.push(r.phases);
        }
      };
      if (i % 2) {
        await p();
        await l();
      } else {
        await l();
        await p();
      }
      log(
        `deployed: run ${i}${i ? '' : ' (warm-up)'}: product ${
          product[product.length - 1]?.toFixed(0) ?? '–'
        } ms, limit ${limit[limit.length - 1]?.toFixed(0) ?? '–'} ms`,
      );
    }
  } finally {
    await app.stop();
  }
  const stageNames = [...new Set(runs.flatMap(r => r.stages.map(s => s.name)))];
  const stages = Object.fromEntries(
    stageNames.map(n => [
      n,
      median(
        runs.map(r => {
          const s = r.stages.find(x => x.name === n);
          return s?.finishedAt
            ? Date.parse(s.finishedAt) - Date.parse(s.startedAt)
            : 0;
        }),
      ),
    ]),
  );
  const phaseNames = Object.keys(limitPhases[0] ?? {});
  const f = figure({
    id: 'sync.cold.deployed',
    title: `cold sync W5k as deployed (the demo backend in its own process, requested over HTTP, on disk), beside the limit`,
    unit: 'ms',
    productRuns: product,
    floorRuns: limit,
    floorWhat:
      'bare clone, every raw file parsed, one git fast-import commit streamed, push',
    target: `≤ ${TARGET}× the limit`,
    details: {
      productStages: stages,
      limitPhases: Object.fromEntries(
        phaseNames.map(n => [n, median(limitPhases.map(p => p[n]))]),
      ),
      disk: base,
      startedBusy: started.busy,
    },
  });
  f.met = f.ratio !== undefined && f.ratio <= TARGET;
  if (!f.met)
    notes.push(
      `sync.cold.deployed: ${f.ratio?.toFixed(2)}× the limit (target ≤ ${TARGET}×); stages ${JSON.stringify(stages)}`,
    );
  return [f];
}
