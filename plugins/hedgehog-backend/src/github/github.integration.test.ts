import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  commitCount,
  createBareRepo,
  pushFiles,
  readRemoteFile,
  readRemoteTree,
  remoteHead,
  runGit,
  startGitHttpServer,
} from '@internal/fabric-gitops-test';
import {
  GitHubApiServer,
  startGitHubApiServer,
  webhookHeaders,
} from '@internal/fabric-gitops-test/github';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import { Knex } from 'knex';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { DatabaseHedgehogStore } from '../database/DatabaseHedgehogStore';
import { comparableObject } from '../drift/normalizeObject';
import { hedgehogPlugin } from '../plugin';
import { permissionsByUser } from '../__testUtils__/permissions';

jest.setTimeout(180_000);

const samples = path.resolve(__dirname, '../../../../test/fixtures/samples');
const sample = (name: string) => fs.readFile(path.join(samples, name), 'utf8');

/** The only credential: git (askpass, user x-access-token) and the API (Octokit) both use it. */
const TOKEN = 'ghp_HedgehogTestToken0123456789abcdefXYZ';
const SECRET = 'webhook-secret-7c1d9e';
const APP_BASE_URL = 'http://backstage.test:3000';
const OPERATOR = 'user:default/operator';
/** The owner of fabric `review`: told of its pull requests that fail validation. */
const OWNER = 'user:default/reviewer';
const READER = 'user:default/reader';

const GATEWAY_WIRING = [
  'apiVersion: wiring.githedgehog.com/v1beta1',
  'kind: SwitchGroup',
  'metadata:',
  '  name: eslag-1',
  'spec: {}',
  '---',
  'apiVersion: gateway.githedgehog.com/v1alpha1',
  'kind: Gateway',
  'metadata:',
  '  name: gateway-1',
  '  namespace: fab',
  'spec: {}',
  '',
].join('\n');

const BROKEN_VPC = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: broken-vpc
spec:
  subnets:
    default:
      subnet: 10.20.0.0/24
`;

const GOOD_VPC = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: good-vpc
spec:
  subnets:
    default:
      subnet: 10.30.0.0/24
      vlan: 1300
`;

/** A spine with hhfab's default ASN: valid offline, an error against a FabricConfig with another spine ASN. */
const SPINE_DEFAULT_ASN = `apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: spine-9
spec:
  role: spine
  profile: vs
  asn: 65100
  ip: 172.30.0.90/21
  protocolIP: 172.30.8.90/32
  vlanNamespaces: [default]
`;

const permissionsMock = permissionsByUser(
  (user, permission) => user === OPERATOR || (user === READER && permission === 'hedgehog.fabric.read'),
);

const fabric = (name: string, repo: string, writeMode: string, dir = `fabrics/${name}`) => ({
  name,
  title: name,
  git: { url: '', repo, branch: 'main', path: dir, writeMode },
});

/** Fabrics of the backend, each on a repository of its own (owner `acme`). */
const FABRICS = [
  fabric('prflow', 'prflow', 'pull-request'),
  fabric('hooks-a', 'hooks', 'push', 'fabrics/a'),
  fabric('hooks-b', 'hooks', 'push', 'fabrics/b'),
  // the fabric's own FabricConfig (app-config): its spine ASN is not hhfab's default 65100
  { ...fabric('review', 'review', 'pull-request'), owner: OWNER, fabricConfig: { spineASN: 64100 } },
  fabric('adopt', 'adopt', 'pull-request'),
  fabric('adopt-push', 'adopt-push', 'push'),
  fabric('readonly', 'readonly', 'none'),
  fabric('revoked', 'revoked', 'pull-request'),
];

describe('GitHub: pull-request mode, webhooks, pull request statuses and adoption', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;
  let git: Awaited<ReturnType<typeof startGitHttpServer>>;
  let github: GitHubApiServer;
  let knex: Knex;
  let store: DatabaseHedgehogStore;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stopBackend: () => Promise<void>;
  let pushEnv: Record<string, string>;
  const repoDir = (repo: string) => path.join(root, 'acme', `${repo}.git`);
  const repoUrl = (repo: string) => git.url(`acme/${repo}.git`);

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-github-it-'));
    git = await startGitHttpServer({ projectRoot: root, username: 'x-access-token', password: TOKEN });
    github = await startGitHubApiServer({ repoRoot: root, webBaseUrl: `http://127.0.0.1:${git.port}`, tokens: [TOKEN] });
    const askpass = path.join(root, 'askpass.sh');
    await fs.writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) echo "$T_USER";; *) echo "$T_PASS";; esac\n', { mode: 0o700 });
    pushEnv = { GIT_ASKPASS: askpass, T_USER: 'x-access-token', T_PASS: TOKEN };

    const pre = await sample('01-demo-gitops-env1-pre-demo.yaml');
    const seed: Record<string, Record<string, string>> = {
      prflow: { 'fabrics/prflow/raw/pre-demo.yaml': pre, 'fabrics/prflow/raw/wiring/sample.yaml': GATEWAY_WIRING, 'README.md': 'hello\n' },
      hooks: { 'fabrics/a/raw/pre-demo.yaml': pre, 'fabrics/b/raw/pre-demo.yaml': pre },
      review: { 'fabrics/review/raw/pre-demo.yaml': pre, 'README.md': 'hello\n' },
      adopt: { 'fabrics/adopt/raw/pre-demo.yaml': pre },
      'adopt-push': { 'fabrics/adopt-push/raw/pre-demo.yaml': pre },
      readonly: { 'fabrics/readonly/raw/pre-demo.yaml': pre },
      revoked: { 'fabrics/revoked/raw/pre-demo.yaml': pre },
    };
    for (const [repo, files] of Object.entries(seed)) {
      await createBareRepo(repoDir(repo));
      await pushFiles(repoUrl(repo), files, { env: pushEnv, message: 'user: add raw wiring' });
    }

    knex = await databases.init('SQLITE_3');
    // the notifications backend (owners are told of failed validations) has a database of its own
    const notificationsKnex = await databases.init('SQLITE_3');
    const backend = await startTestBackend({
      features: [
        hedgehogPlugin,
        notificationsPlugin,
        permissionsMock.factory,
        createServiceFactory({
          service: coreServices.database,
          deps: { plugin: coreServices.pluginMetadata },
          factory: ({ plugin }) => mockServices.database({ knex: plugin.getId() === 'hedgehog' ? knex : notificationsKnex }),
        }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: APP_BASE_URL },
            integrations: {
              // GitHub Enterprise style: the Git host and its API base URL
              github: [{ host: `127.0.0.1:${git.port}`, apiBaseUrl: `${github.url}/api/v3`, token: TOKEN }],
            },
            hedgehog: {
              workingDirectory: path.join(root, 'work'),
              webhooks: { github: { secret: SECRET } },
              fabrics: FABRICS.map(({ git: { repo, ...g }, ...f }) => ({ ...f, git: { ...g, url: repoUrl(repo) } })),
            },
          },
        }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
    store = new DatabaseHedgehogStore(knex);
  });

  afterAll(async () => {
    await stopBackend?.();
    await github?.stop();
    await git?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  const api = (method: 'get' | 'post', url: string, user?: string) => {
    const r = request(server)[method](`/api/hedgehog${url}`);
    return user ? r.set('Authorization', mockCredentials.user.header(user)) : r;
  };

  async function waitForRun(runId: string) {
    for (let i = 0; i < 600; i++) {
      const run = await store.getRun(runId);
      if (run && ['succeeded', 'partial', 'failed'].includes(run.status)) return run;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  async function sync(name: string) {
    const res = await api('post', `/fabrics/${name}/sync`, OPERATOR).send({});
    expect(res.status).toBe(202);
    return waitForRun(res.body.runId);
  }

  function deliver(event: string, payload: unknown, opts: { delivery?: string; secret?: string; body?: string } = {}) {
    const body = opts.body ?? JSON.stringify(payload);
    return request(server)
      .post('/api/hedgehog/webhooks/github')
      .set(webhookHeaders(event, body, opts.secret ?? SECRET, opts.delivery))
      .send(body);
  }

  /** The notifications of fabric `review`'s owner, once `settled` holds for them (they are sent after the status). */
  async function ownerNotifications(settled: (list: Array<{ user: string; payload: Record<string, string> }>) => boolean) {
    let list: Array<{ user: string; payload: Record<string, string> }> = [];
    for (let i = 0; i < 100; i++) {
      const res = await request(server)
        .get('/api/notifications/notifications')
        .query({ topic: 'hedgehog:review' })
        .set('Authorization', mockCredentials.user.header(OWNER));
      expect(res.status).toBe(200);
      list = res.body.notifications;
      if (settled(list)) break;
      await new Promise(r => setTimeout(r, 50));
    }
    return list;
  }

  const runCount = async (name: string) => (await store.listRuns(name, 0, 1)).totalItems;
  /** Refs under refs/hedgehog/pull/ in the plugin's scratch repositories. */
  const scratchRefs = async () => {
    const base = path.join(root, 'work', 'branches');
    const found: string[] = [];
    for (const dir of (await fs.readdir(base)).filter(d => d.endsWith('.git'))) {
      const out = await runGit([`--git-dir=${path.join(base, dir)}`, 'for-each-ref', '--format=%(refname)', 'refs/hedgehog/pull/']);
      found.push(...out.stdout.toString('utf8').split('\n').filter(Boolean));
    }
    return found;
  };
  const pullRequests = (repo: string) => github.pulls('acme', repo);
  const branchExists = async (repo: string, branch: string) =>
    (await runGit([`--git-dir=${repoDir(repo)}`, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).then(() => true, () => false));
  const parentOf = async (repo: string, commit: string) =>
    (await runGit([`--git-dir=${repoDir(repo)}`, 'rev-parse', `${commit}^`])).stdout.toString().trim();

  it('opens one pull request on the first sync, updates it on the next, and opens none when nothing changes', async () => {
    const mainBefore = await remoteHead(repoDir('prflow'));
    const first = await sync('prflow');
    expect(first.error).toBeUndefined();
    expect(first.status).toBe('succeeded');
    const commitStage = first.stages.find(s => s.name === 'commit')!;
    expect(commitStage).toMatchObject({ status: 'succeeded', counts: expect.objectContaining({ commits: 1, pullRequest: 1 }) });
    expect(commitStage.message).toMatch(/^pull request #1 opened \(branch hedgehog\/prflow/);

    // main is untouched; the review branch holds one commit on top of it
    expect(await remoteHead(repoDir('prflow'))).toBe(mainBefore);
    expect(await commitCount(repoDir('prflow'))).toBe(1);
    const branchHead = await remoteHead(repoDir('prflow'), 'hedgehog/prflow');
    expect(await parentOf('prflow', branchHead)).toBe(mainBefore);
    const tree = await readRemoteTree(repoDir('prflow'), 'hedgehog/prflow');
    expect(tree.has('fabrics/prflow/raw/pre-demo.yaml')).toBe(false);
    expect(tree.has('fabrics/prflow/managed/vpcs/demo-vpc-1.yaml')).toBe(true);
    expect(tree.has('fabrics/prflow/unmanaged/wiring/sample.yaml')).toBe(true);
    expect(tree.has('README.md')).toBe(true);

    let pulls = await pullRequests('prflow');
    expect(pulls).toHaveLength(1);
    const [pr] = pulls;
    expect(pr).toMatchObject({ number: 1, state: 'open', head: { ref: 'hedgehog/prflow', sha: branchHead }, base: { ref: 'main' } });
    expect(pr.title).toMatch(/^hedgehog\(prflow\): ingest 2 raw file\(s\), \d+ new resource\(s\)/);
    expect(pr.body).toContain('### Ingested from raw/');
    expect(pr.body).toContain('`raw/pre-demo.yaml`');
    expect(pr.body).toContain('`managed/vpcs/demo-vpc-1.yaml`');
    // (before: "Moved to unmanaged/", the whole file) only the Gateway document is kept
    expect(pr.body).toContain('### Kept in unmanaged/');
    expect(pr.body).toMatch(/`raw\/wiring\/sample\.yaml` \(document 2\) \| `unmanaged\/wiring\/sample\.yaml` \| .*Gateway/);
    expect(pr.body).toContain('### Validation');

    // Git holds nothing managed on main yet: nothing is imported until the merge
    const state = (await api('get', '/fabrics/prflow', READER)).body;
    expect(state).toMatchObject({ lastSyncedCommit: mainBefore, status: 'in_sync' });
    expect(state.counts).toEqual({});

    const listed = await api('get', '/fabrics/prflow/pulls', READER);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      items: [{ number: 1, title: pr.title, url: pr.html_url, branch: 'hedgehog/prflow', updatedAt: pr.updated_at, purpose: 'sync' }],
      totalItems: 1,
    });
    // the list is reused for a while: more readers, no more GitHub requests
    const apiRequests = github.requests.length;
    for (const user of [READER, OPERATOR, READER]) expect((await api('get', '/fabrics/prflow/pulls', user)).body).toEqual(listed.body);
    expect(github.requests.length).toBe(apiRequests);

    // unchanged repository: no call to GitHub, no new pull request
    const requestsBefore = github.requests.length;
    const second = await sync('prflow');
    expect(second.stages.find(s => s.name === 'plan')?.message).toMatch(/nothing changed/);
    expect(github.requests.length).toBe(requestsBefore);
    expect(await pullRequests('prflow')).toEqual(pulls);

    // a user commit on main: the same pull request is updated, its branch force-pushed onto the new main
    await pushFiles(repoUrl('prflow'), { 'fabrics/prflow/raw/demo.yaml': await sample('02-demo-gitops-env1-demo.yaml') }, { env: pushEnv });
    const mainNow = await remoteHead(repoDir('prflow'));
    const third = await sync('prflow');
    expect(third.status).toBe('succeeded');
    expect(third.stages.find(s => s.name === 'commit')?.message).toMatch(/^pull request #1 updated/);
    const newBranchHead = await remoteHead(repoDir('prflow'), 'hedgehog/prflow');
    expect(newBranchHead).not.toBe(branchHead);
    expect(await parentOf('prflow', newBranchHead)).toBe(mainNow);
    pulls = await pullRequests('prflow');
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ number: 1, state: 'open', head: { sha: newBranchHead } });
    expect(pulls[0].body).toContain('`raw/demo.yaml`');
    expect(pulls[0].updated_at > pr.updated_at).toBe(true);
    expect(github.requests.filter(r => r.method === 'POST' && r.path.endsWith('/pulls'))).toHaveLength(1);

    // the user merges: the next sync imports the result and opens nothing
    const merged = await github.mergePull('acme', 'prflow', 1);
    const fourth = await sync('prflow');
    expect(fourth.status).toBe('succeeded');
    expect(fourth.commitAfter).toBe(merged);
    expect(fourth.stages.find(s => s.name === 'commit')).toMatchObject({ status: 'skipped', message: 'nothing to commit' });
    expect((await api('get', '/fabrics/prflow', READER)).body.counts).toMatchObject({ VPC: 3, VPCPeering: 1, SwitchGroup: 1 });
    pulls = await pullRequests('prflow');
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ state: 'closed', merged: true });
    expect((await api('get', '/fabrics/prflow/pulls', READER)).body).toEqual({ items: [], totalItems: 0 });
  });

  it('queues a webhook-triggered sync for a signed push and refuses bad signatures and replays without side effects', async () => {
    // unauthenticated (no Authorization header), authenticated by the signature
    const before = await remoteHead(repoDir('hooks'));
    await pushFiles(repoUrl('hooks'), { 'fabrics/a/raw/demo.yaml': await sample('02-demo-gitops-env1-demo.yaml') }, { env: pushEnv });
    const payload = await github.pushEvent('acme', 'hooks', { branch: 'main', before });
    const delivery = randomUUID();
    const [runsA, runsB] = [await runCount('hooks-a'), await runCount('hooks-b')];

    const bad = await deliver('push', payload, { secret: 'not-the-secret', delivery });
    expect(bad.status).toBe(401);
    expect(bad.body.error.message).toMatch(/X-Hub-Signature-256/);
    const tampered = await request(server)
      .post('/api/hedgehog/webhooks/github')
      .set(webhookHeaders('push', JSON.stringify(payload), SECRET, delivery))
      .send(JSON.stringify({ ...payload, ref: 'refs/heads/other' }));
    expect(tampered.status).toBe(401);
    const unsigned = await request(server)
      .post('/api/hedgehog/webhooks/github')
      .set({ 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': delivery })
      .send(JSON.stringify(payload));
    expect(unsigned.status).toBe(401);
    expect([await runCount('hooks-a'), await runCount('hooks-b')]).toEqual([runsA, runsB]);

    // the good delivery (the bad ones above did not use up its id): only the fabric whose folder changed
    const good = await deliver('push', payload, { delivery });
    expect(good.status).toBe(202);
    expect(good.body.queued).toEqual([{ fabric: 'hooks-a', runId: expect.any(String) }]);
    const run = await waitForRun(good.body.queued[0].runId);
    expect(run).toMatchObject({ fabric: 'hooks-a', type: 'sync', trigger: 'webhook', status: 'succeeded', requestedBy: 'github:hedgehog-bot' });
    expect(await runCount('hooks-b')).toBe(runsB);

    // a replay of the same delivery is refused and queues nothing
    const replay = await deliver('push', payload, { delivery });
    expect(replay.status).toBe(409);
    expect(replay.body.error.message).toMatch(/received before/);
    expect(await runCount('hooks-a')).toBe(runsA + 1);
    // so is the captured signed body re-sent under a new delivery id (the id is not signed)
    const resent = await deliver('push', payload, { delivery: randomUUID() });
    expect(resent.status).toBe(409);
    expect(resent.body.error.message).toMatch(/payload of delivery .* was received before under another delivery id/);
    expect(await runCount('hooks-a')).toBe(runsA + 1);

    // branches and paths no fabric watches are ignored
    const otherBranch = await deliver('push', { ...payload, ref: 'refs/heads/feature/x' });
    expect(otherBranch.status).toBe(200);
    expect(otherBranch.body.ignored).toMatch(/no fabric watches the branch feature\/x/);
    const head = await remoteHead(repoDir('hooks'));
    await pushFiles(repoUrl('hooks'), { 'docs/notes.md': 'notes\n' }, { env: pushEnv });
    const outside = await deliver('push', await github.pushEvent('acme', 'hooks', { branch: 'main', before: head }));
    expect(outside.status).toBe(200);
    expect(outside.body.ignored).toMatch(/changes nothing inside fabrics\/a, fabrics\/b/);
    const tag = await deliver('push', { ...payload, ref: 'refs/tags/v1' });
    expect(tag.body.ignored).toMatch(/not a branch/);
    const ping = await deliver('ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(ping.status).toBe(200);
    // GitHub's other content type: the JSON in a form field, signed as sent
    const form = `payload=${encodeURIComponent(JSON.stringify({ ...payload, ref: 'refs/heads/feature/y' }))}`;
    const formRes = await request(server)
      .post('/api/hedgehog/webhooks/github')
      .set({ ...webhookHeaders('push', form, SECRET), 'Content-Type': 'application/x-www-form-urlencoded' })
      .send(form);
    expect(formRes.status).toBe(200);
    expect(formRes.body.ignored).toMatch(/feature\/y/);
    // the body size is limited
    const huge = JSON.stringify({ ...payload, padding: 'x'.repeat(6 * 1024 * 1024) });
    expect((await deliver('push', undefined, { body: huge })).status).toBe(413);
    expect([await runCount('hooks-a'), await runCount('hooks-b')]).toEqual([runsA + 1, runsB]);

    // other routes still need a user
    expect((await api('get', '/fabrics')).status).toBe(401);
  });

  it('validates the head of pull requests that touch the fabric and posts a commit status', async () => {
    // user branches from main: one breaks a VPC, one is valid, one touches nothing of the fabric
    const main = await remoteHead(repoDir('review'));
    for (const b of ['docs', 'feature/bad', 'feature/good', 'feature/spine']) {
      await runGit([`--git-dir=${repoDir('review')}`, 'update-ref', `refs/heads/${b}`, main]);
    }
    await pushFiles(repoUrl('review'), { 'README.md': 'docs only\n' }, { env: pushEnv, branch: 'docs' });
    await pushFiles(repoUrl('review'), { 'fabrics/review/raw/broken.yaml': BROKEN_VPC }, { env: pushEnv, branch: 'feature/bad' });
    await pushFiles(repoUrl('review'), { 'fabrics/review/raw/good.yaml': GOOD_VPC }, { env: pushEnv, branch: 'feature/good' });
    await pushFiles(repoUrl('review'), { 'fabrics/review/raw/spine.yaml': SPINE_DEFAULT_ASN }, { env: pushEnv, branch: 'feature/spine' });
    const docs = await github.createPull('acme', 'review', { title: 'Docs', head: 'docs', base: 'main' });
    const bad = await github.createPull('acme', 'review', { title: 'Bad VPC', head: 'feature/bad', base: 'main' });
    const good = await github.createPull('acme', 'review', { title: 'Good VPC', head: 'acme:feature/good', base: 'main' });
    const spine = await github.createPull('acme', 'review', { title: 'Spine', head: 'feature/spine', base: 'main' });

    const events = new Map<number, unknown>();
    for (const pr of [docs, bad, good, spine]) {
      events.set(pr.number, await github.pullRequestEvent('acme', 'review', pr.number, 'opened'));
      const res = await deliver('pull_request', events.get(pr.number));
      expect(res.status).toBe(202);
      expect(res.body.validating).toEqual(['review']);
    }
    const closedEvent = await deliver('pull_request', await github.pullRequestEvent('acme', 'review', bad.number, 'labeled'));
    expect(closedEvent.body.ignored).toMatch(/action labeled/);

    // validations of one repository run one after the other: wait for the last
    for (let i = 0; i < 400 && github.statuses('acme', 'review', spine.head.sha).length === 0; i++) {
      await new Promise(r => setTimeout(r, 50));
    }
    expect(github.statuses('acme', 'review', docs.head.sha)).toEqual([]);
    expect(github.statuses('acme', 'review', bad.head.sha)).toEqual([
      expect.objectContaining({
        state: 'failure',
        context: 'hedgehog/review',
        description: expect.stringMatching(/^1 error, \d+ warnings? in \d+ resources$/),
        target_url: `${APP_BASE_URL}/catalog/default/resource/review/hedgehog`,
      }),
    ]);
    expect(github.statuses('acme', 'review', good.head.sha)).toEqual([
      expect.objectContaining({ state: 'success', context: 'hedgehog/review', description: expect.stringMatching(/^valid: \d+ resources, 0 errors/) }),
    ]);
    // validated with the fabric's FabricConfig, as a sync would: hhfab's default spine ASN is wrong here
    expect(github.statuses('acme', 'review', spine.head.sha)).toEqual([
      expect.objectContaining({ state: 'failure', description: expect.stringMatching(/^1 error,/) }),
    ]);
    // nothing was committed or opened by the validation
    expect(await commitCount(repoDir('review'))).toBe(1);
    expect(await pullRequests('review')).toHaveLength(4);
    expect(await runCount('review')).toBe(0);

    // a captured delivery re-sent under a new id is refused before anything is validated
    const resent = await deliver('pull_request', events.get(bad.number), { delivery: randomUUID() });
    expect(resent.status).toBe(409);
    expect(resent.body.error.message).toMatch(/received before under another delivery id/);
    // the pull request heads were fetched into scratch refs, deleted after use
    expect(await scratchRefs()).toEqual([]);
    // the next validation posts the next status: the refused one posted none
    const more = await github.pullRequestEvent('acme', 'review', bad.number, 'synchronize');
    expect((await deliver('pull_request', more)).status).toBe(202);
    for (let i = 0; i < 400 && github.statuses('acme', 'review', bad.head.sha).length < 2; i++) {
      await new Promise(r => setTimeout(r, 50));
    }
    expect(github.statuses('acme', 'review', bad.head.sha)).toHaveLength(2);

    // the fabric's owner is told of each pull request that fails, once per pull request (its scope)
    const told = await ownerNotifications(list => list.length >= 2);
    expect(told.map(n => n.payload).sort((a, b) => a.scope.localeCompare(b.scope))).toEqual(
      // (pull requests #2 and #4: their scopes sort as their numbers)
      [bad, spine].map(pr =>
        expect.objectContaining({
          title: `Fabric review: pull request #${pr.number} fails validation`,
          description: `Pull request #${pr.number} "${pr.number === bad.number ? 'Bad VPC' : 'Spine'}" has 1 validation error(s); merging it would make the sync partial.`,
          link: '/catalog/default/resource/review/hedgehog',
          severity: 'high',
          topic: 'hedgehog:review',
          scope: `hedgehog:review:pr-${pr.number}`,
        }),
      ),
    );
    expect(told.every(n => n.user === OWNER)).toBe(true);
  });

  it('says in general words, without internal text, that a pull request could not be validated', async () => {
    const main = await remoteHead(repoDir('review'));
    await runGit([`--git-dir=${repoDir('review')}`, 'update-ref', 'refs/heads/feature/unreadable', main]);
    await pushFiles(repoUrl('review'), { 'fabrics/review/raw/unreadable.yaml': GOOD_VPC }, { env: pushEnv, branch: 'feature/unreadable' });
    const pr = await github.createPull('acme', 'review', { title: 'Unreadable', head: 'feature/unreadable', base: 'main' });
    // git refuses the plugin's credentials: its error names the remote's URL and git's output
    git.setCredentials('x-access-token', 'another-token-only-the-server-knows');
    try {
      const res = await deliver('pull_request', await github.pullRequestEvent('acme', 'review', pr.number, 'opened'));
      expect(res.status).toBe(202);
      for (let i = 0; i < 400 && github.statuses('acme', 'review', pr.head.sha).length === 0; i++) {
        await new Promise(r => setTimeout(r, 50));
      }
    } finally {
      git.setCredentials('x-access-token', TOKEN);
    }
    const statuses = github.statuses('acme', 'review', pr.head.sha);
    expect(statuses).toEqual([
      expect.objectContaining({
        state: 'error',
        context: 'hedgehog/review',
        description: "Hedgehog could not validate this: reading the pull request from Git failed; the Backstage backend's log has the details.",
        target_url: `${APP_BASE_URL}/catalog/default/resource/review/hedgehog`,
      }),
    ]);
    expect(statuses[0].description).not.toMatch(/127\.0\.0\.1|http|fatal|Authentication|\.git/);
    expect(await scratchRefs()).toEqual([]);
    // the owner is told too, in the same general words
    const told = await ownerNotifications(list => list.some(n => n.payload.scope === `hedgehog:review:pr-${pr.number}`));
    expect(told.find(n => n.payload.scope === `hedgehog:review:pr-${pr.number}`)?.payload).toMatchObject({
      title: `Fabric review: pull request #${pr.number} could not be validated`,
      description: `Validating pull request #${pr.number} "Unreadable" failed; the backend's log has the details.`,
    });
  });

  it('adopts a cluster value into Git as a pull request with exactly the cluster value', async () => {
    // bring the fabric into Git and the database: sync, merge, sync
    await sync('adopt');
    await github.mergePull('acme', 'adopt', 1);
    expect((await sync('adopt')).status).toBe('succeeded');
    const detail = (await api('get', '/fabrics/adopt/resources/VPC/demo-vpc-1', READER)).body;
    expect(detail.gitPath).toBe('managed/vpcs/demo-vpc-1.yaml');

    const live = liveVpc(detail.desired, 1201, 'adopt');
    await store.recordDrift('adopt', [
      {
        kind: 'VPC',
        name: 'demo-vpc-1',
        status: 'drifted',
        score: 0.1,
        differences: [{ path: 'spec.subnets.default.vlan', desired: 1101, actual: 1201 }],
        live,
      },
    ]);

    expect((await api('post', '/fabrics/adopt/resources/VPC/demo-vpc-1/adopt', READER).send({})).status).toBe(403);
    const notDrifted = await api('post', '/fabrics/adopt/resources/VPC/demo-vpc-2/adopt', OPERATOR).send({});
    expect(notDrifted.status).toBe(409);
    expect(notDrifted.body.error.message).toMatch(/^VPC demo-vpc-2 cannot be adopted: its drift status is unknown \(no drift check has read it/);

    const mainBefore = await remoteHead(repoDir('adopt'));
    const gitRequestsBefore = git.log.length;
    const res = await api('post', '/fabrics/adopt/resources/VPC/demo-vpc-1/adopt', OPERATOR).send({});
    expect(res.status).toBe(201);
    // the base branch is fetched once (git's ls-refs: the base's head, the fetch, the review branch's head)
    const adoptGit = git.log.slice(gitRequestsBefore);
    expect(adoptGit.filter(r => r.command === 'ls-refs')).toHaveLength(3);
    expect(adoptGit.filter(r => r.command === 'fetch')).toHaveLength(1);
    expect(adoptGit.filter(r => r.method === 'POST' && r.url.endsWith('/git-receive-pack'))).toHaveLength(1);
    const branch = 'hedgehog-adopt/adopt/vpc-demo-vpc-1';
    expect(res.body).toMatchObject({
      fabric: 'adopt',
      kind: 'VPC',
      name: 'demo-vpc-1',
      gitPath: 'managed/vpcs/demo-vpc-1.yaml',
      writeMode: 'pull-request',
      changed: true,
      pullRequest: { number: 2, branch, purpose: 'adopt', title: 'hedgehog(adopt): adopt VPC demo-vpc-1 from the cluster' },
    });

    // never automatic on main; one commit on the adoption branch, changing one file
    expect(await remoteHead(repoDir('adopt'))).toBe(mainBefore);
    const head = await remoteHead(repoDir('adopt'), branch);
    expect(res.body.commit).toBe(head);
    expect(await parentOf('adopt', head)).toBe(mainBefore);
    const [was, now] = [await readRemoteTree(repoDir('adopt')), await readRemoteTree(repoDir('adopt'), branch)];
    const changed = [...now.keys()].filter(k => was.get(k)?.blobId !== now.get(k)!.blobId);
    expect(changed).toEqual(['fabrics/adopt/managed/vpcs/demo-vpc-1.yaml']);

    const file = parseYaml((await readRemoteFile(repoDir('adopt'), 'fabrics/adopt/managed/vpcs/demo-vpc-1.yaml', branch)).toString());
    expect(file.spec).toEqual(live.spec);
    expect(comparableObject(file)).toEqual(comparableObject(live));
    expect(file.status).toBeUndefined();
    expect(file.metadata).toEqual({
      name: 'demo-vpc-1',
      namespace: 'default',
      labels: { team: 'blue' },
      annotations: detail.desired.metadata.annotations, // the tracking annotations stay
    });

    const pr = (await pullRequests('adopt')).find(p => p.number === 2)!;
    expect(pr).toMatchObject({ state: 'open', head: { ref: branch }, base: { ref: 'main' } });
    expect(pr.body).toMatch(/\| `spec\.subnets\.default\.vlan` \| `1101` \| `1201` \|/);
    expect(pr.body).toContain('as user:default/operator asked in Backstage');
    const listed = (await api('get', '/fabrics/adopt/pulls', READER)).body.items;
    expect(listed).toEqual([expect.objectContaining({ number: 2, branch, purpose: 'adopt', url: pr.html_url })]);
  });

  it('adopts into Git as a commit in push mode, and refuses a read-only fabric', async () => {
    expect((await sync('adopt-push')).status).toBe('succeeded');
    const detail = (await api('get', '/fabrics/adopt-push/resources/VPC/demo-vpc-2', READER)).body;
    const live = liveVpc(detail.desired, 1777, 'adopt-push');
    await store.recordDrift('adopt-push', [
      { kind: 'VPC', name: 'demo-vpc-2', status: 'drifted', score: 0.1, differences: [{ path: 'spec.subnets.default.vlan', desired: 1102, actual: 1777 }], live },
    ]);
    const before = await remoteHead(repoDir('adopt-push'));
    const res = await api('post', '/fabrics/adopt-push/resources/VPC/demo-vpc-2/adopt', OPERATOR).send({});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ writeMode: 'push', changed: true, commit: await remoteHead(repoDir('adopt-push')), runId: expect.any(String) });
    expect(await parentOf('adopt-push', res.body.commit)).toBe(before);
    const file = parseYaml((await readRemoteFile(repoDir('adopt-push'), 'fabrics/adopt-push/managed/vpcs/demo-vpc-2.yaml')).toString());
    expect(comparableObject(file)).toEqual(comparableObject(live));
    // the queued sync imports the adopted value
    expect((await waitForRun(res.body.runId)).status).toBe('succeeded');
    const after = (await api('get', '/fabrics/adopt-push/resources/VPC/demo-vpc-2', READER)).body;
    expect(after.desired.spec.subnets.default.vlan).toBe(1777);
    expect(github.requests.some(r => r.path.includes('/adopt-push'))).toBe(false);

    expect((await sync('readonly')).status).toBe('succeeded');
    const ro = await api('post', '/fabrics/readonly/resources/VPC/demo-vpc-1/adopt', OPERATOR).send({});
    expect(ro.status).toBe(409);
    expect(ro.body.error.message).toMatch(/write mode "none"/);
  });

  it('reports a revoked token clearly, without the token anywhere', async () => {
    github.revokeToken(TOKEN);
    try {
      // the API refuses the token: nothing is pushed, the run says why
      const run = await sync('revoked');
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(
        /GitHub rejected the credentials while reading the repository in acme\/revoked on 127\.0\.0\.1:\d+ \(401 Bad credentials\): the token or GitHub App configured in integrations\.github for host 127\.0\.0\.1:\d+ is invalid, expired or revoked/,
      );
      expect(run.stages.find(s => s.name === 'commit')?.status).toBe('failed');
      expect(await branchExists('revoked', 'hedgehog/revoked')).toBe(false);
      expect(await pullRequests('revoked')).toEqual([]);

      const pulls = await api('get', '/fabrics/revoked/pulls', READER);
      expect(pulls.status).toBe(503);
      expect(pulls.body.error.message).toMatch(/401 Bad credentials/);

      // revoked for git as well: the fetch fails, as clearly
      git.setCredentials('x-access-token', 'another-token-only-the-server-knows');
      const fetchRun = await sync('revoked');
      expect(fetchRun.status).toBe('failed');
      expect(fetchRun.error).toMatch(/fetching branch main of http:\/\/127\.0\.0\.1:\d+\/acme\/revoked\.git failed: .*Authentication failed/);

      const everything = JSON.stringify({
        runs: await knex('hedgehog_runs').select(),
        fabrics: await knex('hedgehog_fabrics').select(),
        responses: [pulls.body],
      });
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain(TOKEN.slice(4, 20));
    } finally {
      github.addToken(TOKEN);
      git.setCredentials('x-access-token', TOKEN);
    }
  });
});

/** The cluster's object of a VPC: the desired one with another VLAN, plus what the API server and webhooks add. */
function liveVpc(desired: any, vlan: number, fabricName: string) {
  return {
    apiVersion: desired.apiVersion,
    kind: 'VPC',
    metadata: {
      name: desired.metadata.name,
      namespace: 'default',
      uid: '1f0c9f6e-3b1a-4a4e-9a55-0c1e0d6b7a11',
      resourceVersion: '48213',
      generation: 3,
      creationTimestamp: '2025-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: desired.apiVersion }],
      labels: { 'fabric.githedgehog.com/vpc-subnets': 'default', 'hedgehog.backstage.io/fabric': fabricName, team: 'blue' },
      annotations: {
        ...desired.metadata.annotations,
        'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"VPC"}',
      },
    },
    spec: {
      ...desired.spec,
      subnets: { default: { ...desired.spec.subnets.default, vlan } },
    },
    status: { vni: 100, subnetVNIs: { default: 200 } },
  };
}
