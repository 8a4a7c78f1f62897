import { TestDatabases, mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles, remoteHead, runGit, startGitHttpServer } from '@internal/fabric-gitops-test';
import { GitHubApiServer, startGitHubApiServer } from '@internal/fabric-gitops-test/github';
import { promises as fs } from 'fs';
import { Knex } from 'knex';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { DatabaseHedgehogStore } from '../database/DatabaseHedgehogStore';
import { permissionsByUser } from '../__testUtils__/permissions';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

jest.setTimeout(180_000);

const TOKEN = 'ghp_HedgehogRestoreToken0123456789abcdef';
const OPERATOR = 'user:default/operator';
const SYNCER = 'user:default/syncer';
const READER = 'user:default/reader';
const permissionsMock = permissionsByUser(
  (user, permission) =>
    user === OPERATOR ||
    (user === SYNCER && permission !== 'hedgehog.fabric.restore') ||
    (user === READER && permission === 'hedgehog.fabric.read'),
);

const sg = (name: string, team: string) =>
  `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${name}\n  labels:\n    team: ${team}\nspec: {}\n`;

/*
 * POST /fabrics/:fabric/restore over HTTP against real Git over HTTP on loopback (git
 * http-backend) and the GitHub test API server: managed/ becomes what it was at a
 * synced commit, by a restore run (push) or a pull request (pull-request), other
 * folders untouched.
 */
describe('POST /fabrics/:fabric/restore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;
  let git: Awaited<ReturnType<typeof startGitHttpServer>>;
  let github: GitHubApiServer;
  let knex: Knex;
  let store: DatabaseHedgehogStore;
  let server: Awaited<ReturnType<typeof startPluginBackend>>['server'];
  let stopBackend: () => Promise<void>;
  let pushEnv: Record<string, string>;
  const repoDir = (repo: string) => path.join(root, 'acme', `${repo}.git`);
  const repoUrl = (repo: string) => git.url(`acme/${repo}.git`);

  /** `git ls-tree -r` of a folder at a revision of a repository (mode, blob and path per line). */
  const lsTree = async (repo: string, rev: string, folder: string) =>
    (await runGit([`--git-dir=${repoDir(repo)}`, 'ls-tree', '-r', rev, '--', folder])).stdout.toString('utf8');
  /** Every file of a revision outside a folder, as `git ls-tree -r` lists them. */
  const outside = async (repo: string, rev: string, folder: string) =>
    (await lsTree(repo, rev, '.')).split('\n').filter(l => l && !l.split('\t')[1].startsWith(`${folder}/`)).join('\n');

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-restore-it-'));
    git = await startGitHttpServer({ projectRoot: root, username: 'x-access-token', password: TOKEN });
    github = await startGitHubApiServer({ repoRoot: root, webBaseUrl: `http://127.0.0.1:${git.port}`, tokens: [TOKEN] });
    const askpass = path.join(root, 'askpass.sh');
    await fs.writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) echo "$T_USER";; *) echo "$T_PASS";; esac\n', { mode: 0o700 });
    pushEnv = { GIT_ASKPASS: askpass, T_USER: 'x-access-token', T_PASS: TOKEN };
    for (const repo of ['push', 'pr']) {
      await createBareRepo(repoDir(repo));
      await pushFiles(repoUrl(repo), { [`fabrics/${repo}/raw/groups.yaml`]: [sg('sg-1', 'net'), sg('sg-2', 'net')].join('---\n') }, { env: pushEnv });
    }
    knex = await databases.init('SQLITE_3');
    const backend = await startPluginBackend(
      permissionsMock.factory,
      {
        integrations: { github: [{ host: `127.0.0.1:${git.port}`, apiBaseUrl: `${github.url}/api/v3`, token: TOKEN }] },
        hedgehog: {
          workingDirectory: path.join(root, 'work'),
          fabrics: [
            { name: 'push', git: { url: repoUrl('push'), branch: 'main', path: 'fabrics/push', writeMode: 'push' } },
            { name: 'pr', git: { url: repoUrl('pr'), branch: 'main', path: 'fabrics/pr', writeMode: 'pull-request' } },
            { name: 'ro', git: { url: repoUrl('push'), branch: 'main', path: 'fabrics/ro', writeMode: 'none' } },
          ],
        },
      },
      [mockServices.database.factory({ knex })],
    );
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

  const post = (fabric: string, body: unknown, user?: string) => {
    const r = request(server).post(`/api/hedgehog/fabrics/${fabric}/restore`);
    return (user ? r.set('Authorization', mockCredentials.user.header(user)) : r).send(body as object);
  };

  async function waitForRun(runId: string) {
    for (let i = 0; i < 1200; i++) {
      const run = await store.getRun(runId);
      if (run && ['succeeded', 'partial', 'failed'].includes(run.status)) return run;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  async function sync(fabric: string) {
    const res = await request(server)
      .post(`/api/hedgehog/fabrics/${fabric}/sync`)
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .send({});
    expect(res.status).toBe(202);
    const run = await waitForRun(res.body.runId);
    expect(run.status).toBe('succeeded');
    return run;
  }

  /** The managed file of a group as the branch holds it. */
  const managedFile = async (repo: string, name: string) =>
    (await runGit([`--git-dir=${repoDir(repo)}`, 'show', `main:fabrics/${repo}/managed/switchgroups/${name}.yaml`])).stdout.toString('utf8');

  /** A user's change to the fabric: sg-1 edited, sg-2 removed, sg-3 added (all in managed/). */
  async function changeManaged(repo: string) {
    const dir = `fabrics/${repo}/managed/switchgroups`;
    return pushFiles(
      repoUrl(repo),
      {
        [`${dir}/sg-1.yaml`]: (await managedFile(repo, 'sg-1')).replace('team: net', 'team: ops'),
        [`${dir}/sg-2.yaml`]: null,
        [`${dir}/sg-3.yaml`]: (await managedFile(repo, 'sg-1')).replace(/sg-1/g, 'sg-3'),
      },
      { env: pushEnv, message: 'user: edit the groups' },
    );
  }

  it('push mode: one commit makes managed/ the synced commit\'s, other folders untouched, and the sync follows', async () => {
    const first = await sync('push');
    const synced = first.commitAfter!;
    expect(synced).toBe(await remoteHead(repoDir('push')));
    const managedAt = await lsTree('push', synced, 'fabrics/push/managed');
    expect(managedAt).toContain('fabrics/push/managed/switchgroups/sg-2.yaml');

    await changeManaged('push');
    await sync('push');
    // a file outside managed/ that the restore must leave as it is (not synced yet)
    await pushFiles(repoUrl('push'), { 'fabrics/push/raw/later.txt': 'notes\n', 'other/file.txt': 'x\n' }, { env: pushEnv });
    const before = await remoteHead(repoDir('push'));

    // the dry run: the files, nothing written
    const dry = await post('push', { commit: synced.slice(0, 10), dryRun: true }, OPERATOR);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ fabric: 'push', commit: synced, head: before, writeMode: 'push', dryRun: true, changed: true });
    expect(dry.body.files).toEqual([
      { path: 'managed/switchgroups/sg-1.yaml', change: 'changed' },
      { path: 'managed/switchgroups/sg-2.yaml', change: 'added' },
      { path: 'managed/switchgroups/sg-3.yaml', change: 'removed' },
    ]);
    expect(dry.body.runId).toBeUndefined();
    expect(dry.body.plan).toBeUndefined(); // no cluster
    expect(await remoteHead(repoDir('push'))).toBe(before);

    const res = await post('push', { commit: synced }, OPERATOR);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ commit: synced, changed: true, dryRun: false, files: dry.body.files });
    const run = await waitForRun(res.body.runId);
    expect(run).toMatchObject({ type: 'restore', trigger: 'api', requestedBy: OPERATOR, status: 'succeeded', commitBefore: before });
    expect(run.stages.map(s => s.name)).toEqual(['fetch', 'restore', 'plan', 'ingest', 'validate', 'commit', 'import']);
    expect(run.stages.find(s => s.name === 'restore')).toMatchObject({ status: 'succeeded', counts: { added: 1, changed: 1, removed: 1, commits: 1 } });

    // one commit on the branch, with the message; the sync's own commit follows only when ingestion writes something
    const restoreCommit = (await runGit([`--git-dir=${repoDir('push')}`, 'log', '--format=%H', '--grep=restore managed/', '-1', 'main'])).stdout.toString().trim();
    const parent = (await runGit([`--git-dir=${repoDir('push')}`, 'rev-parse', `${restoreCommit}^`])).stdout.toString().trim();
    expect(parent).toBe(before);
    const message = (await runGit([`--git-dir=${repoDir('push')}`, 'log', '-1', '--format=%B', restoreCommit])).stdout.toString();
    expect(message.split('\n')[0]).toBe(`hedgehog(push): restore managed/ to ${synced.slice(0, 12)}`);
    expect(message).toContain(`Requested in Backstage by ${OPERATOR}.`);
    expect(await lsTree('push', restoreCommit, 'fabrics/push/managed')).toBe(managedAt);
    expect(await outside('push', restoreCommit, 'fabrics/push/managed')).toBe(await outside('push', before, 'fabrics/push/managed'));

    // the sync imported the restored state
    const head = await remoteHead(repoDir('push'));
    expect(run.commitAfter).toBe(head);
    expect((await store.getFabricState('push'))!.lastSyncedCommit).toBe(head);
    const desired = await store.listDesired('push');
    expect(desired.map(d => d.name).sort()).toEqual(['sg-1', 'sg-2']);
    expect(desired.find(d => d.name === 'sg-1')!.object.metadata.labels).toEqual({ team: 'net' });

    // once restored, a second restore has nothing to do: no run, no commit
    const again = await post('push', { commit: synced }, OPERATOR);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, files: [] });
    expect(again.body.runId).toBeUndefined();
    expect(await remoteHead(repoDir('push'))).toBe(head);
  });

  it('pull-request mode: a pull request whose branch holds the synced commit\'s managed/', async () => {
    await sync('pr');
    await github.mergePull('acme', 'pr', 1);
    const merged = await sync('pr');
    const synced = merged.commitAfter!;
    expect(synced).toBe(await remoteHead(repoDir('pr')));
    await changeManaged('pr');
    await sync('pr');
    const main = await remoteHead(repoDir('pr'));

    const dry = await post('pr', { commit: synced, dryRun: true }, OPERATOR);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ writeMode: 'pull-request', changed: true, dryRun: true });
    expect(dry.body.files).toHaveLength(3);
    expect(dry.body.pullRequest).toBeUndefined();

    const res = await post('pr', { commit: synced.slice(0, 8) }, OPERATOR);
    expect(res.status).toBe(202);
    const branch = `hedgehog-restore/pr/${synced.slice(0, 12)}`;
    expect(res.body).toMatchObject({
      commit: synced,
      changed: true,
      files: dry.body.files,
      pullRequest: { branch, purpose: 'restore', title: `hedgehog(pr): restore managed/ to ${synced.slice(0, 12)}` },
    });
    expect(res.body.runId).toBeUndefined();
    // never on main; the branch: main plus one commit whose managed/ is the synced commit's
    expect(await remoteHead(repoDir('pr'))).toBe(main);
    const tip = await remoteHead(repoDir('pr'), branch);
    expect((await runGit([`--git-dir=${repoDir('pr')}`, 'rev-parse', `${tip}^`])).stdout.toString().trim()).toBe(main);
    expect(await lsTree('pr', tip, 'fabrics/pr/managed')).toBe(await lsTree('pr', synced, 'fabrics/pr/managed'));
    expect(await outside('pr', tip, 'fabrics/pr/managed')).toBe(await outside('pr', main, 'fabrics/pr/managed'));
    // the fabric's pull requests list it
    const pulls = await request(server).get('/api/hedgehog/fabrics/pr/pulls').set('Authorization', mockCredentials.user.header(READER));
    expect(pulls.body.items).toContainEqual(expect.objectContaining({ branch, purpose: 'restore' }));
  });

  it('refuses a commit that is not a synced one (400, 404), a read-only fabric (409) and callers without the permission (401, 403)', async () => {
    const synced = (await store.getFabricState('push'))!.lastSyncedCommit!;
    const bad = await post('push', { commit: 'not-a-sha' }, OPERATOR);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/"not-a-sha" is not a commit/);
    expect((await post('push', {}, OPERATOR)).status).toBe(400);
    expect((await post('push', { commit: synced, extra: 1 }, OPERATOR)).status).toBe(400);
    // a commit of the branch that no run recorded, and one of no branch at all
    const userCommit = (await runGit([`--git-dir=${repoDir('push')}`, 'log', '--format=%H', '--author=Test User', '-1', 'main'])).stdout.toString().trim();
    expect(userCommit).toMatch(/^[0-9a-f]{40}$/);
    for (const commit of [userCommit, '1234567']) {
      const missing = await post('push', { commit }, OPERATOR);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toMatch(/is not a synced commit of fabric push/);
    }
    const readOnly = await post('ro', { commit: synced }, OPERATOR);
    expect(readOnly.status).toBe(409);
    expect(readOnly.body.error.message).toMatch(/write mode "none"/);
    expect((await post('push', { commit: synced })).status).toBe(401);
    expect((await post('push', { commit: synced }, READER)).status).toBe(403);
    // sync (and apply) do not imply restore
    expect((await post('push', { commit: synced }, SYNCER)).status).toBe(403);
    expect((await post('nope', { commit: synced }, OPERATOR)).status).toBe(404);
  });
});
