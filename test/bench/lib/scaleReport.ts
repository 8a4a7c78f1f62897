/* The `scale` group's own table (printed with the notes after the main table). */
import { PhaseResult } from './scaleRound';
import { fmtMs } from './util';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * A markdown table of every round of both setups, and what more cores would buy:
 * the rounds' CPU time over their wall time is how many cores they kept busy; a
 * round cannot take less than its CPU time over the cores it may use.
 */
export function scaleNotes(two: PhaseResult[], one: PhaseResult[]): string[] {
  const rows = [
    '| round | replicas | wall | fabrics/s | first run started | runs per fabric | runs per replica | at once (max) | CPU per replica | CPU / wall | peak RSS per replica | pushes (max per run) | database | ok |',
    '|---|---:|---:|---:|---:|---:|---|---|---|---:|---|---:|---:|:-:|',
  ];
  const cores: string[] = [];
  for (const [i, a] of two.entries()) {
    for (const r of [a, one[i]]) {
      const cpu = r.perReplica.reduce((n, p) => n + p.cpuMs, 0);
      const list = (f: (p: PhaseResult['perReplica'][number]) => string) =>
        r.perReplica.map(p => `${p.name} ${f(p)}`).join(', ');
      rows.push(
        `| ${r.phase} | ${r.replicas} | ${s(r.wallMs)} | ${(
          r.fabrics /
          (r.wallMs / 1000)
        ).toFixed(2)} | ${fmtMs(r.firstStartMs)} | ${
          r.runsPerFabric.min === r.runsPerFabric.max
            ? r.runsPerFabric.min
            : `${r.runsPerFabric.min}–${r.runsPerFabric.max}`
        } | ${list(p => `${p.runs}`)} | ${list(
          p => `${p.maxConcurrent}`,
        )} | ${list(p => s(p.cpuMs))} | ${(cpu / r.wallMs).toFixed(2)} | ${list(
          p =>
            `${p.peakRssMB.toFixed(0)} MB${
              p.peakSinceStart ? ' (since start)' : ''
            } (${p.rssBeforeMB.toFixed(0)} before)`,
        )} | ${r.pushAttempts.total} (${
          r.pushAttempts.max
        }) | ${r.dbSizeMB.toFixed(0)} MB | ${
          r.problems.length ? '**no**' : 'yes'
        } |`,
      );
    }
    const b = one[i];
    const cpuA = a.perReplica.reduce((n, p) => n + p.cpuMs, 0);
    const floors = [4, 8, 16]
      .map(n => `${n} cores ≥ ${s(cpuA / n)}`)
      .join(', ');
    cores.push(
      `${a.phase}: two replicas ${s(a.wallMs)} against one process ${s(
        b.wallMs,
      )} (${(a.wallMs / b.wallMs).toFixed(2)}×); ${s(
        cpuA,
      )} of CPU in the replicas keeping ${(cpuA / a.wallMs).toFixed(
        2,
      )} cores busy; with the same CPU spread perfectly: ${floors}`,
    );
  }
  return [
    `scale rounds (two replicas, then one process, on ${
      two[0]?.fabrics
    } fabrics; CPU includes the replicas' git processes, not PostgreSQL's):\n${rows.join(
      '\n',
    )}`,
    ...cores.map(c => `scale, what more cores would buy: ${c}`),
  ];
}
