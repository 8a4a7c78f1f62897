import { ConflictError, InputError, NotAllowedError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ValidationNeeds } from '../validation/references';
import { ValidateFabricOptions } from '../validation/validateFabric';
import validateTask, { ValidateAnswer, ValidateQuestion, ValidateTask, ValidateTaskResult } from './validateWorker';

/** How `POST /validate` requests are run (`hedgehog.validation`). */
export interface ValidationPoolOptions {
  /** Requests validated at once, each in a worker thread. */
  workers: number;
  /** Requests that may wait for a worker; more are answered 429. */
  queue: number;
  /** A request that takes longer is stopped (its worker ends) and answered 503. */
  timeoutMs: number;
  /** The heap of one worker: a request that needs more fails alone (400), the backend does not. */
  maxHeapMb: number;
}

export const DEFAULT_VALIDATION_POOL: ValidationPoolOptions = { workers: 2, queue: 4, timeoutMs: 60_000, maxHeapMb: 512 };

/** What only the backend's thread can tell a validation of files in a fabric's context. */
export interface ValidationContextSource {
  /** The fabric's desired objects as one JSON array text; throws NotFoundError for an unknown fabric. */
  desired(fabric: string): Promise<string>;
  /** The kinds the fabric manages, when it does not manage every kind (see fabricScope). */
  kinds?(fabric: string): Promise<string[] | undefined>;
  /** The fabric's FabricConfig and, with a cluster, the live objects and SwitchProfiles the files need. */
  inputs(fabric: string, needs: ValidationNeeds): Promise<Pick<ValidateFabricOptions, 'config' | 'live' | 'switchProfiles' | 'offline'>>;
}

/** Every worker is busy and the queue is full: the route answers 429 with Retry-After. */
export class ValidationBusyError extends Error {
  readonly name = 'TooManyRequestsError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many validations are under way; try again in ${retryAfterSeconds} s`);
  }
}

/** The errors a worker's answer may name, as the route throws them. */
const ERRORS: Record<string, new (message: string) => Error> = { ConflictError, InputError, NotAllowedError, NotFoundError };

/** Seconds a refused client is told to wait: about what a large validation takes. */
const RETRY_AFTER_SECONDS = 5;
/** A worker without requests for this long ends. */
const IDLE_MS = 30_000;

/**
 * Runs `POST /validate` requests in a bounded pool of worker threads (piscina), so
 * that reading a large JSON body, parsing its YAML and validating it never block
 * the backend's event loop: at most `workers` at once, `queue` waiting, the rest
 * refused at once; each with a time limit and a heap limit of its own.
 */
export class ValidationPool {
  private pool: Piscina | undefined;
  private running = 0;
  /** Requests waiting for a worker, first come first served. */
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: ValidationPoolOptions = DEFAULT_VALIDATION_POOL) {}

  /**
   * Validates a request body (JSON bytes); resolves to the answer's JSON (UTF-8).
   * Waits for a worker when all are busy, and throws ValidationBusyError at once
   * when `queue` requests are waiting already. The time limit starts with the work.
   */
  async validate(body: Buffer, source: ValidationContextSource, signal?: AbortSignal): Promise<Buffer> {
    await this.slot(signal);
    try {
      return await this.run(body, source, signal);
    } finally {
      this.release();
    }
  }

  private async run(body: Buffer, source: ValidationContextSource, signal?: AbortSignal): Promise<Buffer> {
    const { timeoutMs, maxHeapMb } = this.options;
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (q: ValidateQuestion) => {
      answer(q, source).then(a => port1.postMessage(a));
    });
    // a copy of its own: a request's Buffer may share its memory with other buffers
    const bytes = new Uint8Array(body);
    const task: ValidateTask = { body: bytes, port: port2 };
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const pool = this.piscina();
      // (piscina's TransferList type infers the wrong overload of postMessage from @types/node)
      const transferList = [port2, bytes.buffer] as never;
      const result: ValidateTaskResult = pool
        ? await pool.run(task, { transferList, signal: signal ? AbortSignal.any([signal, timeout]) : timeout })
        : await validateTask(task);
      if (result instanceof Uint8Array) return Buffer.from(result.buffer, result.byteOffset, result.length);
      const ErrorClass = ERRORS[result.error.name] ?? Error;
      throw new ErrorClass(result.error.message);
    } catch (e) {
      if (timeout.aborted) throw new ServiceUnavailableError(`validating the files took longer than ${timeoutMs / 1000} s; validate fewer or smaller files`);
      if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new InputError(`validating the files needs more than ${maxHeapMb} MB of memory; validate fewer or smaller files`);
      }
      throw e;
    } finally {
      port1.close();
    }
  }

  /** A worker's place: at once when one is free, else in the queue (refused when it is full). */
  private slot(signal?: AbortSignal): Promise<void> {
    const { workers, queue } = this.options;
    if (this.running < workers) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= queue) return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      const waiter = {
        start: () => {
          signal?.removeEventListener('abort', waiter.gone);
          this.running++;
          resolve();
        },
        gone: () => {
          const at = this.waiting.indexOf(waiter.start);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(signal!.reason ?? new Error('the request was aborted'));
        },
      };
      signal?.addEventListener('abort', waiter.gone, { once: true });
      this.waiting.push(waiter.start);
    });
  }

  private release() {
    this.running--;
    this.waiting.shift()?.();
  }

  /** Whether a request now would be refused (every worker busy, the queue full). */
  get full(): boolean {
    return this.running >= this.options.workers && this.waiting.length >= this.options.queue;
  }

  /** The ValidationBusyError a refused request gets. */
  busy(): ValidationBusyError {
    return new ValidationBusyError(RETRY_AFTER_SECONDS);
  }

  /** Worker threads running now. */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Ends the workers (at shutdown). */
  async close() {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }

  /** The pool, made on first use; undefined when the worker's module cannot be found (then requests run here). */
  private piscina(): Piscina | undefined {
    if (this.pool) return this.pool;
    const where = locateWorkerModule();
    if (!where) return undefined;
    const { workers, maxHeapMb } = this.options;
    this.pool = new Piscina({
      filename: where.filename,
      ...(where.transform ? { execArgv: ['--require', where.transform] } : {}),
      minThreads: 0,
      maxThreads: workers,
      // tasks are handed over only when a worker is free (see slot): they wait here only while it starts
      maxQueue: workers,
      idleTimeout: IDLE_MS,
      // tasks wait for the backend's answers: the worker's event loop must run
      atomics: 'disabled',
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
    });
    return this.pool;
  }
}

async function answer(q: ValidateQuestion, source: ValidationContextSource): Promise<ValidateAnswer> {
  try {
    if ('needs' in q) return { options: await source.inputs(q.fabric, q.needs) };
    const [desired, kinds] = await Promise.all([source.desired(q.fabric), source.kinds?.(q.fabric)]);
    return { desired, ...(kinds ? { kinds } : {}) };
  } catch (e) {
    const error = e as Error;
    return { error: { name: error.name, message: error.message } };
  }
}

/**
 * The worker's module beside this one, in the same form: compiled JavaScript in a
 * built package, TypeScript from source (development and tests), for which the
 * worker loads Backstage's node transform unless this process already has it.
 */
function locateWorkerModule(): { filename: string; transform?: string } | undefined {
  // eslint-disable-next-line no-restricted-syntax
  const ext = /ValidationPool((?:\.[a-z]+)+)$/i.exec(path.basename(__filename))?.[1];
  // eslint-disable-next-line no-restricted-syntax
  const filename = ext ? path.join(__dirname, `validateWorker${ext}`) : undefined;
  if (!filename || !fs.existsSync(filename)) return undefined;
  if (!/\.tsx?$/.test(ext!)) return { filename };
  try {
    const transform = require.resolve('@backstage/cli/config/nodeTransform.cjs');
    return process.execArgv.some(a => a.includes('nodeTransform')) ? { filename } : { filename, transform };
  } catch {
    return undefined;
  }
}
