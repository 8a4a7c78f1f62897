import fs from 'fs';
import path from 'path';
import { isDeepStrictEqual } from 'util';
import { DEFAULT_PARSE_LIMITS, parseYamlFile } from './parse';
import { DEFAULT_WORKER_THRESHOLD_BYTES, parseBlobsOffThread, parseYamlFileOffThread } from './parseInWorker';

jest.setTimeout(60_000);

const SAMPLES = path.resolve(__dirname, '../../../../test/fixtures/samples');
const samples = fs
  .readdirSync(SAMPLES)
  .filter(n => n.endsWith('.yaml'))
  .map(n => [n, fs.readFileSync(path.join(SAMPLES, n))] as const);
const bytes = (s: string) => Buffer.from(s, 'utf8');

/** `docs` ConfigMap-like documents of 1000 keys each: about 55 kB per document. */
function bigFile(docs: number): Buffer {
  const out: string[] = [];
  for (let d = 0; d < docs; d++) {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: big-${d}`, 'data:'];
    for (let i = 0; i < 1000; i++) lines.push(`  key-${i}: "value ${i} ${'x'.repeat(32)}"`);
    out.push(lines.join('\n'));
  }
  return bytes(`${out.join('\n---\n')}\n`);
}

/**
 * Same outcome: equal as data, and the same JSON (key order included). Objects
 * from a worker belong to the main realm, not to jest's sandbox, so a strict
 * prototype comparison does not apply here.
 */
/** A value as JSON: equal texts mean the same value down to key order. */
const json = (value: unknown) => JSON.stringify(value);

/** Runs `fn` while counting 5 ms timer ticks: a blocked event loop counts none. */
async function ticksDuring<T>(fn: () => Promise<T> | T): Promise<{ result: T; ticks: number; ms: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const t0 = Date.now();
  try {
    const result = await fn();
    return { result, ticks, ms: Date.now() - t0 };
  } finally {
    clearInterval(timer);
  }
}

describe('parseYamlFileOffThread', () => {
  // threshold 0: every file goes through the worker
  const inWorker = (b: Uint8Array, limits = DEFAULT_PARSE_LIMITS) =>
    parseYamlFileOffThread(b, { workerThresholdBytes: 0, limits });

  it.each(samples)('parses the sample %s in a worker exactly as in this thread', async (_name, raw) => {
    const worker = await inWorker(raw);
    expect(worker.ok).toBe(true);
    expect(json(worker)).toBe(json(parseYamlFile(raw)));
  });

  it.each([
    ['a YAML error', bytes('a: "unclosed\nb: 1\n')],
    ['duplicate keys', bytes('a: 1\na: 2\n')],
    ['binary content', Buffer.from([0x41, 0, 0x42])],
    ['invalid UTF-8', Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28])],
    ['an alias bomb', bytes(`a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`)],
    ['empty documents, merge keys and a BOM', bytes('\ufeff---\n---\nbase: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n--- ~\n')],
    ['too many documents', bytes('---\na: 1\n'.repeat(20))],
  ])('gives the same result for %s', async (_title, raw) => {
    const limits = { ...DEFAULT_PARSE_LIMITS, maxDocuments: 10 };
    expect(json(await inWorker(raw, limits))).toBe(json(parseYamlFile(raw, limits)));
  });

  it('leaves the caller\'s bytes intact', async () => {
    const raw = samples[0][1];
    const copy = Buffer.from(raw);
    await inWorker(raw);
    expect(raw.equals(copy)).toBe(true);
  });

  it('keeps the event loop free while a large file is parsed, with the same result', async () => {
    const raw = bigFile(12); // about 660 kB: over the worker threshold
    expect(raw.length).toBeGreaterThan(DEFAULT_WORKER_THRESHOLD_BYTES);
    const here = await ticksDuring(() => parseYamlFile(raw));
    const off = await ticksDuring(() => parseYamlFileOffThread(raw)); // default threshold: a worker
    // eslint-disable-next-line no-console
    console.log(`parse of ${raw.length} bytes: ${here.ms} ms in this thread (${here.ticks} timer ticks), ${off.ms} ms in a worker (${off.ticks} ticks)`);
    expect(here.ticks).toBe(0);
    expect(off.ticks).toBeGreaterThan(off.ms / 5 / 4);
    expect(json(off.result)).toBe(json(here.result));
  });

  it('parses small files in this thread and yields to the event loop between them', async () => {
    const blobs = new Map(samples.map(([name, raw]) => [name, new Uint8Array(raw)]));
    const order = async (sliceMs: number) => {
      const events: string[] = [];
      setImmediate(() => events.push('event loop'));
      const result = await parseBlobsOffThread(blobs, { sliceMs });
      events.push('parsed');
      await new Promise(r => setImmediate(r));
      return { events, result };
    };
    const yielding = await order(0);
    expect(yielding.events).toEqual(['event loop', 'parsed']);
    expect([...yielding.result.keys()]).toEqual([...blobs.keys()]);
    for (const [name, raw] of samples) expect(isDeepStrictEqual(yielding.result.get(name), parseYamlFile(raw))).toBe(true);
    // without a yield the macrotask waits for the whole batch
    expect((await order(1e9)).events).toEqual(['parsed', 'event loop']);
  });

  it('does not start a worker for a file over the size limit', async () => {
    const limits = { ...DEFAULT_PARSE_LIMITS, maxFileBytes: 10 };
    const result = await parseYamlFileOffThread(bytes('a: 1\nb: 2\nc: 3\n'), { workerThresholdBytes: 0, limits });
    expect(result).toEqual({ ok: false, tooLarge: true, reason: 'file is 15 bytes; files over 10 bytes are not parsed' });
  });
});
