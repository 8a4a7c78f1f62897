/*
 * Section 5 — the backend answers while it parses huge raw files.
 *
 * The real backend plugin (startTestBackend, in this process) syncs a fabric
 * whose raw/ holds the corpus' 20 MB file (over the parse size limit) and a
 * large file that is parsed: about 4.5 MB of YAML, 80 documents of 1000 keys.
 * Parsing it takes seconds; the plugin parses large files in a worker thread.
 * Meanwhile the API is called every 50 ms and the event loop's delay is
 * measured (perf_hooks.monitorEventLoopDelay): every call answers within 1 s
 * and the loop is never blocked for 1 s. The parse of the same bytes on this
 * thread is timed afterwards, to show the bound means something.
 */
import { parseYamlFile } from '@fabric-gitops/plugin-hedgehog-backend/src/gitops/parse';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createBareRepo, pushFiles } from '../servers';
import { startHedgehogBackend, TestBackend } from './lib/backend';
import { badInputCorpus } from './lib/corpus';
import { fabricTree } from './lib/repo';
import { SectionSummary } from './lib/summary';

jest.setTimeout(240_000);

const summary = new SectionSummary('section 5 (responsiveness: the API answers while huge raw files are parsed)');
const BOUND_MS = 1000;

/** `docs` ConfigMap documents of 1000 keys each (about 55 kB per document): parsed, then kept in unmanaged/. */
function largeParsedFile(docs: number): Buffer {
  const out: string[] = [];
  for (let d = 0; d < docs; d++) {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: big-${d}`, 'data:'];
    for (let i = 0; i < 1000; i++) lines.push(`  key-${i}: "value ${i} ${'x'.repeat(32)}"`);
    out.push(lines.join('\n'));
  }
  return Buffer.from(`${out.join('\n---\n')}\n`);
}

let root: string;
let backend: TestBackend;
let run: any;
let large: Buffer;
const probe = { calls: 0, failures: [] as string[], maxLatencyMs: 0, maxLoopDelayMs: 0, duringParse: 0 };

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-responsive-'));
  const twenty = badInputCorpus(path.join(root, 'unused')).find(c => c.title === 'a 20 MB file')!;
  large = largeParsedFile(80);
  const repo = await createBareRepo(path.join(root, 'fabric.git'));
  await pushFiles(`file://${repo}`, {
    'fabric/raw/large.yaml': large,
    'fabric/raw/twenty-mb.yaml': twenty.files['raw/twenty-mb.yaml'] as Buffer,
  });
  backend = await startHedgehogBackend({
    workingDirectory: path.join(root, 'work'),
    fabrics: [{ name: 'big', git: { url: `file://${repo}`, branch: 'main', path: 'fabric' } }],
  });

  const loop = monitorEventLoopDelay({ resolution: 10 });
  let polling = true;
  let parsing = false;
  const poller = (async () => {
    while (polling) {
      const t0 = Date.now();
      try {
        const res = await backend.get('/fabrics/big').timeout(30_000);
        if (res.status !== 200) probe.failures.push(`GET /fabrics/big -> ${res.status}`);
        if (res.body?.status === undefined) probe.failures.push('GET /fabrics/big: no status');
      } catch (e) {
        probe.failures.push(`GET /fabrics/big: ${e}`);
      }
      probe.calls++;
      if (parsing) probe.duringParse++;
      probe.maxLatencyMs = Math.max(probe.maxLatencyMs, Date.now() - t0);
      await new Promise(r => setTimeout(r, 50));
    }
  })();
  try {
    loop.enable();
    const res = await backend.post('/fabrics/big/sync');
    if (res.status !== 202) throw new Error(`POST sync -> ${res.status} ${JSON.stringify(res.body)}`);
    // the plan stage is where raw files are parsed
    for (;;) {
      const r = await backend.get(`/runs/${res.body.runId}`);
      const plan = r.body.stages?.find((s: any) => s.name === 'plan');
      parsing = plan?.status === 'running';
      if (['succeeded', 'partial', 'failed'].includes(r.body.status)) break;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    parsing = false;
    run = await backend.waitForRun(res.body.runId, 180_000);
  } finally {
    loop.disable();
    polling = false;
    await poller;
    probe.maxLoopDelayMs = Math.round(loop.max / 1e6);
  }
});

afterAll(async () => {
  await backend?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 5: responsiveness during huge parses', () => {
  it(
    'the sync parsed the large file into unmanaged/ with its documents, and refused the 20 MB one by its size without reading it',
    summary.track('huge raw files synced', async () => {
      expect([run.status, run.error]).toEqual([expect.stringMatching(/^(succeeded|partial)$/), run.status === 'failed' ? 'no error' : run.error]);
      const plan = run.stages.find((s: any) => s.name === 'plan');
      // the 20 MB file's size comes from Git: it is not read
      expect(plan.counts.filesRead).toBe(1);
      const unmanaged = (await backend.get('/fabrics/big/unmanaged')).body.items;
      const bySource = (p: string) => unmanaged.find((u: any) => u.originalPath === p);
      // parsed: one reason per ConfigMap document
      expect(bySource('raw/large.yaml').reasons).toHaveLength(80);
      expect(bySource('raw/twenty-mb.yaml').reasons.map((r: any) => r.message).join()).toMatch(/bytes; files over \d+ bytes are not parsed/);
      const tree = await fabricTree(path.join(root, 'fabric.git'), 'fabric');
      expect(tree.has('unmanaged/large.yaml')).toBe(true);
    }),
  );

  it(
    `the API answered every call within ${BOUND_MS} ms and the event loop was never blocked for ${BOUND_MS} ms`,
    summary.track('API answers during the parse', async () => {
      // eslint-disable-next-line no-console
      console.log(
        `[reliability] section 5: ${probe.calls} API calls (${probe.duringParse} during the plan stage), slowest ${probe.maxLatencyMs} ms; longest event-loop delay ${probe.maxLoopDelayMs} ms; plan stage ${stageMs('plan')} ms`,
      );
      expect(probe.failures).toEqual([]);
      expect(probe.duringParse).toBeGreaterThan(5);
      expect(probe.maxLatencyMs).toBeLessThan(BOUND_MS);
      expect(probe.maxLoopDelayMs).toBeLessThan(BOUND_MS);
    }),
  );

  it(
    `parsing the large file on the event loop would block it for more than ${BOUND_MS} ms (the bound is meaningful)`,
    summary.track('in-thread parse exceeds the bound', async () => {
      const t0 = Date.now();
      const parsed = parseYamlFile(large);
      const ms = Date.now() - t0;
      // eslint-disable-next-line no-console
      console.log(`[reliability] section 5: the same ${large.length} bytes parsed on this thread in ${ms} ms`);
      expect(parsed.ok).toBe(true);
      expect(ms).toBeGreaterThan(BOUND_MS);
    }),
  );
});

function stageMs(name: string): number {
  const s = run?.stages?.find((x: any) => x.name === name);
  return s?.startedAt && s?.finishedAt ? Date.parse(s.finishedAt) - Date.parse(s.startedAt) : NaN;
}
