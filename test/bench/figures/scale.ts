/*
 * The `scale` group: many W5k fabrics (BENCH_SCALE_FABRICS, default 200) in 4
 * repositories, synced by two backend replicas (lib/scaleWorker.ts: the real
 * backend with the real scheduler) sharing one fresh PostgreSQL database, and
 * the same by one process. Three scheduler rounds each: the cold sync of every
 * fabric, a round of no-op re-syncs, and a round after one raw file changed in
 * 20 fabrics. Every fabric must be synced exactly once per round (the bench
 * exits non-zero otherwise).
 */
import { promises as fs } from 'fs';
import knexFactory from 'knex';
import path from 'path';
import {
  extraVpcFile,
  generate,
  sizeFor,
  GeneratedFabric,
} from '../lib/generate';
import { PG_URL, fabricConfig } from '../lib/product';
import { Figure } from '../lib/report';
import {
  Replica,
  replicaConfig,
  startReplica,
  stopReplica,
} from '../lib/scaleReplicas';
import { Expect, PhaseName, PhaseResult, runRound } from '../lib/scaleRound';
import { scaleNotes } from '../lib/scaleReport';
import { copyDir, freePort, git, log, makeRepo } from '../lib/util';
import { BenchContext } from './sync';

/**
 * The replicas' initial delay: the cold round is due this long after the first
 * replica scheduled its tasks, when every replica has started and is idle.
 */
const INITIAL_DELAY_S = 30;

const PHASES: Array<{ phase: PhaseName; title: string }> = [
  { phase: 'cold', title: 'cold sync' },
  { phase: 'noop', title: 'no-op re-sync round' },
  { phase: 'change', title: 'round after one raw file changed in' },
];

interface Setup {
  root: string;
  fabrics: string[];
  /** Fabric names by repository. */
  repos: string[][];
  templates: string[];
  changed: string[];
  resources: number;
}

/** The fabrics' raw files, 4 repositories (fabrics/<name>/raw/...) made once and copied per setup. */
async function makeTemplates(
  root: string,
  count: number,
  resources: number,
): Promise<Setup> {
  const fabrics = Array.from(
    { length: count },
    (_, i) => `f${String(i).padStart(3, '0')}`,
  );
  const repoCount = Math.min(4, count);
  const per = Math.ceil(count / repoCount);
  const repos = Array.from({ length: repoCount }, (_, k) =>
    fabrics.slice(k * per, (k + 1) * per),
  );
  const templates: string[] = [];
  let created = 0;
  for (const [k, names] of repos.entries()) {
    const files: Array<{ path: string; content: string }> = [];
    for (const n of names) {
      const f = generate(n, resources);
      created = f.resources;
      for (const file of f.files)
        files.push({
          path: `fabrics/${n}/${file.path}`,
          content: file.content,
        });
    }
    const bare = path.join(root, `template-${k}.git`);
    await makeRepo(bare, files);
    templates.push(bare);
  }
  const changedCount = Math.min(20, Math.ceil(count / 2));
  const step = Math.floor(count / changedCount);
  const changed = Array.from(
    { length: changedCount },
    (_, i) => fabrics[i * step],
  );
  return { root, fabrics, repos, templates, changed, resources: created };
}

/** One raw file more in each changed fabric, committed and pushed as an operator would. */
async function pushChanges(s: Setup, dir: string, remotes: string[]) {
  const size = sizeFor(s.resources);
  for (const [k, names] of s.repos.entries()) {
    const mine = names.filter(n => s.changed.includes(n));
    if (mine.length === 0) continue;
    const clone = path.join(dir, `edit-${k}`);
    await git(['clone', '--quiet', `file://${remotes[k]}`, clone]);
    for (const name of mine) {
      const file = extraVpcFile({ name, size } as GeneratedFabric, 1);
      const p = path.join(clone, 'fabrics', name, file.path);
      await fs.mkdir(path.dirname(p), { recursive: true });
      await fs.writeFile(p, file.content);
      await git(['add', '-A'], { cwd: clone });
      await git(['commit', '--quiet', '-m', `${name}: one more VPC`], {
        cwd: clone,
      });
    }
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });
  }
}

function pgUrl(database: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function dropDatabases(prefix: string) {
  const k = knexFactory({
    client: 'pg',
    connection: PG_URL,
    pool: { min: 0, max: 1 },
  });
  try {
    const { rows } = await k.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows)
      await k.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await k.destroy();
  }
}

function failedRound(
  phase: PhaseName,
  replicas: number,
  fabrics: number,
  why: string,
): PhaseResult {
  return {
    phase,
    replicas,
    fabrics,
    wallMs: NaN,
    firstStartMs: NaN,
    runsPerFabric: { min: NaN, max: NaN },
    perReplica: [],
    dbSizeMB: NaN,
    stages: {},
    pushAttempts: { total: 0, max: 0 },
    problems: [why],
  };
}

/** Starts `count` replicas on a fresh database and runs the three rounds. */
async function runSetup(s: Setup, count: number): Promise<PhaseResult[]> {
  const dir = path.join(s.root, `replicas-${count}`);
  await fs.mkdir(dir, { recursive: true });
  const remotes: string[] = [];
  for (const [k, t] of s.templates.entries()) {
    remotes.push(path.join(dir, `remote-${k}.git`));
    await copyDir(t, remotes[k]);
  }
  const repoOf = new Map(
    s.repos.flatMap((names, k) => names.map(n => [n, k] as const)),
  );
  const fabrics = s.fabrics.map(n =>
    fabricConfig(n, `file://${remotes[repoOf.get(n)!]}`),
  );
  const prefix = `hhscale_${process.pid}_${count}_`;
  const replicas: Replica[] = [];
  const knex = knexFactory({
    client: 'pg',
    connection: pgUrl(`${prefix}hedgehog`),
    pool: { min: 0, max: 2 },
  });
  const results: PhaseResult[] = [];
  // interrupted (run.mjs stops the process group, replicas included): the database goes too
  const onSignal = () =>
    void dropDatabases(prefix).finally(() => process.exit(130));
  process.once('SIGTERM', onSignal);
  try {
    // All replicas at once, as a deployment starts them; a replica that fails to
    // start (replicas racing over the scheduler's migrations) is started again.
    const names = Array.from({ length: count }, (_, i) =>
      String.fromCharCode(65 + i),
    );
    const started = await Promise.all(
      names.map(async name => {
        const config = replicaConfig({
          port: await freePort(),
          dbPrefix: prefix,
          workingDirectory: path.join(dir, `wd-${name}`),
          fabrics,
          initialDelaySeconds: INITIAL_DELAY_S,
        });
        try {
          return await startReplica(name, dir, config);
        } catch (e) {
          log(`scale: replica ${name} did not start (${e}); starting it again`);
          return startReplica(name, dir, config);
        }
      }),
    );
    replicas.push(...started);
    log(
      `scale: replicas ${replicas
        .map(r => `${r.name} (pid ${r.pid})`)
        .join(', ')} are ready`,
    );
    const [{ due }] = await knex('backstage_backend_tasks__tasks')
      .where('id', 'like', 'hedgehog-sync:%')
      .min({ due: 'next_run_start_at' });
    const dueAt = new Date(due).getTime();
    if (dueAt < Date.now())
      log(`scale: the first round began before all replicas were ready`);
    for (const { phase } of PHASES) {
      if (phase === 'change') await pushChanges(s, dir, remotes);
      const expect: Expect = f => {
        if (phase === 'cold') return { created: s.resources };
        // the extra file holds 1 VPC and 2 attachments
        return phase === 'change' && s.changed.includes(f)
          ? { created: 3 }
          : { noop: true };
      };
      log(
        `scale: ${count} replica(s), ${phase} round of ${s.fabrics.length} fabrics`,
      );
      const r = await runRound({
        phase,
        knex,
        replicas,
        fabrics: s.fabrics,
        dueAt: phase === 'cold' ? dueAt : undefined,
        expect,
        timeoutMs: 40 * 60_000,
        log,
      });
      results.push(r);
      log(
        `scale: ${count} replica(s), ${phase}: ${(r.wallMs / 1000).toFixed(
          1,
        )} s, runs per fabric ${r.runsPerFabric.min}–${
          r.runsPerFabric.max
        }, ${r.perReplica
          .map(
            p =>
              `${p.name} ${p.runs} runs (at most ${
                p.maxConcurrent
              } at once) CPU ${(p.cpuMs / 1000).toFixed(
                1,
              )} s peak ${p.peakRssMB.toFixed(0)} MB`,
          )
          .join('; ')}; stages (median/max ms) ${Object.entries(r.stages)
          .map(([n, v]) => `${n} ${v.median.toFixed(0)}/${v.max.toFixed(0)}`)
          .join(', ')}; pushes ${r.pushAttempts.total} (max ${
          r.pushAttempts.max
        } for one run)${
          r.problems.length
            ? `; PROBLEMS: ${r.problems.slice(0, 5).join('; ')}`
            : ''
        }`,
      );
    }
  } catch (e) {
    // a replica that died or a round that did not end: recorded, and the next setup still runs
    log(`scale: ${count} replica(s): ${e}`);
    for (const { phase } of PHASES.slice(results.length))
      results.push(failedRound(phase, count, s.fabrics.length, String(e)));
  } finally {
    await Promise.all(replicas.map(stopReplica));
    for (const r of replicas) {
      const seen = new Map<string, number>();
      for (const p of r.log.problems)
        seen.set(p.slice(0, 200), (seen.get(p.slice(0, 200)) ?? 0) + 1);
      for (const [p, n] of [...seen].slice(0, 5))
        log(`scale: replica ${r.name} logged ${n}× ${p}`);
    }
    process.off('SIGTERM', onSignal);
    await knex.destroy();
    await dropDatabases(prefix);
  }
  return results;
}

/** The group: two replicas, then one process, on the same data. Returns notes for the report. */
export async function scaleFigures(
  ctx: BenchContext,
  resources: number,
): Promise<string[]> {
  const count = Number(process.env.BENCH_SCALE_FABRICS || 200);
  const root = path.join(ctx.root, 'scale');
  await fs.mkdir(root, { recursive: true });
  log(`scale: generating ${count} fabrics of ${resources} resources`);
  const setup = await makeTemplates(root, count, resources);
  const two = await runSetup(setup, 2);
  const one = await runSetup(setup, 1);

  const repos = setup.repos.length;
  for (const [i, { phase, title }] of PHASES.entries()) {
    const a = two[i];
    const b = one[i];
    const cpuA = a.perReplica.reduce((n, p) => n + p.cpuMs, 0);
    const cpuB = b.perReplica.reduce((n, p) => n + p.cpuMs, 0);
    const ok = a.problems.length === 0 && b.problems.length === 0;
    const what =
      phase === 'change'
        ? `${title} ${setup.changed.length} of ${count}`
        : `${title} of ${count}`;
    const f: Figure = {
      id: `scale.${phase}`,
      title: `scale: ${what} W5k fabrics (${setup.resources} resources each, ${repos} repositories), 2 replicas on one PostgreSQL database`,
      unit: 'ms',
      product: a.wallMs,
      floor: b.wallMs,
      floorWhat: 'one process',
      ratio: a.wallMs / b.wallMs,
      target: 'runs per fabric exactly 1',
      met: ok,
      cpu: {
        product: cpuA,
        floor: cpuB,
        ratio: cpuA / cpuB,
        runs: {
          product: a.perReplica.map(p => p.cpuMs),
          floor: b.perReplica.map(p => p.cpuMs),
        },
      },
      details: { twoReplicas: a, oneProcess: b },
    };
    ctx.figures.push(f);
    if (!ok) {
      process.exitCode = 1;
      for (const p of [...a.problems, ...b.problems].slice(0, 20))
        log(`scale ${phase}: ${p}`);
    }
  }
  return scaleNotes(two, one);
}
