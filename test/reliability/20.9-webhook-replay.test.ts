/*
 * Section 20.9 — webhook replays.
 *
 * The X-GitHub-Delivery header is not covered by the signature: whoever
 * captured one signed delivery (a proxy log, a misdirected webhook) can send
 * its body again under a fresh delivery id. The real plugin (startTestBackend,
 * its default cache service) on a loopback GitHub (Git server + REST API test
 * server) receives signed `push` and `pull_request` deliveries; each is then
 * re-sent, byte for byte and with a valid signature, under new delivery ids.
 * A replay must be refused (409) and must have no effect: no sync queued, no
 * validation run, no commit status posted. Distinct deliveries still work.
 */
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { remoteHead } from '../servers';
import { startHedgehogBackend, TestBackend } from './lib/backend';
import { sg } from './lib/corpus';
import { LoopbackGitHub, startLoopbackGitHub } from './lib/loopbackGitHub';
import { SectionSummary } from './lib/summary';
import { deliver, signature } from './lib/webhook';

jest.setTimeout(180_000);

const summary = new SectionSummary('section 20.9 (webhook replays: delivery id and signed payload)');
const SECRET = `whsec-${crypto.randomBytes(8).toString('hex')}`;
/** How many times each captured delivery is re-sent under a new id. */
const REPLAYS = 5;

let root: string;
let github: LoopbackGitHub;
let backend: TestBackend;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-replay-'));
  github = await startLoopbackGitHub(path.join(root, 'github'));
  await github.push('hooks', { 'fabric/raw/groups.yaml': sg('replay-a') });
  await github.push('review', { 'fabric/raw/groups.yaml': sg('review-a') });
  backend = await startHedgehogBackend(
    {
      workingDirectory: path.join(root, 'work'),
      webhooks: { github: { secret: SECRET } },
      fabrics: [
        { name: 'hooks', git: { url: github.url('hooks'), branch: 'main', path: 'fabric' } },
        { name: 'review', git: { url: github.url('review'), branch: 'main', path: 'fabric', writeMode: 'pull-request' } },
      ],
    },
    { extraConfig: { integrations: github.integrations } },
  );
}, 120_000);

afterAll(async () => {
  await backend?.stop();
  await github?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

const send = (event: string, body: Buffer, delivery: string = crypto.randomUUID()) =>
  deliver(backend.server, body, { event, delivery, signature: signature(SECRET, body) });

async function runsOf(fabric: string): Promise<any[]> {
  const res = await backend.get(`/fabrics/${fabric}/runs?limit=100`);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** Waits until `count()` reaches `n` (or the time is up); returns the last count. */
async function waitFor(count: () => number, n: number, ms = 30_000): Promise<number> {
  const deadline = Date.now() + ms;
  while (count() < n && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
  return count();
}

describe('section 20.9: a captured signed delivery re-sent under a new delivery id', () => {
  it(
    'push: the replay is refused and queues no sync; a distinct push still does',
    summary.track('push replayed under new ids', async () => {
      const before = (await runsOf('hooks')).length;
      const base = await remoteHead(github.dir('hooks'));
      const head = await github.push('hooks', { 'fabric/raw/more.yaml': sg('replay-b') });
      const body = Buffer.from(JSON.stringify(await github.api.pushEvent('acme', 'hooks', { branch: 'main', before: base, after: head })));
      const first = await send('push', body);
      expect(first.status).toBe(202);
      expect(first.body.queued.map((q: any) => q.fabric)).toEqual(['hooks']);
      await backend.waitForRun(first.body.queued[0].runId, 60_000);

      const replays = [];
      for (let i = 0; i < REPLAYS; i++) replays.push(await send('push', body));
      expect(replays.map(r => r.status)).toEqual(Array(REPLAYS).fill(409));
      expect(replays[0].body.error.message).toMatch(/was received before under another delivery id; replays are refused/);
      // the original id is refused too, as before
      expect((await send('push', body, first.body.delivery)).status).toBe(409);
      const runs = await runsOf('hooks');
      expect(runs.length).toBe(before + 1);
      expect(runs.filter(r => r.status === 'queued' || r.status === 'running')).toEqual([]);

      // a new push is a new payload: accepted
      const next = await github.push('hooks', { 'fabric/raw/third.yaml': sg('replay-c') });
      const other = await send('push', Buffer.from(JSON.stringify(await github.api.pushEvent('acme', 'hooks', { branch: 'main', before: head, after: next }))));
      expect(other.status).toBe(202);
      await backend.waitForRun(other.body.queued[0].runId, 60_000);
      expect((await runsOf('hooks')).length).toBe(before + 2);
    }),
  );

  it(
    'pull_request: the replay is refused, validates nothing and posts no second commit status',
    summary.track('pull_request replayed under new ids', async () => {
      const head = await github.push('review', { 'fabric/raw/vpc.yaml': sg('review-b') }, 'feature/x');
      const pr = await github.api.createPull('acme', 'review', { title: 'Feature', head: 'feature/x', base: 'main' });
      const body = Buffer.from(JSON.stringify(await github.api.pullRequestEvent('acme', 'review', pr.number, 'opened')));
      const statuses = () => github.api.statuses('acme', 'review', head).length;
      const statusPosts = () => github.api.requests.filter(r => r.method === 'POST' && r.path.includes('/statuses/')).length;

      const first = await send('pull_request', body);
      expect(first.status).toBe(202);
      expect(first.body.validating).toEqual(['review']);
      expect(await waitFor(statuses, 1)).toBe(1);
      const posts = statusPosts();
      const gitRequests = github.git.requests;

      const replays = [];
      for (let i = 0; i < REPLAYS; i++) replays.push(await send('pull_request', body));
      expect(replays.map(r => r.status)).toEqual(Array(REPLAYS).fill(409));
      // a validation would fetch the head and post a status within this time (the first took less)
      await new Promise(r => setTimeout(r, 2_000));
      expect(statuses()).toBe(1);
      expect(statusPosts()).toBe(posts);
      expect(github.git.requests).toBe(gitRequests);
      expect(await runsOf('review')).toEqual([]);

      // a new event of the same pull request (a new payload) is validated
      await github.push('review', { 'fabric/raw/vpc2.yaml': sg('review-c') }, 'feature/x');
      const sync = await send('pull_request', Buffer.from(JSON.stringify(await github.api.pullRequestEvent('acme', 'review', pr.number, 'synchronize'))));
      expect(sync.status).toBe(202);
    }),
  );
});
