import { ChildProcess, spawn } from 'child_process';
import { ChunkQueue } from './ChunkQueue';
import { gitEnv } from './runGit';

/** An object as `git cat-file --batch` prints it. */
export interface GitObject {
  id: string;
  type: string;
  content: Buffer;
}

export interface ObjectReaderOptions {
  /** A request that takes longer kills the process (the next request starts a new one). */
  timeoutMs: number;
  /** The process ends after this long without requests. */
  idleMs: number;
}

interface Request {
  specs: string[];
  results: Array<GitObject | undefined>;
  resolve: (objects: Array<GitObject | undefined>) => void;
  reject: (e: Error) => void;
}

/**
 * One long-running `git cat-file --batch` of a repository. A sync reads a few
 * trees and blobs; starting a git process for each read costs more than the read
 * (Node forks the whole backend to start it), so the process is kept between
 * syncs and ends after `idleMs` without requests. Requests are pipelined: Git
 * answers them in order. Objects written by later fetches are found, because
 * Git looks for new packs when an object is not in the ones it knows.
 */
export class ObjectReader {
  private child: ChildProcess | undefined;
  private readonly queue: Request[] = [];
  private readonly output = new ChunkQueue();
  private header: { id: string; type: string; size: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    private readonly options: ObjectReaderOptions,
  ) {}

  /** Reads objects by id or revision expression; undefined for each one Git does not have. */
  read(specs: string[]): Promise<Array<GitObject | undefined>> {
    if (specs.length === 0) return Promise.resolve([]);
    const bad = specs.find(s => /[\n\r]/.test(s) || s === '');
    if (bad !== undefined) return Promise.reject(new Error('an object name for git cat-file cannot be empty or hold a line break'));
    return new Promise((resolve, reject) => {
      const child = this.start();
      this.queue.push({ specs, results: [], resolve, reject });
      this.arm();
      child.stdin!.write(`${specs.join('\n')}\n`);
    });
  }

  /** Ends the process; requests under way fail. */
  close(reason = 'the object reader was closed') {
    const child = this.child;
    this.child = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.output.clear();
    this.header = undefined;
    for (const r of this.queue.splice(0)) r.reject(new Error(reason));
    if (child) {
      child.stdin?.end();
      if (child.exitCode === null) child.kill();
    }
  }

  /** The running git process, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(): ChildProcess {
    if (this.child) {
      setRef(this.child, true);
      return this.child;
    }
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: this.dir,
      env: gitEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      this.output.push(chunk);
      try {
        this.drain();
      } catch (e) {
        this.close(`git cat-file printed what it should not: ${(e as Error).message}`);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin!.on('error', () => {});
    const ended = (why: string) => {
      if (this.child === child) this.close(why);
    };
    child.on('error', e => ended(`git cat-file could not be started: ${e.message}`));
    child.on('close', code => {
      const text = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-2).join(' | ');
      ended(`git cat-file ended (exit code ${code})${text ? `: ${text}` : ''}`);
    });
    return child;
  }

  /** Takes every complete answer from the output, in request order. */
  private drain() {
    for (;;) {
      const request = this.queue[0];
      if (!request) {
        if (this.output.length > 0) throw new Error('output without a request');
        return;
      }
      if (!this.header) {
        const line = this.output.takeLine();
        if (line === undefined) return;
        const spec = request.specs[request.results.length];
        if (line === `${spec} missing` || line === `${spec} ambiguous`) {
          this.answer(request, undefined);
          continue;
        }
        const [id, type, size] = line.split(' ');
        if (!/^[0-9a-f]{40,64}$/.test(id) || !type || !/^\d+$/.test(size ?? '')) throw new Error(`unexpected line "${line.slice(0, 80)}"`);
        this.header = { id, type, size: Number(size) };
      }
      // the content and the line feed after it
      const content = this.output.take(this.header.size + 1);
      if (!content) return;
      const { id, type, size } = this.header;
      this.header = undefined;
      this.answer(request, { id, type, content: content.subarray(0, size) });
    }
  }

  private answer(request: Request, object: GitObject | undefined) {
    request.results.push(object);
    if (request.results.length < request.specs.length) return;
    this.queue.shift();
    request.resolve(request.results);
    this.arm();
  }

  /** While requests wait, a timeout; once none do, the idle timer (and the process no longer keeps Node running). */
  private arm() {
    clearTimeout(this.timer);
    const busy = this.queue.length > 0;
    this.timer = setTimeout(
      () => this.close(busy ? `git cat-file did not answer within ${this.options.timeoutMs / 1000} s` : 'idle'),
      busy ? this.options.timeoutMs : this.options.idleMs,
    );
    if (!busy) {
      this.timer.unref();
      if (this.child) setRef(this.child, false);
    }
  }
}

function setRef(child: ChildProcess, ref: boolean) {
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as Array<{ ref?(): void; unref?(): void } | null>) {
    if (ref) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** Long enough to last from one scheduled sync of a repository to the next (every 5 minutes by default). */
const IDLE_MS = 6 * 60_000;
const READERS = new Map<string, ObjectReader>();

/** The object reader of a repository folder, shared by every fabric of that clone. */
export function objectReaderFor(dir: string, timeoutMs: number): ObjectReader {
  let reader = READERS.get(dir);
  if (!reader) {
    reader = new ObjectReader(dir, { timeoutMs, idleMs: IDLE_MS });
    READERS.set(dir, reader);
  }
  return reader;
}

/** Ends every object reader's process (at shutdown, or when a clone is made anew). */
export function closeObjectReaders(dir?: string) {
  for (const [d, reader] of READERS) {
    if (dir !== undefined && d !== dir) continue;
    reader.close();
    READERS.delete(d);
  }
}
