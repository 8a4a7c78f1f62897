/*
 * Section 20.11 — outbound amplification and leaks.
 *
 * `GET /fabrics/:fabric/pulls` (GitHub, up to 10 pages) and `GET
 * /fabrics/:fabric/cluster` (16 Kubernetes API requests) are open to every
 * reader. The real plugin (startTestBackend) runs against a loopback GitHub
 * (Git server + REST API test server, which logs every request) and the real
 * test API server behind a logging HTTPS proxy. Many readers calling at once
 * must cause at most one outbound read per fabric per cache period; one user
 * calling too often gets 429 with Retry-After. A pull request the plugin could
 * not validate gets a commit status in general words with a link to the fabric
 * page, never the internal error (URLs, git's output); and the pull request
 * heads the validation fetched into the scratch repository are gone after it.
 */
import { startTestCluster } from '@internal/fabric-gitops-test/cluster';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { runGit } from '../servers';
import { READER, startHedgehogBackend, TestBackend } from './lib/backend';
import { sg } from './lib/corpus';
import { KubeProxy, startKubeProxy } from './lib/kubeProxy';
import { LoopbackGitHub, startLoopbackGitHub } from './lib/loopbackGitHub';
import { SectionSummary } from './lib/summary';
import { deliver, signature } from './lib/webhook';

jest.setTimeout(300_000);

const summary = new SectionSummary('section 20.11 (outbound reads cached and limited per user; no internal text on GitHub; no scratch refs left)');
const SECRET = `whsec-${crypto.randomBytes(8).toString('hex')}`;
const APP = 'http://backstage.test:3000';
const CACHE_SECONDS = 3;
const BURST = 10;
/** Readers calling at once, and calls each. */
const USERS = 8;
const CALLS = 5;

let root: string;
let github: LoopbackGitHub;
let proxy: KubeProxy;
let backend: TestBackend;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-outbound-'));
  const cluster = await startTestCluster();
  proxy = await startKubeProxy({ upstream: cluster.url, upstreamCa: Buffer.from(cluster.caData, 'base64').toString('utf8') });
  github = await startLoopbackGitHub(path.join(root, 'github'));
  await github.push('pr', { 'fabric/raw/groups.yaml': sg('outbound-a') });
  backend = await startHedgehogBackend(
    {
      workingDirectory: path.join(root, 'work'),
      git: { timeoutSeconds: 20 },
      webhooks: { github: { secret: SECRET } },
      liveReads: { cacheSeconds: CACHE_SECONDS, burst: BURST, perMinute: 6 },
      clusters: [{ name: 'lab', url: proxy.url, serviceAccountToken: cluster.adminToken, caData: proxy.ca }],
      fabrics: [
        { name: 'pr', git: { url: github.url('pr'), branch: 'main', path: 'fabric', writeMode: 'pull-request' }, cluster: 'lab' },
      ],
    },
    { extraConfig: { app: { baseUrl: APP }, integrations: github.integrations } },
  );
  // the plugin's pull request for the fabric, so the list is not empty
  const sync = await backend.post('/fabrics/pr/sync', {});
  const run = await backend.waitForRun(sync.body.runId, 60_000);
  if (run.status !== 'succeeded') throw new Error(`the first sync ended ${run.status}: ${run.error}`);
}, 40 * 60_000); // the first start of the test cluster on a machine builds kube-apiserver

afterAll(async () => {
  await backend?.stop();
  await github?.stop();
  await proxy?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

const pullListings = () => github.api.requests.filter(r => r.method === 'GET' && /^\/repos\/acme\/pr\/pulls(\?|$)/.test(r.path)).length;
/** Requests of a connection test (GET /version and the CRDs); drift and validation LIST other paths. */
const clusterRequests = () => proxy.log.filter(l => /^GET \/(version|apis\/apiextensions\.k8s\.io\/)/.test(l)).length;

/** USERS readers (named after `group`), CALLS calls each, all at once; every answer must be 200. */
async function readersAtOnce(url: string, group: string): Promise<any[]> {
  const calls = [];
  for (let u = 0; u < USERS; u++) {
    for (let c = 0; c < CALLS; c++) calls.push(backend.get(url, `user:default/reader-${group}-${u}`));
  }
  const answers = await Promise.all(calls);
  expect(answers.map(a => a.status)).toEqual(Array(USERS * CALLS).fill(200));
  return answers.map(a => a.body);
}

describe('section 20.11: outbound reads of the read routes', () => {
  it(
    `GET /fabrics/:fabric/pulls: ${USERS * CALLS} calls at once make one GitHub listing; the next after ${CACHE_SECONDS} s one more`,
    summary.track('pulls cached per fabric', async () => {
      // a new period: what the sync above read is stale
      await new Promise(r => setTimeout(r, CACHE_SECONDS * 1000 + 100));
      const before = pullListings();
      const bodies = await readersAtOnce('/fabrics/pr/pulls', 'pulls');
      expect(bodies[0].totalItems).toBe(1);
      expect(new Set(bodies.map(b => JSON.stringify(b))).size).toBe(1);
      expect(pullListings() - before).toBe(1);
      await new Promise(r => setTimeout(r, CACHE_SECONDS * 1000 + 100));
      await readersAtOnce('/fabrics/pr/pulls', 'pulls-again');
      expect(pullListings() - before).toBe(2);
    }),
  );

  it(
    `GET /fabrics/:fabric/cluster: ${USERS * CALLS} calls at once make one connection test (16 API requests: the version and the 15 CRDs)`,
    summary.track('cluster status cached per fabric', async () => {
      await new Promise(r => setTimeout(r, CACHE_SECONDS * 1000 + 100));
      const before = clusterRequests();
      const bodies = await readersAtOnce('/fabrics/pr/cluster', 'cluster');
      // with the error the answer gives, when there is one (a failure says why the cluster was not reached)
      expect({ cluster: bodies[0].cluster, reachable: bodies[0].reachable, error: bodies[0].error }).toEqual({
        cluster: 'lab',
        reachable: true,
        error: undefined,
      });
      expect(clusterRequests() - before).toBe(16);
    }),
  );

  it(
    `a user over the limit (${BURST} calls at once) gets 429 with Retry-After; other users do not`,
    summary.track('per-user limit', async () => {
      const user = 'user:default/reader-hasty';
      const statuses = [];
      for (let i = 0; i < BURST; i++) statuses.push((await backend.get(i % 2 ? '/fabrics/pr/pulls' : '/fabrics/pr/cluster', user)).status);
      expect(statuses).toEqual(Array(BURST).fill(200));
      const over = await backend.get('/fabrics/pr/pulls', user);
      expect(over.status).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(over.body.error.message).toMatch(/Too many requests that ask GitHub or a cluster; try again in \d+ s/);
      expect((await backend.get('/fabrics/pr/cluster', user)).status).toBe(429);
      expect((await backend.get('/fabrics/pr/pulls', READER)).status).toBe(200);
      // the routes that read the database only are not limited
      expect((await backend.get('/fabrics/pr', user)).status).toBe(200);
    }),
  );
});

describe('section 20.11: what goes to GitHub, and what stays in the scratch repository', () => {
  const scratchRefs = async () => {
    const base = path.join(root, 'work', 'branches');
    const found: string[] = [];
    for (const dir of await fs.readdir(base)) {
      if (!dir.endsWith('.git')) continue;
      const out = await runGit([`--git-dir=${path.join(base, dir)}`, 'for-each-ref', '--format=%(refname)', 'refs/hedgehog/pull/']);
      found.push(...out.stdout.toString('utf8').split('\n').filter(Boolean));
    }
    return found;
  };

  async function validate(branch: string, files: Record<string, string>) {
    const head = await github.push('pr', files, branch);
    const pr = await github.api.createPull('acme', 'pr', { title: branch, head: branch, base: 'main' });
    const body = Buffer.from(JSON.stringify(await github.api.pullRequestEvent('acme', 'pr', pr.number, 'opened')));
    return { head, body };
  }

  async function statusesOf(head: string) {
    for (let i = 0; i < 600 && github.api.statuses('acme', 'pr', head).length === 0; i++) await new Promise(r => setTimeout(r, 50));
    return github.api.statuses('acme', 'pr', head);
  }

  it(
    'a validation that fails posts a status in general words with a link to the fabric page, without internal text',
    summary.track('failed validation status without internal text', async () => {
      const { head, body } = await validate('feature/unreadable', { 'fabric/raw/more.yaml': sg('outbound-b') });
      // git refuses the plugin's credentials: git's error names the remote's URL and its own output
      github.git.setCredentials('x-access-token', 'another-token-only-the-server-knows');
      let statuses;
      try {
        const res = await deliver(backend.server, body, { event: 'pull_request', delivery: crypto.randomUUID(), signature: signature(SECRET, body) });
        expect(res.status).toBe(202);
        statuses = await statusesOf(head);
      } finally {
        github.git.setCredentials('x-access-token', github.token);
      }
      expect(statuses).toEqual([
        expect.objectContaining({
          state: 'error',
          context: 'hedgehog/pr',
          target_url: `${APP}/catalog/default/resource/pr/hedgehog`,
        }),
      ]);
      const text = statuses[0].description ?? '';
      expect(text).toMatch(/^Hedgehog could not validate this: reading the pull request from Git failed/);
      for (const internal of [github.url('pr'), `127.0.0.1:${github.git.port}`, 'fatal', 'Authentication', 'http', '.git']) {
        expect([internal, text.includes(internal)]).toEqual([internal, false]);
      }
    }),
  );

  it(
    'no refs/hedgehog/pull/ refs remain after validations, failed or not',
    summary.track('no scratch refs after validation', async () => {
      const { head, body } = await validate('feature/good', { 'fabric/raw/good.yaml': sg('outbound-c') });
      const res = await deliver(backend.server, body, { event: 'pull_request', delivery: crypto.randomUUID(), signature: signature(SECRET, body) });
      expect(res.status).toBe(202);
      const statuses = await statusesOf(head);
      expect(statuses).toEqual([expect.objectContaining({ state: 'success', context: 'hedgehog/pr' })]);
      // the scratch repository exists and holds the base branch, not the pull requests' heads
      const branches = await fs.readdir(path.join(root, 'work', 'branches'));
      expect(branches.filter(d => d.endsWith('.git')).length).toBeGreaterThan(0);
      expect(await scratchRefs()).toEqual([]);
    }),
  );
});
