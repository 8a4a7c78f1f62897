import { TestDatabases, mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles, remoteHead, runGit, startGitHttpServer } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import { GitHubApiServer, startGitHubApiServer, webhookHeaders } from '@internal/fabric-gitops-test/github';
import crypto from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { DatabaseHedgehogStore } from '../../database/DatabaseHedgehogStore';
import { hedgehogPlugin } from '../../plugin';
import { permissionsByUser } from '../../__testUtils__/permissions';
import { planCommentMarker } from './planCommentText';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

const TOKEN = 'ghp_HedgehogPlanCommentToken0123456789abc';
const SECRET = 'webhook-secret-plan-comment';
const APP_BASE_URL = 'http://backstage.test:3000';
const OPERATOR = 'user:default/operator';

/*
 * The plan comment of a pull request, against the real kube-apiserver of test/cluster
 * and the GitHub API test server: a pull request into a fabric's branch gets one
 * comment with what an apply of its head would do (the same plan `POST /plan` gives
 * once it is merged), updated in place when a commit arrives.
 */
describe('the plan comment on pull requests, against a real Kubernetes API server', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const tag = crypto.randomBytes(3).toString('hex');
  const fabric = `pc${tag}`;
  const name = (x: string) => `pc-${tag}-${x}`;
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;
  let git: Awaited<ReturnType<typeof startGitHttpServer>>;
  let github: GitHubApiServer;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let store: DatabaseHedgehogStore;
  let pushEnv: Record<string, string>;
  const repoDir = () => path.join(root, 'acme', 'net.git');
  const repoUrl = () => git.url('acme/net.git');

  const sgPath = (n = '') => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups${n ? `/${n}` : ''}`;
  const sg = (n: string, team = 'net', spec = '{}') =>
    `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${n}\n  labels:\n    team: ${team}\nspec: ${spec}\n`;
  const file = (n: string, of = fabric) => `fabrics/${of}/managed/switchgroups/${n}.yaml`;

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-plan-comment-it-'));
    git = await startGitHttpServer({ projectRoot: root, username: 'x-access-token', password: TOKEN });
    github = await startGitHubApiServer({ repoRoot: root, webBaseUrl: `http://127.0.0.1:${git.port}`, tokens: [TOKEN] });
    const askpass = path.join(root, 'askpass.sh');
    await fs.writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) echo x-access-token;; *) echo "$T_PASS";; esac\n', { mode: 0o700 });
    pushEnv = { GIT_ASKPASS: askpass, T_PASS: TOKEN };
    await createBareRepo(repoDir());
    await pushFiles(repoUrl(), { [file(name('keep'))]: sg(name('keep')), [file(name('change'))]: sg(name('change')), [file(name('gone'))]: sg(name('gone')) }, { env: pushEnv });

    const knex = await databases.init('SQLITE_3');
    store = new DatabaseHedgehogStore(knex);
    const gitFabric = (n: string, clusterName: string) => ({
      name: n,
      cluster: clusterName,
      prune: true,
      git: { url: repoUrl(), branch: 'main', path: `fabrics/${n}`, writeMode: 'pull-request' },
    });
    backend = await startTestBackend({
      features: [
        hedgehogPlugin,
        permissionsByUser(user => user === OPERATOR).factory,
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: APP_BASE_URL },
            integrations: { github: [{ host: `127.0.0.1:${git.port}`, apiBaseUrl: `${github.url}/api/v3`, token: TOKEN }] },
            hedgehog: {
              workingDirectory: path.join(root, 'work'),
              webhooks: { github: { secret: SECRET } },
              clusters: [
                { name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData },
                // nothing listens there: the plan cannot be made
                { name: 'down', url: 'https://127.0.0.1:9', serviceAccountToken: 'x' },
              ],
              fabrics: [gitFabric(fabric, 'lab'), gitFabric(`${fabric}-down`, 'down')],
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    for (const x of ['keep', 'change', 'gone', 'new']) await kubeRequest(cluster, 'DELETE', sgPath(name(x))).catch(() => {});
    await backend?.stop();
    await github?.stop();
    await git?.stop();
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  const api = (url: string) => request(backend.server).post(`/api/hedgehog${url}`).set('Authorization', mockCredentials.user.header(OPERATOR));
  const deliver = (payload: unknown) => {
    const body = JSON.stringify(payload);
    return request(backend.server).post('/api/hedgehog/webhooks/github').set(webhookHeaders('pull_request', body, SECRET)).send(body);
  };
  async function waitFor<T>(what: string, get: () => Promise<T | undefined> | T | undefined): Promise<T> {
    for (let i = 0; i < 600; i++) {
      const value = await get();
      if (value !== undefined) return value;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  const planComments = (number: number, of = fabric) =>
    github.comments('acme', 'net', number).filter(c => c.body.startsWith(planCommentMarker(of)));

  it('comments what an apply of the head would do, and updates that one comment when a commit arrives', async () => {
    // the fabric's objects are in the cluster
    const res = await api(`/fabrics/${fabric}/sync`).send({ apply: true });
    expect(res.status).toBe(202);
    const run = await waitFor('the sync', async () => {
      const r = await store.getRun(res.body.runId);
      return r && ['succeeded', 'partial', 'failed'].includes(r.status) ? r : undefined;
    });
    expect(run.status).toBe('succeeded');
    expect((await kubeRequest(cluster, 'GET', sgPath(name('gone')))).status).toBe(200);

    // a pull request: one object changed, one removed, one new, one invalid
    const main = await remoteHead(repoDir());
    await runGit([`--git-dir=${repoDir()}`, 'update-ref', 'refs/heads/feature/net', main]);
    await pushFiles(
      repoUrl(),
      {
        [file(name('change'))]: sg(name('change'), 'ops'),
        [file(name('gone'))]: null,
        [file(name('new'))]: sg(name('new')),
        [file(name('bad'))]: sg(name('bad'), 'net', '{unknownField: 1}'),
      },
      { env: pushEnv, branch: 'feature/net' },
    );
    const pr = await github.createPull('acme', 'net', { title: 'Net change', head: 'feature/net', base: 'main' });
    expect((await deliver(await github.pullRequestEvent('acme', 'net', pr.number, 'opened'))).status).toBe(202);

    const first = await waitFor('the plan comment', () => planComments(pr.number)[0]);
    expect(first.body).toContain(`### Hedgehog plan for fabric **${fabric}**`);
    expect(first.body).toContain("to cluster `lab`");
    expect(first.body).toContain(`(as of \`${pr.head.sha.slice(0, 12)}\`)`);
    expect(first.body).toContain('**1** create, **1** update, **1** delete (prune), **1** blocked; 1 object already match');
    expect(first.body).toContain(`| \`${name('change')}\` | update | \`metadata.labels.team\`: \`"net"\` → \`"ops"\` |`);
    // 1 of the fabric's 3 objects is more than the default limit of 10%
    expect(first.body).toContain("> The prune deletes 1 of the fabric's 3 objects, more than its limit of 10%: the apply deletes them only when confirmed.");
    expect(first.body).toContain(`| \`${name('gone')}\` | delete (prune) | no longer in Git; the apply deletes it only when confirmed with {"confirmPrune": 1} |`);
    expect(first.body).toMatch(new RegExp(`\\| \`${name('bad')}\` \\| blocked \\| not applied: unknown field spec.unknownField`));
    expect(first.body).toContain(`${APP_BASE_URL}/catalog/default/resource/${fabric}/hedgehog`);
    // the plan comments only: nothing was applied
    expect((await kubeRequest(cluster, 'GET', sgPath(name('new')))).status).toBe(404);

    // the next commit on the branch: the same comment, updated in place
    await pushFiles(repoUrl(), { [file(name('bad'))]: null, [file(name('change'))]: sg(name('change')) }, { env: pushEnv, branch: 'feature/net' });
    const head = await remoteHead(repoDir(), 'feature/net');
    expect((await deliver(await github.pullRequestEvent('acme', 'net', pr.number, 'synchronize'))).status).toBe(202);
    const second = await waitFor('the updated comment', () => planComments(pr.number).find(c => c.body.includes(head.slice(0, 12))));
    expect(planComments(pr.number)).toHaveLength(1);
    expect(second.id).toBe(first.id);
    expect(second.body).toContain('**1** create, **1** delete (prune); 2 objects already match');
    expect(second.body).not.toContain(name('bad'));

    // the same plan on request, for the pull request or its branch (POST /plan), as the comment says
    const byPull = await api(`/fabrics/${fabric}/plan`).send({ pullRequest: pr.number });
    expect(byPull.status).toBe(200);
    expect(byPull.body).toMatchObject({ commit: head, target: { pullRequest: pr.number }, cluster: 'lab', unchanged: 2 });
    expect(byPull.body.counts).toEqual({ create: 1, update: 0, delete: 1, blocked: 0, conflict: 0 });
    const byBranch = await api(`/fabrics/${fabric}/plan`).send({ branch: 'feature/net' });
    expect(byBranch.status).toBe(200);
    expect({ ...byBranch.body, target: undefined }).toEqual({ ...byPull.body, target: undefined });
    // the imported state's plan is another: nothing to do
    expect((await api(`/fabrics/${fabric}/plan`).send({})).body.counts).toEqual({ create: 0, update: 0, delete: 0, blocked: 0, conflict: 0 });
    const refused = async (body: object) => {
      const r = await api(`/fabrics/${fabric}/plan`).send(body);
      return [r.status, r.body.error?.message];
    };
    expect(await refused({ branch: 'nope' })).toEqual([404, expect.stringContaining('has no branch nope')]);
    expect(await refused({ pullRequest: 999 })).toEqual([404, expect.stringContaining('has no pull request #999')]);
    expect(await refused({ branch: '../main' })).toEqual([400, expect.stringContaining('is not a valid branch name')]);
    expect(await refused({ branch: 'feature/net', pullRequest: pr.number })).toEqual([400, expect.stringContaining('not both')]);

    // the same head again (a redelivery): nothing to write
    const patches = () => github.requests.filter(r => r.method === 'PATCH' && r.path.includes('/issues/comments/')).length;
    const before = patches();
    expect((await deliver(await github.pullRequestEvent('acme', 'net', pr.number, 'reopened'))).status).toBe(202);
    await waitFor('the redelivery', () => (github.requests.filter(r => r.path.includes(`/issues/${pr.number}/comments`)).length >= 4 ? true : undefined));
    expect(patches()).toBe(before);
  });

  it('says there is no plan when the cluster cannot be listed, in general words', async () => {
    await pushFiles(repoUrl(), { [file(name('other'), `${fabric}-down`)]: sg(name('other')) }, { env: pushEnv, branch: 'feature/net' });
    const pr = (await github.pulls('acme', 'net')).find(p => p.head.ref === 'feature/net')!;
    expect((await deliver(await github.pullRequestEvent('acme', 'net', pr.number, 'synchronize'))).status).toBe(202);
    const comment = await waitFor('the comment of the fabric without a reachable cluster', () => planComments(pr.number, `${fabric}-down`)[0]);
    expect(comment.body).toContain(`No plan for \`${pr.head.sha.slice(0, 12)}\`: cluster down could not be listed; the Backstage backend's log has the details`);
    expect(comment.body).not.toContain('127.0.0.1:9');
    // each fabric of the repository has its own comment
    expect(planComments(pr.number)).toHaveLength(1);
  });
});
