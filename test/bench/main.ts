/*
 * The benchmark run (started by run.mjs, which sets up the scratch folder, the
 * TypeScript hook and the private test cluster's state dir). Prints the table on
 * stdout and writes test/bench/results/<timestamp>.json.
 *
 * Settings (environment, set by run.mjs from its flags):
 *   BENCH_DIR        scratch folder (on /dev/shm when it exists)
 *   BENCH_ONLY       groups: sync,validate,cluster,api,postgres,reads,ui,deployed,w100k (default), scale
 *   BENCH_FIGURES    figures of those groups (default all; see lib/util.ts `wanted`)
 *   BENCH_REPS       runs per figure (default 3; figures are medians)
 *   BENCH_RESOURCES  resources per fabric (default 5000)
 *   BENCH_FABRICS    fabrics of the W100k repository (default 20)
 *   BENCH_SCALE_FABRICS  fabrics of the scale group (default 200, in 4 repositories)
 */
import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { startTestCluster } from '../cluster';
import { apiFigures } from './figures/api';
import { catalogFigures } from './figures/catalog';
import { clusterFigures } from './figures/cluster';
import {
  BenchContext,
  syncFigures,
  templateRepo,
  warmUp,
} from './figures/sync';
import { readsFigures } from './figures/reads';
import { uiFigures } from './figures/ui';
import { deployedFigures } from './figures/deployed';
import { validateFigures } from './figures/validate';
import { w100kFigures } from './figures/w100k';
import { scaleFigures } from './figures/scale';
import { generate } from './lib/generate';
import {
  Product,
  clusterConfig,
  createProduct,
  fabricConfig,
} from './lib/product';
import { dropPgDatabase, pgReachable, pgShown } from './lib/pg';
import { markdownTable } from './lib/report';
import { copyDir, log } from './lib/util';

const GROUPS = [
  'sync',
  'validate',
  'cluster',
  'api',
  'postgres',
  'reads',
  'ui',
  'deployed',
  'w100k',
  'scale',
];
/** Without --only: all but `scale` (hundreds of fabrics, two backends; run it on its own). */
const DEFAULT_GROUPS = GROUPS.filter(g => g !== 'scale');

const sh = (cmd: string, args: string[]) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

async function main() {
  const root = process.env.BENCH_DIR;
  if (!root)
    throw new Error(
      'BENCH_DIR is not set; run the benchmarks with `npm run bench`',
    );
  const only = new Set(
    (process.env.BENCH_ONLY || DEFAULT_GROUPS.join(',')).split(',').map(s => s.trim()),
  );
  for (const g of only)
    if (!GROUPS.includes(g))
      throw new Error(`unknown group ${g} (known: ${GROUPS.join(', ')})`);
  const reps = Number(process.env.BENCH_REPS || 3);
  const resources = Number(process.env.BENCH_RESOURCES || 5000);
  const fabricsW100k = Number(process.env.BENCH_FABRICS || 20);
  const startedAt = new Date();
  const loadBefore = os.loadavg();

  const fabric = generate('f00', resources);
  log(
    `W5k: ${fabric.resources} resources in ${fabric.files.length} raw files (${(
      fabric.bytes / 1024
    ).toFixed(0)} KiB); ${JSON.stringify(fabric.size)}`,
  );
  const ctx: BenchContext = {
    root,
    reps,
    fabric,
    template: await templateRepo(root, fabric),
    figures: [],
    shared: {},
  };
  const notes: string[] = [];

  await warmUp(root);
  if (only.has('sync')) await syncFigures(ctx);
  if (only.has('validate')) await validateFigures(ctx);

  // cluster figures, then the resources page on the SQLite database they leave
  let cluster: Awaited<ReturnType<typeof startTestCluster>> | undefined;
  if (only.has('cluster')) {
    log(
      'starting a private test cluster (test/cluster/up; the first start on a machine builds kube-apiserver)',
    );
    cluster = await startTestCluster();
  }
  if (only.has('cluster') || only.has('api')) {
    let product: Product;
    if (cluster) {
      product = await clusterFigures(ctx, cluster);
    } else {
      const remote = path.join(root, 'api-remote.git');
      await copyDir(ctx.template, remote);
      product = await createProduct({
        db: 'sqlite',
        dbDir: path.join(root, 'api-db'),
        workingDirectory: path.join(root, 'api-wd'),
        fabrics: [fabricConfig(fabric.name, `file://${remote}`)],
      });
      await product.sync(fabric.name);
    }
    if (only.has('api')) {
      ctx.figures.push(...(await apiFigures(product, fabric.name, 'SQLite')));
      ctx.figures.push(...(await catalogFigures(product, fabric.name, ctx.reps)));
    }
    await product.close();
  }

  // PostgreSQL: a cold sync (and drift, with the cluster) into a fresh database, then the resources page
  if (only.has('postgres')) {
    if (!(await pgReachable())) {
      notes.push(
        `PostgreSQL at ${pgShown()} is not reachable: its figures are skipped`,
      );
      log(notes[notes.length - 1]);
    } else {
      const prefix = `hhbench_${process.pid}_`;
      const remote = path.join(root, 'pg-remote.git');
      await copyDir(ctx.template, remote);
      const pg = await createProduct({
        db: 'postgres',
        dbDir: '',
        pgPrefix: prefix,
        workingDirectory: path.join(root, 'pg-wd'),
        fabrics: [
          fabricConfig(
            fabric.name,
            `file://${remote}`,
            cluster ? { cluster: 'bench' } : {},
          ),
        ],
        clusters: cluster ? [clusterConfig(cluster)] : [],
      });
      try {
        const t0 = performance.now();
        const run = await pg.sync(fabric.name);
        // with the cluster up, the run ends with a drift stage (for the drift columns of the page); not counted
        const drift = run.stages.find(s => s.name === 'drift');
        const ms =
          performance.now() -
          t0 -
          (drift?.finishedAt
            ? Date.parse(drift.finishedAt) - Date.parse(drift.startedAt)
            : 0);
        const cold = ctx.figures.find(f => f.id === 'sync.cold');
        ctx.figures.push({
          id: 'sync.cold.postgres',
          title: 'cold sync W5k on PostgreSQL (1 run)',
          unit: 'ms',
          product: ms,
          floor: cold?.floor,
          floorWhat: cold ? 'as above' : undefined,
          ratio: cold?.floor ? ms / cold.floor : undefined,
          details: {
            stages: Object.fromEntries(
              run.stages.map(s => [
                s.name,
                Date.parse(s.finishedAt!) - Date.parse(s.startedAt),
              ]),
            ),
          },
        });
        ctx.figures.push(...(await apiFigures(pg, fabric.name, 'PostgreSQL')));
      } finally {
        await pg.close();
        await dropPgDatabase(`${prefix}hedgehog`);
      }
    }
  }

  if (only.has('reads')) ctx.figures.push(...(await readsFigures(ctx, notes)));
  if (only.has('ui')) ctx.figures.push(...(await uiFigures(ctx, notes)));
  if (only.has('deployed'))
    ctx.figures.push(...(await deployedFigures(ctx, notes)));
  if (only.has('w100k')) await w100kFigures(ctx, fabricsW100k, resources);
  if (only.has('scale')) {
    if (await pgReachable()) notes.push(...(await scaleFigures(ctx, resources)));
    else notes.push('PostgreSQL is not reachable: the scale group is skipped');
  }

  const table = markdownTable(ctx.figures);
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    settings: { reps, resources, fabricsW100k, groups: [...only], dir: root },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      git: sh('git', ['--version']),
      loadBefore,
      loadAfter: os.loadavg(),
    },
    source: {
      commit: sh('git', [
        '-C',
        path.join(__dirname, '..', '..'),
        'rev-parse',
        'HEAD',
      ]),
      dirty: Boolean(
        sh('git', [
          '-C',
          path.join(__dirname, '..', '..'),
          'status',
          '--porcelain',
          '--',
          'plugins',
        ]),
      ),
    },
    w5k: {
      resources: fabric.resources,
      rawFiles: fabric.files.length,
      bytes: fabric.bytes,
      size: fabric.size,
      kinds: HEDGEHOG_KINDS.length,
    },
    notes,
    figures: ctx.figures,
    table,
  };
  const resultsDir = path.join(__dirname, 'results');
  await fs.mkdir(resultsDir, { recursive: true });
  const file = path.join(
    resultsDir,
    `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`,
  );
  await fs.writeFile(file, `${JSON.stringify(result, null, 2)}\n`);

  process.stdout.write(`\n${table}\n\n`);
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(
    `load average ${loadBefore
      .map(l => l.toFixed(1))
      .join(' ')} before, ${result.machine.loadAfter
      .map(l => l.toFixed(1))
      .join(' ')} after; ${os.cpus().length} CPUs\n`,
  );
  process.stdout.write(`${file}\n`);
  process.stdout.write(
    `${JSON.stringify({
      figures: ctx.figures.map(({ details: _d, runs: _r, ...f }) => f),
    })}\n`,
  );
  const missed = ctx.figures.filter(f => f.met === false);
  for (const f of missed)
    process.stdout.write(`target missed: ${f.title} (${f.target})\n`);
  return missed.length > 0;
}

main().then(
  // a missed target, or a group that found a failed check (scale: a fabric not synced exactly once), fails the run
  missed => process.exit(missed ? 1 : (process.exitCode ?? 0)),
  e => {
    console.error(e);
    process.exit(1);
  },
);
