/*
 * Section 20.6 — parallel POST /validate of a pathological file.
 *
 * A backend in its own process (lib/childBackend.ts, action "serve": the real
 * router, real SQLite, a hedgehog.validation pool of 2 workers and 1 waiting, to
 * keep the case short) gets 8 parallel POST /validate requests, each of one file of almost
 * 5 MB (the most the API accepts): thousands of VPCs with the same subnet and
 * VLAN, where every VPC overlaps every other. Meanwhile GET /fabrics is called
 * every 50 ms, and the backend prints its event loop's delay every 250 ms
 * (monitorEventLoopDelay), after a warm-up request that starts the workers.
 * Before the fix each request was parsed and validated
 * on the event loop and made a finding per overlapping pair (n² of them): three
 * such requests crashed the backend with "JavaScript heap out of memory".
 */
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Child, requestChild, spawnChild, stopChildren } from './lib/children';
import { SectionSummary } from './lib/summary';

jest.setTimeout(600_000);

const summary = new SectionSummary('section 20.6 (POST /validate under load: worker threads, 429, capped findings)');
const PARALLEL = 8;
/**
 * The event loop may be held at most this long at once, and in half of the 250 ms
 * windows at most half of it. The target is ~50 ms, which the windows meet (10–50
 * ms) but for a few spikes of ~100 ms when this process parses a 30 MB answer on
 * the same 2 cores; before the fix it was held for the whole minute until the crash.
 */
/**
 * Bounds of the event loop's delay while the pathological requests are validated. Parsing
 * and validating one such request on the event loop holds it for many seconds (and the
 * backend died of it): the loop must never be held for a second, and in 95% of the 250 ms
 * windows for less than LOOP_BOUND_MS. A single longer window can come from the machine
 * (a loaded 2-core host descheduling the process), not from the product.
 */
const LOOP_MAX_MS = 1000;
const LOOP_BOUND_MS = 250;
const MAX_BYTES = 5 * 1024 * 1024;

const vpc = (i: number) =>
  `apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-${i}\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      vlan: 1000\n`;

/** As many overlapping VPCs as fit in the API's 5 MB. */
function pathologicalFile(): { content: string; documents: number } {
  const docs: string[] = [];
  let bytes = 0;
  for (let i = 0; ; i++) {
    const d = `${vpc(i)}---\n`;
    if (bytes + d.length > MAX_BYTES - 1024) break;
    docs.push(d);
    bytes += d.length;
  }
  return { content: docs.join(''), documents: docs.length };
}

interface Answer {
  status: number;
  retryAfter?: string;
  body: any;
  ms: number;
}

let root: string;
let child: Child | undefined;
let port: number;
let file: { content: string; documents: number };
let answers: Answer[] = [];
const polls = { calls: 0, failures: [] as string[], maxMs: 0 };
const loop = { max: 0, p99: 0, samples: 0, timeline: [] as number[] };
let alive = false;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-validate-'));
  const repo = await createBareRepo(path.join(root, 'fabric.git'));
  await pushFiles(`file://${repo}`, { 'fabric/raw/.keep': '' });
  child = spawnChild({
    action: 'serve',
    db: { sqlite: path.join(root, 'hedgehog.sqlite') },
    workingDirectory: path.join(root, 'work'),
    fabrics: [{ name: 'lab', url: `file://${repo}` }],
    loopMonitor: true,
    validation: { workers: 2, queue: 1, timeoutMs: 300_000, maxHeapMb: 512 },
  });
  port = Number((await child.waitFor(/^LISTENING \d+/, 120_000)).split(' ')[1]);
  file = pathologicalFile();
  const body = Buffer.from(JSON.stringify({ files: [{ path: 'raw/vpcs.yaml', content: file.content }] }));
  // warm-up (the first requests load modules and start the workers): one small validation each
  await Promise.all([1, 2].map(i => requestChild(port, 'POST', '/api/hedgehog/validate', JSON.stringify({ files: [{ path: 'a.yaml', content: vpc(i) }] }))));

  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t0 = Date.now();
      try {
        const res = await requestChild(port, 'GET', '/api/hedgehog/fabrics');
        if (res.status !== 200) polls.failures.push(`GET /fabrics -> ${res.status}`);
      } catch (e) {
        polls.failures.push(`GET /fabrics: ${e}`);
      }
      polls.calls++;
      polls.maxMs = Math.max(polls.maxMs, Date.now() - t0);
      await new Promise(r => setTimeout(r, 50));
    }
  })();
  const firstLoopLine = child.lines.length;
  try {
    answers = await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        const t0 = Date.now();
        const res = await requestChild(port, 'POST', '/api/hedgehog/validate', body).catch(e => ({ status: 0, headers: {} as Record<string, string | undefined>, text: String(e) }));
        // parsed once the load is over (a 30 MB answer would hold this process's poller meanwhile)
        return { status: res.status, retryAfter: res.headers['retry-after'] as string | undefined, body: res.text, ms: Date.now() - t0 };
      }),
    );
  } finally {
    polling = false;
    await poller;
  }
  for (const a of answers) {
    try {
      a.body = JSON.parse(a.body);
    } catch {
      // kept as text
    }
  }
  for (const line of child.lines.slice(firstLoopLine)) {
    const m = /^LOOP ([\d.]+) ([\d.]+)$/.exec(line);
    if (!m) continue;
    loop.timeline.push(Math.round(Number(m[1])));
    loop.samples++;
    loop.max = Math.max(loop.max, Number(m[1]));
    loop.p99 = Math.max(loop.p99, Number(m[2]));
  }
  alive = child.proc.exitCode === null && (await requestChild(port, 'GET', '/api/hedgehog/fabrics').then(r => r.status === 200, () => false));
});

afterAll(async () => {
  await stopChildren([child]);
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 20.6: parallel POST /validate of a pathological file', () => {
  it(
    'the backend survives and answered every other request meanwhile',
    summary.track('backend survives, other requests answered', async () => {
      // eslint-disable-next-line no-console
      console.log(
        `[reliability] section 20.6: ${PARALLEL} requests of ${file.documents} overlapping VPCs (${file.content.length} bytes): ${answers.map(a => `${a.status} in ${a.ms} ms`).join(', ')}; ${polls.calls} GET /fabrics, slowest ${polls.maxMs} ms${alive ? '' : `; the backend is gone: ${child?.lines.filter(l => /heap|FATAL|rror/.test(l)).slice(-2).join(' | ').slice(0, 300)}`}`,
      );
      expect({ alive }).toEqual({ alive: true });
      expect(polls.failures).toEqual([]);
      expect(polls.calls).toBeGreaterThan(10);
      expect(polls.maxMs).toBeLessThan(1000);
      expect(answers.map(a => a.status).filter(s => s !== 200 && s !== 429)).toEqual([]);
    }),
  );

  it(
    'the requests over the pool and its queue get 429 with Retry-After and the error body of the API',
    summary.track('429 with Retry-After when full', async () => {
      const refused = answers.filter(a => a.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      expect(answers.filter(a => a.status === 200).length).toBeGreaterThan(0);
      for (const a of refused) {
        expect(a.retryAfter).toMatch(/^\d+$/);
        expect(a.body).toEqual({
          // (with a stack outside production, as every error of the API)
          error: expect.objectContaining({ name: 'TooManyRequestsError', message: expect.stringMatching(/too many validations/) }),
          request: { method: 'POST', url: '/api/hedgehog/validate' },
          response: { statusCode: 429 },
        });
      }
    }),
  );

  it(
    'the findings are capped: one overlap finding per VPC that counts the others',
    summary.track('findings capped', async () => {
      const validated = answers.filter(x => x.status === 200);
      expect(validated.length).toBeGreaterThan(0);
      for (const a of validated) {
        expect(a.body.valid).toBe(false);
        // each VPC: its subnet overlaps and its VLAN is reused (before: one finding per pair)
        expect(a.body.findings).toHaveLength(2 * file.documents);
        const first = a.body.findings.filter((f: any) => f.document === 0);
        expect(first.map((f: any) => f.rule)).toEqual(['fabric.vpc-subnet-overlap', 'fabric.vpc-vlan-reused']);
        expect(first[0].message).toMatch(new RegExp(` and ${file.documents - 4} more, in the same IPv4Namespace default$`));
        expect(first[1].message).toMatch(new RegExp(` and ${file.documents - 4} more in the same VLANNamespace default$`));
      }
    }),
  );

  it(
    `the event loop was never held for ${LOOP_MAX_MS} ms, and in 95% of the time for less than ${LOOP_BOUND_MS} ms`,
    summary.track('event loop delay bounded', async () => {
      // eslint-disable-next-line no-console
      console.log(
        `[reliability] section 20.6: event loop delay over ${loop.samples} windows of 250 ms: max ${loop.max} ms, worst p99 ${loop.p99} ms; the max of each window: ${loop.timeline.join(' ')}`,
      );
      expect(loop.samples).toBeGreaterThan(4);
      expect(loop.max).toBeLessThan(LOOP_MAX_MS);
      const sorted = loop.timeline.slice().sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length * 0.95)]).toBeLessThan(LOOP_BOUND_MS);
      expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(LOOP_BOUND_MS / 2);
    }),
  );
});
