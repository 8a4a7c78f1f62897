/* Starting, watching and killing child backends (lib/childBackend.ts). */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ChildConfig } from './childBackend';

const TRANSFORM = require.resolve('@backstage/cli/config/nodeTransform.cjs');
const SCRIPT = path.join(__dirname, 'childBackend.ts');

export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first stdout line matching, or rejects when the child exits first / after timeoutMs. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  /** SIGKILL the child; with `tree`, also every process below it, at the same moment. */
  kill(tree: boolean): number[];
}

export function spawnChild(config: ChildConfig): Child {
  const proc = spawn(process.execPath, ['--require', TRANSFORM, SCRIPT], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, HEDGEHOG_CHILD_CONFIG: JSON.stringify(config), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  let buf = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (d: string) => {
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.re.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (d: string) => lines.push(`STDERR ${d.trimEnd()}`));
  const exited = new Promise<number | null>(resolve => proc.once('exit', code => resolve(code)));
  return {
    proc,
    lines,
    exited,
    waitFor(re, timeoutMs = 60_000) {
      const hit = lines.find(l => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${lines.slice(-30).join('\n')}`)), timeoutMs);
        waiters.push({
          re,
          resolve: l => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        exited.then(code => {
          clearTimeout(timer);
          const again = lines.find(l => re.test(l));
          if (again) resolve(again);
          else reject(new Error(`child exited (${code}) before ${re}; output:\n${lines.slice(-30).join('\n')}`));
        });
      });
    },
    kill(tree) {
      const pids = tree ? descendants(proc.pid!) : [];
      try {
        process.kill(proc.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      return pids;
    },
  };
}

/** Every process below `pid` (by parent pid, from /proc). */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(e)]);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of parents.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/**
 * Processes of runs whose command line or working directory mentions `needle`:
 * all of them but the clone's object reader (`git cat-file --batch-command`), which the
 * backend keeps between runs (it ends when the backend does).
 */
export function runProcessesMentioning(needle: string): number[] {
  return processesMentioning(needle).filter(pid => {
    try {
      return !/^git\0cat-file\0--batch(-command)?\0/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Processes whose command line or working directory mentions `needle` (e.g. a working directory). */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8');
      const cwd = fs.readlinkSync(`/proc/${e}/cwd`);
      if (cmd.includes(needle) || cwd.includes(needle)) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

/** POSTs `{}` to a child backend's router as the operator (X-Test-User, every permission allowed). */
export function postToChild(port: number, url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: url, method: 'POST', headers: { 'x-test-user': 'user:default/operator', 'content-type': 'application/json' } },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', d => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

/** Any request to a child backend's router as the operator; the answer's status, headers and text. */
export function requestChild(
  port: number,
  method: string,
  url: string,
  body?: string | Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: url, method, headers: { 'x-test-user': 'user:default/operator', 'content-type': 'application/json' } },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', d => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Stops child backends that are still running: SIGTERM, then SIGKILL after 5 s. */
export async function stopChildren(children: Array<Child | undefined>): Promise<void> {
  for (const child of children) {
    if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) continue;
    child.proc.kill('SIGTERM');
    await Promise.race([child.exited, new Promise(r => setTimeout(r, 5000))]);
    if (child.proc.exitCode === null) child.kill(true);
  }
}
