import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_PARSE_LIMITS, ParsedFile, ParseLimits, parseYamlFile } from './parse';

/**
 * Parsing YAML is CPU-bound: a file of several megabytes keeps the event loop
 * busy for seconds, and the backend would stop answering meanwhile. Files from
 * `workerThresholdBytes` up are parsed by `parseYamlFile` in a worker thread;
 * smaller ones in this thread, yielding to the event loop whenever a batch of
 * them has used `sliceMs`. The result is the same either way.
 */
export interface ParseOffThreadOptions {
  limits?: ParseLimits;
  /** Files of at least this many bytes are parsed in a worker thread. */
  workerThresholdBytes?: number;
  /** Longest stretch of in-thread parsing before yielding to the event loop. */
  sliceMs?: number;
}

export const DEFAULT_WORKER_THRESHOLD_BYTES = 512 * 1024;
const DEFAULT_SLICE_MS = 20;

/**
 * The worker's code. It loads the parse module next to this one: compiled
 * JavaScript in a built package, TypeScript from source (development and
 * tests), for which it registers Backstage's node transform unless the thread
 * already has a TypeScript loader (workers inherit `--require` flags).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.transform && !require.extensions['.ts']) require(workerData.transform);
const { parseYamlFile } = require(workerData.parseModule);
parentPort.once('message', ({ bytes, limits }) => {
  parentPort.postMessage(parseYamlFile(bytes, limits));
});
`;

interface WorkerModule {
  parseModule: string;
  transform?: string;
}

let workerModule: WorkerModule | null | undefined;

/** Where the worker finds `parseYamlFile`; null when it cannot be found (then parsing stays in-thread). */
function locateWorkerModule(): WorkerModule | null {
  if (workerModule !== undefined) return workerModule;
  // The worker loads the parse module beside this file, in the same form (source or built).
  // eslint-disable-next-line no-restricted-syntax
  const ext = /parseInWorker((?:\.[a-z]+)+)$/i.exec(path.basename(__filename))?.[1];
  // eslint-disable-next-line no-restricted-syntax
  const parseModule = ext ? path.join(__dirname, `parse${ext}`) : undefined;
  if (!parseModule || !fs.existsSync(parseModule)) return (workerModule = null);
  if (!/\.tsx?$/.test(ext!)) return (workerModule = { parseModule });
  try {
    // Only from source, where the Backstage CLI is installed.
    return (workerModule = { parseModule, transform: require.resolve('@backstage/cli/config/nodeTransform.cjs') });
  } catch {
    return (workerModule = null);
  }
}

class WorkerUnavailable extends Error {}

/** Parses one file in a new worker thread. */
function parseInWorker(bytes: Uint8Array, limits: ParseLimits, where: WorkerModule): Promise<ParsedFile> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: where, stdout: false, stderr: false });
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      worker.terminate().catch(() => {});
    };
    worker.once('message', (result: ParsedFile) => settle(() => resolve(result)));
    worker.once('error', e => settle(() => reject(e)));
    worker.once('exit', code => settle(() => reject(new WorkerUnavailable(`the parse worker exited with code ${code}`))));
    // A copy: the caller's bytes stay usable (they are also written back to Git).
    const copy = new Uint8Array(bytes);
    worker.postMessage({ bytes: copy, limits }, [copy.buffer]);
  });
}

/** Parses one file, in a worker thread when it is large. */
export async function parseYamlFileOffThread(
  bytes: Uint8Array,
  options: ParseOffThreadOptions = {},
): Promise<ParsedFile> {
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  const threshold = options.workerThresholdBytes ?? DEFAULT_WORKER_THRESHOLD_BYTES;
  // Over the size limit the parser does not look at the bytes at all.
  const where = bytes.length >= threshold && bytes.length <= limits.maxFileBytes ? locateWorkerModule() : null;
  if (!where) return parseYamlFile(bytes, limits);
  try {
    return await parseInWorker(bytes, limits, where);
  } catch (e) {
    if (isOutOfMemory(e)) {
      return { ok: false, reason: 'YAML could not be parsed: parsing the file ran out of memory' };
    }
    // The worker could not run (for example no threads left): parse here.
    return parseYamlFile(bytes, limits);
  }
}

function isOutOfMemory(e: unknown): boolean {
  return (e as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * Parses many files (by blob id) without blocking the event loop for long:
 * large ones in worker threads, small ones here with a yield every `sliceMs`.
 */
export async function parseBlobsOffThread(
  blobs: Map<string, Uint8Array>,
  options: ParseOffThreadOptions = {},
): Promise<Map<string, ParsedFile>> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const out = new Map<string, ParsedFile>();
  let sliceStart = Date.now();
  for (const [id, bytes] of blobs) {
    out.set(id, await parseYamlFileOffThread(bytes, options));
    if (Date.now() - sliceStart >= sliceMs) {
      await new Promise(resolve => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
  return out;
}
