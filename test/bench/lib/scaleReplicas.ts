/*
 * Backend replicas for the `scale` group: each a separate Node process running
 * the real backend (lib/scaleWorker.ts, compiled like the W100k process) on one
 * shared PostgreSQL database, with its own working directory and HTTP port.
 * The bench starts scheduler rounds through the scheduler's own HTTP route, and
 * reads each replica's work from its log lines, its CPU time and peak RSS from
 * /proc (git processes it has reaped included in the CPU time).
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { createWriteStream, promises as fs, readFileSync } from 'fs';
import path from 'path';
import { createInterface } from 'readline';
import { compiledChild, compiledExecArgv } from '../figures/w100k';
import { PG_URL } from './product';

/** What one replica did, from its log lines. */
export interface ReplicaLog {
  /** Scheduled sync tasks this replica ran, by fabric (the task's queued run id). */
  tasks: Array<{ fabric: string; runId: string; at: number }>;
  /** Sync runs this replica carried out (RunExecutor's "sync <id> of <fabric> <status>"). */
  runs: Array<{ fabric: string; runId: string; status: string; at: number }>;
  /** Warnings and errors. */
  problems: string[];
}

export interface Replica {
  name: string;
  pid: number;
  port: number;
  log: ReplicaLog;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  child: ChildProcess;
}

/** The static token the bench triggers tasks with (backend.auth.externalAccess). */
export const benchToken = randomBytes(24).toString('hex');

/** The app-config of one replica. */
export function replicaConfig(o: {
  port: number;
  dbPrefix: string;
  workingDirectory: string;
  fabrics: Array<Record<string, unknown>>;
  /** hedgehog.schedule.initialDelay: when the first round (the cold sync) is due. */
  initialDelaySeconds: number;
}) {
  return {
    backend: {
      baseUrl: `http://127.0.0.1:${o.port}`,
      listen: { host: '127.0.0.1', port: o.port },
      database: { client: 'pg', connection: PG_URL, prefix: o.dbPrefix },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: benchToken, subject: 'bench' } },
        ],
      },
    },
    // no events backend in this backend: events stay in the process
    events: { useEventBus: 'never' },
    hedgehog: {
      workingDirectory: o.workingDirectory,
      // The first round (each task's initial run) is the cold sync; the later
      // rounds start when the bench triggers every task, as their due time would.
      // The product's default timeout.
      schedule: {
        frequency: { hours: 24 },
        timeout: { minutes: 10 },
        initialDelay: { seconds: o.initialDelaySeconds },
      },
      fabrics: o.fabrics,
    },
  };
}

const SCHEDULED =
  /^hedgehog: scheduled sync of fabric (\S+): (?:queued run|joined the queued run) (\S+)$/;
const EXECUTED = /^hedgehog: sync (\S+) of (\S+) (succeeded|partial|failed)\b/;

/** Starts one replica with this app-config; resolves once it answers its readiness check (rejects when it exits first). */
export async function startReplica(
  name: string,
  dir: string,
  config: ReturnType<typeof replicaConfig>,
): Promise<Replica> {
  const script = await compiledChild('lib/scaleWorker.ts');
  await fs.mkdir(dir, { recursive: true });
  const configFile = path.join(dir, `${name}.app-config.json`);
  await fs.writeFile(configFile, JSON.stringify(config, null, 2));
  const child = spawn(
    process.execPath,
    [...compiledExecArgv(), script, '--config', configFile],
    {
      // in the workspace, as `node packages/backend` runs (Backstage looks for the
      // monorepo root); only the --config file is read
      cwd: path.resolve(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info' },
    },
  );
  const log: ReplicaLog = { tasks: [], runs: [], problems: [] };
  const file = createWriteStream(path.join(dir, `${name}.log`));
  const verbose = Boolean(process.env.BENCH_VERBOSE);
  createInterface({ input: child.stdout! }).on('line', line => {
    file.write(`${line}\n`);
    let entry: { level?: string; message?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    const message = String(entry.message ?? '');
    const at = Date.now();
    let m = SCHEDULED.exec(message);
    if (m) log.tasks.push({ fabric: m[1], runId: m[2], at });
    m = EXECUTED.exec(message);
    if (m) log.runs.push({ runId: m[1], fabric: m[2], status: m[3], at });
    if (entry.level === 'warn' || entry.level === 'error') {
      log.problems.push(message);
      if (verbose)
        process.stderr.write(`  [${name} ${entry.level}] ${message}\n`);
    }
  });
  createInterface({ input: child.stderr! }).on('line', line => {
    file.write(`${line}\n`);
    process.stderr.write(`  [${name}] ${line}\n`);
  });
  const exited = new Promise<number | null>(resolve =>
    child.on('close', code => {
      file.end();
      resolve(code);
    }),
  );
  const port = config.backend.listen.port;
  const replica: Replica = { name, pid: child.pid!, port, log, exited, child };
  const deadline = Date.now() + 120_000;
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone)
      throw new Error(
        `replica ${name} exited while starting (log: ${dir}/${name}.log)`,
      );
    if (Date.now() > deadline) {
      await stopReplica(replica);
      throw new Error(`replica ${name} was not ready within 120 s`);
    }
    const ok = await fetch(
      `http://127.0.0.1:${port}/.backstage/health/v1/readiness`,
    )
      .then(r => r.ok)
      .catch(() => false);
    if (ok) return replica;
    await new Promise(r => setTimeout(r, 250));
  }
}

/** Stops a replica as a container runtime does: SIGTERM, SIGKILL after 30 s. */
export async function stopReplica(r: Replica): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  r.child.kill('SIGTERM');
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 30_000);
  await r.exited;
  clearTimeout(timer);
}

/**
 * Triggers a global scheduled task through the scheduler's route of the plugin
 * (`POST /api/hedgehog/.backstage/scheduler/v1/tasks/<id>/trigger`): its next
 * run is due now, and whichever replica's poller claims it first runs it.
 */
export async function triggerTask(r: Replica, taskId: string): Promise<void> {
  const res = await fetch(
    `http://127.0.0.1:${
      r.port
    }/api/hedgehog/.backstage/scheduler/v1/tasks/${encodeURIComponent(
      taskId,
    )}/trigger`,
    { method: 'POST', headers: { authorization: `Bearer ${benchToken}` } },
  );
  if (!res.ok)
    throw new Error(
      `triggering ${taskId} on ${r.name}: ${res.status} ${await res.text()}`,
    );
}

let clockTicks: number | undefined;

/**
 * CPU time of a process so far, in ms: its own (all threads) and that of its
 * children it has waited for (git), from /proc/<pid>/stat.
 */
export function processCpuMs(pid: number): number {
  clockTicks ??=
    Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) ||
    100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (
    ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) /
    clockTicks
  );
}

function status(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The process's peak RSS (VmHWM) in MB. */
export const peakRssMB = (pid: number) => status(pid, 'VmHWM');

/** The process's RSS now (VmRSS) in MB. */
export const rssMB = (pid: number) => status(pid, 'VmRSS');

/**
 * Resets the process's peak RSS to its current RSS (`5` to /proc/<pid>/clear_refs,
 * Linux ≥ 4.0), so that each phase has its own peak. False when not allowed.
 */
export async function resetPeakRss(pid: number): Promise<boolean> {
  try {
    await fs.writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
