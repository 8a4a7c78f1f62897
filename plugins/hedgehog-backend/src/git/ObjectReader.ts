import { ChildProcess, spawn } from 'child_process';
import { ChunkQueue } from './ChunkQueue';
import { gitEnv } from './runGit';

/** An object as `git cat-file` describes it; `content` is left out of an object over the size asked for. */
export interface GitObject {
  id: string;
  type: string;
  size: number;
  /** The object's bytes; undefined when it is larger than the read's `maxBytes` (then they were never held). */
  content?: Buffer;
}

export interface ObjectReaderOptions {
  /** A request that takes longer kills the process (the next request starts a new one). */
  timeoutMs: number;
  /** The process ends after this long without requests. */
  idleMs: number;
  /** Run `--batch`, as for git before 2.36 (default: only when git has no `--batch-command`). */
  legacy?: boolean;
}

interface Request {
  specs: string[];
  maxBytes: number;
  results: Array<GitObject | undefined>;
  /** Answers still to come. */
  left: number;
  resolve: (objects: Array<GitObject | undefined>) => void;
  reject: (e: Error) => void;
}

/** One answer git owes, in the order of the commands written: a header (`info`) or a header and content. */
interface Expected {
  request: Request;
  slot: number;
  /** The name the command gave (git echoes it for a missing object). */
  name: string;
  content: boolean;
}

/**
 * Whether git lacks `cat-file --batch-command` (before 2.36): then the reader runs
 * `--batch`, which prints every object's content after its header, and skips the
 * bytes of an object over the size asked for as they arrive (never holding them).
 */
let legacyBatch = false;

/**
 * One long-running `git cat-file --batch-command` of a repository. A sync reads a
 * few trees and blobs; starting a git process for each read costs more than the
 * read (Node forks the whole backend to start it), so the process is kept between
 * syncs and ends after `idleMs` without requests. Requests are pipelined: Git
 * answers commands in order. A read with `maxBytes` asks for the objects' sizes
 * first (`info`) and for the content (`contents`) only of those within it, so an
 * object over the limit is never sent by git nor held here. Objects written by
 * later fetches are found, because Git looks for new packs when an object is not
 * in the ones it knows.
 */
export class ObjectReader {
  private child: ChildProcess | undefined;
  /** The answers owed, first at `head`. */
  private expected: Expected[] = [];
  private head = 0;
  private readonly output = new ChunkQueue();
  private header: { id: string; type: string; size: number } | undefined;
  /** Bytes of an over-limit object (and its line feed) still to skip (legacy `--batch` only). */
  private skipping = 0;
  /** `contents` commands to write once the output at hand is taken. */
  private readonly asks: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Whether the running process is `--batch` (see legacyBatch). */
  private legacy = false;

  constructor(
    private readonly dir: string,
    private readonly options: ObjectReaderOptions,
  ) {}

  /**
   * Reads objects by id or revision expression; undefined for each one Git does not
   * have. Objects larger than `maxBytes` come without their content (Infinity: every
   * object with its content, in one round trip).
   */
  read(specs: string[], maxBytes: number): Promise<Array<GitObject | undefined>> {
    if (specs.length === 0) return Promise.resolve([]);
    const bad = specs.find(s => /[\n\r]/.test(s) || s === '');
    if (bad !== undefined) return Promise.reject(new Error('an object name for git cat-file cannot be empty or hold a line break'));
    return new Promise((resolve, reject) => {
      const child = this.start();
      const request: Request = { specs, maxBytes, results: new Array(specs.length), left: specs.length, resolve, reject };
      // Sizes first when there is a limit (the content of what fits is asked for once they are known).
      const legacy = this.legacy;
      const content = legacy || maxBytes === Number.POSITIVE_INFINITY;
      const lines = specs.map((name, slot) => {
        this.expected.push({ request, slot, name, content });
        if (legacy) return name;
        return `${content ? 'contents' : 'info'} ${name}`;
      });
      this.arm();
      child.stdin!.write(`${lines.join('\n')}\n`);
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
    this.skipping = 0;
    this.asks.length = 0;
    const requests = new Set(this.expected.slice(this.head).map(e => e.request));
    this.expected = [];
    this.head = 0;
    for (const r of requests) r.reject(new Error(reason));
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
    this.legacy = this.options.legacy ?? legacyBatch;
    const child = spawn('git', ['cat-file', this.legacy ? '--batch' : '--batch-command'], {
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
      const text = Buffer.concat(stderr).toString('utf8').trim();
      // git before 2.36: the next process runs --batch (this one's requests fail; callers fall back)
      if (code === 129 && /batch-command/.test(text)) legacyBatch = true;
      ended(`git cat-file ended (exit code ${code})${text ? `: ${text.split('\n').slice(-2).join(' | ')}` : ''}`);
    });
    return child;
  }

  /** Takes every complete answer from the output, in command order. */
  private drain() {
    try {
      this.drainAnswers();
    } finally {
      // the contents asked for after `info` answers, in one write
      if (this.asks.length > 0) this.child?.stdin!.write(`${this.asks.splice(0).join('\n')}\n`);
    }
  }

  private drainAnswers() {
    for (;;) {
      if (this.skipping > 0) {
        this.skipping -= this.output.skip(this.skipping);
        if (this.skipping > 0) return;
      }
      const next = this.expected[this.head];
      if (!next) {
        if (this.output.length > 0) throw new Error('output without a request');
        return;
      }
      if (!this.header) {
        const line = this.output.takeLine();
        if (line === undefined) return;
        if (line === `${next.name} missing` || line === `${next.name} ambiguous`) {
          this.answer(undefined);
          continue;
        }
        const [id, type, size] = line.split(' ');
        if (!/^[0-9a-f]{40,64}$/.test(id) || !type || !/^\d+$/.test(size ?? '')) throw new Error(`unexpected line "${line.slice(0, 80)}"`);
        const object = { id, type, size: Number(size) };
        if (object.size > next.request.maxBytes) {
          // Complete without content. Only legacy --batch sends it anyway: skipped as it arrives, never held.
          if (next.content) this.skipping = object.size + 1;
          this.answer(object);
          continue;
        }
        if (!next.content) {
          // an `info` answer within the limit: its content is asked for (answered after what is already asked)
          this.shift();
          this.expected.push({ ...next, name: id, content: true });
          this.asks.push(`contents ${id}`);
          continue;
        }
        this.header = object;
      }
      // the content and the line feed after it
      const content = this.output.take(this.header.size + 1);
      if (!content) return;
      const { id, type, size } = this.header;
      this.header = undefined;
      this.answer({ id, type, size, content: content.subarray(0, size) });
    }
  }

  private answer(object: GitObject | undefined) {
    const { request, slot } = this.shift();
    request.results[slot] = object;
    if (--request.left > 0) return;
    request.resolve(request.results);
    this.arm();
  }

  private shift(): Expected {
    const first = this.expected[this.head++];
    // drop what was taken, now and then (an array's shift() moves every element)
    if (this.head >= 1024 && this.head * 2 >= this.expected.length) {
      this.expected = this.expected.slice(this.head);
      this.head = 0;
    }
    return first;
  }

  /** While answers are owed, a timeout; once none are, the idle timer (and the process no longer keeps Node running). */
  private arm() {
    clearTimeout(this.timer);
    const busy = this.head < this.expected.length;
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
