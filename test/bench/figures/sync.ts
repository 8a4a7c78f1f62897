/* Sync figures on W5k: cold sync, no-op re-sync, and (syncChange.ts) re-syncs after one change. */
import { promises as fs } from 'fs';
import path from 'path';
import { RunRecord } from '../../../plugins/hedgehog-backend/src/database/HedgehogStore';
import { GeneratedFabric, generate } from '../lib/generate';
import { coldSyncFloor, fetchFloor } from '../lib/floors';
import { Product, createProduct, fabricConfig } from '../lib/product';
import { Figure, figure } from '../lib/report';
import { checkedSync, medianStages } from '../lib/syncChecks';
import { changeFigures } from './syncChange';
import { loopFigures } from './syncLoop';
import { LoopDelay, withLoopDelay } from '../lib/loopDelay';
import { copyDir, git, log, makeRepo, measured, wanted } from '../lib/util';

export interface BenchContext {
  root: string;
  reps: number;
  fabric: GeneratedFabric;
  /** Bare repository holding the fabric's raw files under fabrics/<name>/. */
  template: string;
  figures: Figure[];
  /** Figures other groups refer to (e.g. the no-op time). */
  shared: Record<string, number>;
}

export async function templateRepo(
  root: string,
  fabric: GeneratedFabric,
): Promise<string> {
  const bare = path.join(root, `template-${fabric.name}.git`);
  await makeRepo(
    bare,
    fabric.files.map(f => ({
      path: `fabrics/${fabric.name}/${f.path}`,
      content: f.content,
    })),
  );
  return bare;
}

/** A small sync and floor first, so that the measured runs do not pay for loading and JIT. */
export async function warmUp(root: string) {
  const small = generate('warm', 300);
  const dir = path.join(root, 'warmup');
  await fs.mkdir(dir, { recursive: true });
  const template = await templateRepo(dir, small);
  await copyDir(template, path.join(dir, 'p.git'));
  await copyDir(template, path.join(dir, 'f.git'));
  const product = await createProduct({
    db: 'sqlite',
    dbDir: path.join(dir, 'db'),
    workingDirectory: path.join(dir, 'wd'),
    fabrics: [fabricConfig('warm', `file://${path.join(dir, 'p.git')}`)],
  });
  await checkedSync(product, 'warm', {
    created: small.resources,
    committed: true,
  });
  await product.close();
  await coldSyncFloor(
    `file://${path.join(dir, 'f.git')}`,
    path.join(dir, 'clone'),
    'fabrics/warm',
  );
}

export async function syncFigures(ctx: BenchContext) {
  const { root, reps, fabric } = ctx;
  const name = fabric.name;
  const dir = path.join(root, 'sync');
  await fs.mkdir(dir, { recursive: true });

  // ---- cold sync (at least one, without its floor, as the start of the other figures) ----
  const wantCold = wanted('sync.cold');
  // the backend's event-loop delay, measured during the product's cold syncs
  const wantLoop = wanted('sync.loop');
  const coldReps = wantCold || wantLoop ? reps : 1;
  const loops: LoopDelay[] = [];
  const cold: number[] = [];
  const coldFloor: number[] = [];
  const coldCpu: number[] = [];
  const coldFloorCpu: number[] = [];
  const coldRuns: RunRecord[] = [];
  const floorPhases: Array<Record<string, number>> = [];
  let product: Product | undefined;
  let remote = '';
  for (let i = 0; i < coldReps; i++) {
    const rep = path.join(dir, `rep${i}`);
    await fs.mkdir(rep, { recursive: true });
    remote = path.join(rep, 'product.git');
    await copyDir(ctx.template, remote);
    await copyDir(ctx.template, path.join(rep, 'floor.git'));
    await product?.close();
    const current = await createProduct({
      db: 'sqlite',
      dbDir: path.join(rep, 'db'),
      workingDirectory: path.join(rep, 'wd'),
      fabrics: [fabricConfig(name, `file://${remote}`)],
    });
    product = current;
    const runProduct = async () => {
      const sync = () =>
        checkedSync(current, name, {
          created: fabric.resources,
          committed: true,
        });
      let result: Awaited<ReturnType<typeof sync>>;
      if (wantLoop) {
        const measuredLoop = await withLoopDelay(sync);
        result = measuredLoop.value;
        loops.push(measuredLoop.loop);
      } else {
        result = await sync();
      }
      const { ms, cpu, run } = result;
      cold.push(ms);
      coldCpu.push(cpu);
      coldRuns.push(run);
    };
    const runFloor = async () => {
      const m = await measured(() =>
        coldSyncFloor(
          `file://${path.join(rep, 'floor.git')}`,
          path.join(rep, 'floor-clone'),
          `fabrics/${name}`,
        ),
      );
      const f = m.value;
      if (f.resources !== fabric.resources)
        throw new Error(`floor wrote ${f.resources} resources`);
      coldFloor.push(m.ms);
      coldFloorCpu.push(m.cpu);
      floorPhases.push(f.phases);
    };
    // alternate the order so that neither side always runs first
    if (!wantCold) {
      await runProduct();
      log(
        `cold sync ${
          wantLoop ? `${i + 1}/${coldReps}` : '(setup)'
        }: product ${cold[i].toFixed(0)} ms${
          wantLoop
            ? `, event-loop delay max ${loops[i].max.toFixed(
                0,
              )} ms, p99 ${loops[i].p99.toFixed(0)} ms`
            : ''
        }`,
      );
      continue;
    } else if (i % 2 === 0) {
      await runProduct();
      await runFloor();
    } else {
      await runFloor();
      await runProduct();
    }
    log(
      `cold sync ${i + 1}/${reps}: product ${cold[i].toFixed(
        0,
      )} ms (CPU ${coldCpu[i].toFixed(0)} ms), floor ${coldFloor[i].toFixed(
        0,
      )} ms (CPU ${coldFloorCpu[i].toFixed(0)} ms)`,
    );
  }
  if (wantCold)
    ctx.figures.push(
      figure({
        id: 'sync.cold',
        title: `cold sync W5k (${fabric.resources} resources, ${fabric.files.length} raw files)`,
        unit: 'ms',
        productRuns: cold,
        floorRuns: coldFloor,
        productCpu: coldCpu,
        floorCpu: coldFloorCpu,
        floorWhat: 'clone + parse + write files + add/commit + push',
        target: '≤ 1.5× floor',
        details: { stages: medianStages(coldRuns), floorPhases: floorPhases },
      }),
    );
  if (wantCold) {
    const coldFig = ctx.figures[ctx.figures.length - 1];
    coldFig.met = coldFig.ratio! <= 1.5;
  }
  if (wantLoop)
    ctx.figures.push(...loopFigures(fabric.resources, loops, coldRuns));
  // the one-file change is judged against the no-op: it needs it
  if (!wanted('sync.noop') && !wanted('sync.change')) {
    await product!.close();
    return;
  }

  // ---- no-op re-sync (the last rep's product, warm, as a running backend is) ----
  const floorClone = path.join(dir, 'noop-floor-clone');
  await git(['clone', '--quiet', `file://${remote}`, floorClone]);
  const noop: number[] = [];
  const noopFloor: number[] = [];
  const noopRuns: RunRecord[] = [];
  for (let i = 0; i < reps; i++) {
    noopFloor.push(await fetchFloor(floorClone));
    const { ms, run } = await checkedSync(product!, name, { committed: false });
    if (
      !run.stages
        .find(s => s.name === 'plan')
        ?.message?.startsWith('nothing changed')
    ) {
      throw new Error('the no-op re-sync did not stop early');
    }
    noop.push(ms);
    noopRuns.push(run);
  }
  const noopFig = figure({
    id: 'sync.noop',
    title: 'no-op re-sync W5k',
    unit: 'ms',
    productRuns: noop,
    floorRuns: noopFloor,
    floorWhat: 'git fetch',
    target: '≤ floor + 50 ms',
    details: { stages: medianStages(noopRuns) },
  });
  noopFig.met = noopFig.product <= noopFig.floor! + 50;
  ctx.figures.push(noopFig);
  ctx.shared.noop = noopFig.product;
  log(
    `no-op: product ${noopFig.product.toFixed(
      0,
    )} ms, floor ${noopFig.floor!.toFixed(0)} ms`,
  );

  if (!wanted('sync.change')) {
    await product!.close();
    return;
  }

  await changeFigures(ctx, {
    product: product!,
    remote,
    dir,
    floorClone,
    noopMs: noopFig.product,
  });
  await product!.close();
}
