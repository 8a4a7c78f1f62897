/* Sync figures on W5k: cold sync, no-op re-sync, re-sync after one changed raw file. */
import { promises as fs } from 'fs';
import path from 'path';
import { RunRecord } from '../../../plugins/hedgehog-backend/src/database/HedgehogStore';
import { GeneratedFabric, extraVpcFile, generate } from '../lib/generate';
import {
  changedFileCommitFloor,
  changedFileFloor,
  coldSyncFloor,
  fetchFloor,
} from '../lib/floors';
import { Product, createProduct, fabricConfig } from '../lib/product';
import { Figure, figure } from '../lib/report';
import {
  copyDir,
  git,
  log,
  makeRepo,
  measured,
  median,
  wanted,
} from '../lib/util';

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

export const stageMs = (run: RunRecord) =>
  Object.fromEntries(
    run.stages
      .filter(s => s.status !== 'skipped')
      .map(s => [
        s.name,
        Date.parse(s.finishedAt ?? s.startedAt) - Date.parse(s.startedAt),
      ]),
  );

const stageCounts = (run: RunRecord, name: string) =>
  run.stages.find(s => s.name === name)?.counts ?? {};

/** Median per stage over runs. */
function medianStages(runs: RunRecord[]) {
  const all = runs.map(stageMs);
  const names = [...new Set(all.flatMap(s => Object.keys(s)))];
  return Object.fromEntries(
    names.map(n => [n, median(all.map(s => s[n] ?? 0))]),
  );
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

/** One sync through the product, checked: it must succeed without findings. */
async function checkedSync(
  product: Product,
  fabric: string,
  expect: { created?: number; committed: boolean },
) {
  const { ms, cpu, value: run } = await measured(() => product.sync(fabric));
  const ingest = stageCounts(run, 'ingest');
  const validate = stageCounts(run, 'validate');
  const commit = stageCounts(run, 'commit');
  if (run.status !== 'succeeded' || (validate.errors ?? 0) > 0) {
    throw new Error(
      `sync of ${fabric} was ${run.status}: ${run.error ?? ''} ${JSON.stringify(
        run.stages.map(s => [s.name, s.errors]),
      )}`,
    );
  }
  if (
    expect.created !== undefined &&
    ingest.resourcesCreated !== expect.created
  ) {
    throw new Error(
      `sync of ${fabric} created ${ingest.resourcesCreated} resources, expected ${expect.created}`,
    );
  }
  if (Boolean(commit.commits) !== expect.committed) {
    throw new Error(
      `sync of ${fabric}: commits ${commit.commits}, expected ${
        expect.committed ? 1 : 0
      }`,
    );
  }
  return { ms, cpu, run };
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
  const coldReps = wantCold ? reps : 1;
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
      const { ms, cpu, run } = await checkedSync(current, name, {
        created: fabric.resources,
        committed: true,
      });
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
      log(`cold sync (setup): product ${cold[i].toFixed(0)} ms`);
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

  // ---- one changed raw file: a new file with a VPC and two attachments ----
  const helper = path.join(dir, 'change-helper');
  await git(['clone', '--quiet', `file://${remote}`, helper]);
  // the plain-tools way of a change that is committed: a clone pushing to a scratch remote of its own
  const commitClone = path.join(dir, 'change-commit-floor');
  await git(['clone', '--quiet', `file://${remote}`, commitClone]);
  await copyDir(remote, path.join(dir, 'change-commit-floor.git'));
  await git(
    [
      'remote',
      'add',
      'floor',
      `file://${path.join(dir, 'change-commit-floor.git')}`,
    ],
    { cwd: commitClone },
  );
  const commitFloor: number[] = [];
  const transport: number[] = [];
  const change: number[] = [];
  const changeFloor: number[] = [];
  const changeRuns: RunRecord[] = [];
  for (let n = 1; n <= reps; n++) {
    const file = extraVpcFile(fabric, n);
    const repoPath = `fabrics/${name}/${file.path}`;
    await git(['fetch', '--quiet', 'origin'], { cwd: helper });
    await git(['reset', '--quiet', '--hard', 'origin/main'], { cwd: helper });
    await fs.mkdir(path.dirname(path.join(helper, repoPath)), {
      recursive: true,
    });
    await fs.writeFile(path.join(helper, repoPath), file.content);
    await git(['add', '-A'], { cwd: helper });
    await git(['commit', '--quiet', '-m', `add ${file.path}`], { cwd: helper });
    await git(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: helper });
    changeFloor.push(await changedFileFloor(floorClone, repoPath));
    const plain = await changedFileCommitFloor(
      commitClone,
      `fabrics/${name}`,
      repoPath,
    );
    commitFloor.push(plain.ms);
    transport.push(plain.fetchMs + plain.pushMs);
    const { ms, run } = await checkedSync(product!, name, {
      created: file.documents,
      committed: true,
    });
    change.push(ms);
    changeRuns.push(run);
  }
  const changeFig = figure({
    id: 'sync.change',
    title: 're-sync W5k after one changed raw file',
    unit: 'ms',
    productRuns: change,
    floorRuns: changeFloor,
    floorWhat: 'git fetch + parse that file',
    target: `≤ 2× no-op (${(2 * noopFig.product).toFixed(0)} ms)`,
    details: {
      stages: medianStages(changeRuns),
      counts: changeRuns.map(r => stageCounts(r, 'plan')),
      // fetch + reset + parse + write + git rm/add/commit + push: what committing the change costs with plain git
      floorWithCommitMs: commitFloor,
      floorWithCommitMedian: median(commitFloor),
    },
  });
  changeFig.met = changeFig.product <= 2 * noopFig.product;
  ctx.figures.push(changeFig);
  ctx.figures.push(
    figure({
      id: 'sync.change.commit',
      title: '… the same, beside committing that change with plain git',
      unit: 'ms',
      productRuns: change,
      floorRuns: commitFloor,
      floorWhat: 'fetch + reset + parse + write + add/commit + push',
    }),
  );
  // What a sync that commits spends in git's transport alone, beside the target.
  ctx.figures.push(
    figure({
      id: 'sync.change.transport',
      title: `… the same, beside git fetch + git push alone (target 2× no-op: ${(
        2 * noopFig.product
      ).toFixed(0)} ms)`,
      unit: 'ms',
      productRuns: change,
      floorRuns: transport,
      floorWhat: 'git fetch + git push of that commit (plain git)',
    }),
  );
  log(
    `one-file change: product ${changeFig.product.toFixed(
      0,
    )} ms, floor ${changeFig.floor!.toFixed(
      0,
    )} ms (with commit & push: ${median(commitFloor).toFixed(
      0,
    )} ms; fetch + push alone: ${median(transport).toFixed(0)} ms)`,
  );
  await product!.close();
}
