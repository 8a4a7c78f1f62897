/*
 * One scheduler round of the `scale` group: wait until every fabric's sync task
 * has been claimed and released (after its due time or the bench's trigger), then read the round's
 * runs from the runs table and what each replica did (its log lines, CPU time,
 * peak RSS), and check that each fabric was synced exactly once with the
 * expected outcome.
 */
import { Knex } from 'knex';
import {
  Replica,
  peakRssMB,
  processCpuMs,
  resetPeakRss,
  rssMB,
  triggerTask,
} from './scaleReplicas';
import { median } from './util';

export type PhaseName = 'cold' | 'noop' | 'change';

/** What a run of a fabric must show in a phase. */
export type Expect = (fabric: string) => { created?: number; noop?: boolean };

export interface ReplicaFigures {
  name: string;
  /** Scheduled sync tasks it ran. */
  tasks: number;
  /** Sync runs it carried out. */
  runs: number;
  /** Most of its runs running at once. */
  maxConcurrent: number;
  cpuMs: number;
  /** Peak RSS in the phase (since the start when the peak could not be reset). */
  peakRssMB: number;
  peakSinceStart: boolean;
  /** RSS when the round began (the replica idle). */
  rssBeforeMB: number;
}

export interface PhaseResult {
  phase: PhaseName;
  replicas: number;
  fabrics: number;
  /** Trigger → last run finished. */
  wallMs: number;
  /** Trigger → first run started (the schedulers' polling, 5 s apart). */
  firstStartMs: number;
  runsPerFabric: { min: number; max: number };
  perReplica: ReplicaFigures[];
  dbSizeMB: number;
  /** Each stage's time over the round's runs (ms): median and max. */
  stages: Record<string, { median: number; max: number }>;
  /** Pushes of the commit stages (more than one: the branch moved, by another fabric's sync). */
  pushAttempts: { total: number; max: number };
  /** Everything that is not as it must be (empty: the phase is good). */
  problems: string[];
}

interface RunRow {
  id: string;
  fabric: string;
  status: string;
  started_at: string | number | null;
  finished_at: string | number | null;
  stages: string;
  error: string | null;
}

const TASKS = 'backstage_backend_tasks__tasks';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Waits for a round of every fabric's sync task to end: the first round (the
 * tasks' initial runs, due at `dueAt`), or one the bench starts by triggering
 * every task (spread over the replicas).
 */
export async function runRound(o: {
  phase: PhaseName;
  knex: Knex;
  replicas: Replica[];
  fabrics: string[];
  /** The initial round's due time (ms); without it the round is triggered. */
  dueAt?: number;
  expect: Expect;
  timeoutMs: number;
  log: (m: string) => void;
}): Promise<PhaseResult> {
  const { knex, replicas, fabrics } = o;
  const rssBefore = replicas.map(r => rssMB(r.pid));
  const reset = await Promise.all(replicas.map(r => resetPeakRss(r.pid)));
  const cpu0 = replicas.map(r => processCpuMs(r.pid));
  let t0 = Date.now();
  if (o.dueAt !== undefined) {
    t0 = o.dueAt;
    await sleep(Math.max(0, o.dueAt - Date.now()) + 1000);
  } else {
    for (let i = 0; i < fabrics.length; i += 20) {
      await Promise.all(
        fabrics
          .slice(i, i + 20)
          .map((f, j) =>
            triggerTask(
              replicas[(i + j) % replicas.length],
              `hedgehog-sync:${f}`,
            ),
          ),
      );
    }
  }
  let lastReport = t0;
  for (;;) {
    await sleep(500);
    const [{ pending, claimed }] = await knex(TASKS)
      .where('id', 'like', 'hedgehog-sync:%')
      .select(
        knex.raw(
          'count(*) filter (where next_run_start_at <= now() and current_run_ticket is null) as pending',
        ),
        knex.raw('count(current_run_ticket) as claimed'),
      );
    const [{ active }] = await knex('hedgehog_runs')
      .where('queued_at', '>=', t0)
      .whereIn('status', ['queued', 'running'])
      .count({ active: '*' });
    const [{ done }] = await knex('hedgehog_runs')
      .where('queued_at', '>=', t0)
      .whereNotIn('status', ['queued', 'running'])
      .count({ done: '*' });
    if (Number(pending) === 0 && Number(claimed) === 0 && Number(active) === 0)
      break;
    for (const r of replicas)
      if (r.child.exitCode !== null || r.child.signalCode !== null)
        throw new Error(`replica ${r.name} exited during the ${o.phase} round`);
    if (Date.now() - t0 > o.timeoutMs)
      throw new Error(
        `the ${o.phase} round did not end within ${o.timeoutMs / 1000} s`,
      );
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      o.log(
        `  ${o.phase}: ${done}/${
          fabrics.length
        } runs finished, ${active} queued or running, ${claimed} tasks claimed, ${pending} due and unclaimed (${(
          (Date.now() - t0) /
          1000
        ).toFixed(0)} s)`,
      );
    }
  }
  const cpu1 = replicas.map(r => processCpuMs(r.pid));
  const rows: RunRow[] = await knex('hedgehog_runs')
    .where('queued_at', '>=', t0)
    .where({ type: 'sync' })
    .select(
      'id',
      'fabric',
      'status',
      'started_at',
      'finished_at',
      'stages',
      'error',
    );
  const [{ size }] = (
    await knex.raw('select pg_database_size(current_database()) as size')
  ).rows;

  const problems = checkRuns(rows, fabrics, o.expect);
  const num = (v: string | number | null) => (v === null ? NaN : Number(v));
  const wallMs = Math.max(...rows.map(r => num(r.finished_at))) - t0;
  const firstStartMs = Math.min(...rows.map(r => num(r.started_at))) - t0;
  const perFabric = fabrics.map(f => rows.filter(r => r.fabric === f).length);
  const ids = new Set(rows.map(r => r.id));
  const executedBy = new Map<string, string[]>();
  for (const r of replicas)
    for (const e of r.log.runs)
      if (ids.has(e.runId))
        executedBy.set(e.runId, [...(executedBy.get(e.runId) ?? []), r.name]);
  for (const r of rows) {
    const by = executedBy.get(r.id) ?? [];
    if (by.length !== 1)
      problems.push(
        `run ${r.id} of ${r.fabric} was carried out by ${
          by.length
        } replicas (${by.join(', ')})`,
      );
  }
  const perReplica = replicas.map((r, i) => {
    const mine = rows.filter(row => executedBy.get(row.id)?.includes(r.name));
    return {
      name: r.name,
      tasks: r.log.tasks.filter(t => ids.has(t.runId)).length,
      runs: mine.length,
      maxConcurrent: maxOverlap(
        mine.map(m => [num(m.started_at), num(m.finished_at)]),
      ),
      cpuMs: cpu1[i] - cpu0[i],
      peakRssMB: peakRssMB(r.pid),
      peakSinceStart: !reset[i],
      rssBeforeMB: rssBefore[i],
    };
  });
  const stageMs = new Map<string, number[]>();
  const attempts: number[] = [];
  for (const r of rows)
    for (const st of JSON.parse(r.stages) as Array<{
      name: string;
      startedAt: string;
      finishedAt?: string;
      counts?: Record<string, number>;
    }>) {
      if (!st.finishedAt) continue;
      const ms = Date.parse(st.finishedAt) - Date.parse(st.startedAt);
      stageMs.set(st.name, [...(stageMs.get(st.name) ?? []), ms]);
      if (st.name === 'commit' && st.counts?.attempts)
        attempts.push(st.counts.attempts);
    }
  const stages = Object.fromEntries(
    [...stageMs].map(([name, ms]) => [
      name,
      { median: median(ms), max: Math.max(...ms) },
    ]),
  );
  const tasks = perReplica.reduce((n, r) => n + r.tasks, 0);
  if (tasks !== fabrics.length)
    problems.push(`${tasks} scheduled task runs for ${fabrics.length} fabrics`);
  return {
    phase: o.phase,
    replicas: replicas.length,
    fabrics: fabrics.length,
    wallMs,
    firstStartMs,
    runsPerFabric: { min: Math.min(...perFabric), max: Math.max(...perFabric) },
    perReplica,
    dbSizeMB: Number(size) / 2 ** 20,
    stages,
    pushAttempts: {
      total: attempts.reduce((n, a) => n + a, 0),
      max: Math.max(0, ...attempts),
    },
    problems,
  };
}

/** Exactly one run per fabric, succeeded, with the phase's outcome. */
function checkRuns(
  rows: RunRow[],
  fabrics: string[],
  expect: Expect,
): string[] {
  const problems: string[] = [];
  const known = new Set(fabrics);
  for (const r of rows)
    if (!known.has(r.fabric))
      problems.push(`a run of unknown fabric ${r.fabric}`);
  for (const f of fabrics) {
    const runs = rows.filter(r => r.fabric === f);
    if (runs.length !== 1) {
      problems.push(
        `${f}: ${runs.length} runs (${runs.map(r => r.status).join(', ')})`,
      );
      continue;
    }
    const run = runs[0];
    if (run.status !== 'succeeded') {
      problems.push(`${f}: run ${run.status}: ${run.error ?? ''}`);
      continue;
    }
    const stages: Array<{
      name: string;
      message?: string;
      counts?: Record<string, number>;
    }> = JSON.parse(run.stages);
    const want = expect(f);
    const plan = stages.find(s => s.name === 'plan')?.message ?? '';
    const created = stages.find(s => s.name === 'ingest')?.counts
      ?.resourcesCreated;
    if (want.noop && !plan.startsWith('nothing changed'))
      problems.push(`${f}: expected a no-op, the plan says "${plan}"`);
    if (want.created !== undefined && created !== want.created)
      problems.push(
        `${f}: ${created} resources created, expected ${want.created}`,
      );
  }
  return problems;
}

/** The most intervals open at once. */
function maxOverlap(intervals: Array<[number, number]>): number {
  const events = intervals.flatMap(([a, b]) => [
    [a, 1],
    [b, -1],
  ]);
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of events) {
    open += d;
    most = Math.max(most, open);
  }
  return most;
}
