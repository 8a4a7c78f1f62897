import { TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  commitCount,
  createBareRepo,
  pushFiles,
  readRemoteFile,
  readRemoteTree,
  remoteHead,
  startGitDaemon,
  startGitHttpServer,
} from '@internal/fabric-gitops-test';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { GitWorkspace } from '../git/GitWorkspace';
import { FabricAccess } from './FabricAccess';
import { STAGE_WRITE_DELAY_MS } from './RunRecorder';
import { createTestService, testFabric } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const samples = path.resolve(__dirname, '../../../../test/fixtures/samples');
const sample = (name: string) => fs.readFile(path.join(samples, name), 'utf8');

/** A valid SwitchGroup next to a Gateway in namespace fab (Hedgehog accepts only default), as in sample 05. */
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

const USER = 'netops';
const PASSWORD = 'correct-horse-battery-staple-7f3a';

type Server = {
  name: string;
  url: (repo: string) => string;
  integrations: JsonObject;
  pushEnv: () => Promise<Record<string, string>>;
  stop: () => Promise<void>;
};

describe('sync against real Git servers on loopback', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-sync-it-'));
    const daemon = await startGitDaemon(root);
    servers.push({
      name: 'git daemon (git://)',
      url: repo => daemon.url(repo),
      integrations: {},
      pushEnv: async () => ({}),
      stop: () => daemon.stop(),
    });
    const http = await startGitHttpServer({ projectRoot: root, username: USER, password: PASSWORD });
    const askpass = path.join(root, 'askpass.sh');
    await fs.writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) echo "$T_USER";; *) echo "$T_PASS";; esac\n', { mode: 0o700 });
    servers.push({
      name: 'git http-backend with basic auth (http://)',
      url: repo => http.url(repo),
      integrations: { gitea: [{ host: `127.0.0.1:${http.port}`, username: USER, password: PASSWORD }] },
      pushEnv: async () => ({ GIT_ASKPASS: askpass, T_USER: USER, T_PASS: PASSWORD }),
      stop: () => http.stop(),
    });
  });

  beforeAll(() => {
    servers.push({
      name: 'local repository (file://)',
      url: repo => `file://${path.join(root, repo)}`,
      integrations: {},
      pushEnv: async () => ({}),
      stop: async () => {},
    });
  });

  afterAll(async () => {
    await Promise.all(servers.map(s => s.stop()));
    await fs.rm(root, { recursive: true, force: true });
  });

  let repoCounter = 0;
  async function newRepo(server: Server, files: Record<string, string>) {
    const name = `fabric-${++repoCounter}.git`;
    const dir = await createBareRepo(path.join(root, name));
    const url = server.url(name);
    await pushFiles(url, files, { env: await server.pushEnv(), message: 'user: add raw wiring' });
    return { dir, url };
  }

  it.each([0, 1, 2])('first sync, no-op re-sync and a user commit between syncs (server %s)', async i => {
    const server = servers[i];
    const { dir, url } = await newRepo(server, {
      'fabrics/lab/raw/pre-demo.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml'),
      'fabrics/lab/raw/reset.yaml': await sample('03-demo-gitops-env1-demo.reset.yaml'),
      'fabrics/lab/raw/wiring/sample.yaml': GATEWAY_WIRING,
      'README.md': 'other content of the repository stays untouched\n',
    });
    const env = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [testFabric(url)],
      integrations: server.integrations,
    });
    try {
      // first sync: one commit that ingests everything
      const first = await env.sync();
      expect(first.error).toBeUndefined();
      expect(first.status).toBe('succeeded');
      expect(first.stages.map(s => `${s.name}:${s.status}`)).toEqual([
        'fetch:succeeded', 'plan:succeeded', 'ingest:succeeded', 'validate:succeeded', 'commit:succeeded', 'import:succeeded',
      ]);
      expect(await commitCount(dir)).toBe(2);
      expect(first.commitAfter).toBe(await remoteHead(dir));
      const tree = await readRemoteTree(dir);
      expect(tree.has('README.md')).toBe(true);
      expect(tree.has('fabrics/lab/raw/pre-demo.yaml')).toBe(false);
      expect(tree.has('fabrics/lab/managed/vpcs/demo-vpc-1.yaml')).toBe(true);
      expect(tree.has('fabrics/lab/managed/switchgroups/eslag-1.yaml')).toBe(true);
      expect(tree.has('fabrics/lab/unmanaged/wiring/sample.yaml')).toBe(true); // holds the Gateway
      expect(tree.has('fabrics/lab/unmanaged/reset.yaml')).toBe(true); // comments only
      expect(tree.has('fabrics/lab/.gitops/manifest.yaml')).toBe(true);
      const reason = (await readRemoteFile(dir, 'fabrics/lab/unmanaged/wiring/sample.yaml.reason.yaml')).toString();
      expect(reason).toContain('Gateway');
      // (before: the whole file was kept) the kept file holds the Gateway document, byte for byte as the user wrote it
      expect((await readRemoteFile(dir, 'fabrics/lab/unmanaged/wiring/sample.yaml')).toString()).toBe(
        GATEWAY_WIRING.slice(GATEWAY_WIRING.indexOf('---\n')),
      );
      const fabric = await env.service.getFabric('lab');
      expect(fabric.lastSyncedCommit).toBe(await remoteHead(dir));
      expect(fabric.counts).toEqual({ VPC: 2, VPCAttachment: 2, SwitchGroup: 1 });
      const vpcs = await env.store.listResources('lab', { kind: 'VPC', offset: 0, limit: 50 });
      expect(vpcs.items.map(v => v.name)).toEqual(['demo-vpc-1', 'demo-vpc-2']);
      const unmanaged = await env.store.listUnmanaged('lab');
      expect(unmanaged.items.map(u => u.path)).toEqual(['unmanaged/reset.yaml', 'unmanaged/wiring/sample.yaml']);

      // no-op re-sync: stops after plan, pushes nothing
      const syncedAt = fabric.lastSyncAt!;
      await new Promise(resolve => setTimeout(resolve, 5));
      const second = await env.sync();
      expect(second.status).toBe('succeeded');
      expect(second.stages.find(s => s.name === 'plan')?.message).toMatch(/nothing changed/);
      expect(second.stages.filter(s => s.status === 'skipped').map(s => s.name)).toEqual([
        'ingest', 'validate', 'commit', 'import',
      ]);
      expect(await commitCount(dir)).toBe(2);
      // the fabric was checked against Git again: its last sync is this one, its commit the same
      const checked = await env.service.getFabric('lab');
      expect(Date.parse(checked.lastSyncAt!)).toBeGreaterThan(Date.parse(syncedAt));
      expect(checked.lastSyncedCommit).toBe(fabric.lastSyncedCommit);

      // a user adds a raw file: the next sync ingests it in one commit
      await pushFiles(url, { 'fabrics/lab/raw/demo.yaml': await sample('02-demo-gitops-env1-demo.yaml') }, { env: await server.pushEnv() });
      const third = await env.sync();
      expect(third.status).toBe('succeeded');
      // incremental: only the new raw file is read; managed files come from the parse cache
      expect(third.stages.find(s => s.name === 'plan')?.counts.filesRead).toBe(1);
      expect(await commitCount(dir)).toBe(4);
      const after = await readRemoteTree(dir);
      expect(after.has('fabrics/lab/raw/demo.yaml')).toBe(false);
      expect(after.has('fabrics/lab/managed/vpcpeerings/demo-vpc-1--demo-vpc-2.yaml')).toBe(true);
      expect((await env.service.getFabric('lab')).counts).toMatchObject({ VPC: 3, VPCPeering: 1, ExternalPeering: 1 });
    } finally {
      await env.cleanup();
    }
  });

  it('re-plans and retries when the remote moves during the run, keeping the user commit', async () => {
    const server = servers[0];
    const { dir, url } = await newRepo(server, {
      'fabrics/lab/raw/pre-demo.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml'),
    });
    const env = await createTestService({ knex: await databases.init('SQLITE_3'), fabrics: [testFabric(url)] });
    try {
      // Between this sync's fetch and its push, a user pushes another raw file.
      const push = GitWorkspace.prototype.push;
      let active: { status: string; stages: string[] } | undefined;
      const spy = jest.spyOn(GitWorkspace.prototype, 'push').mockImplementation(async function racingPush(this: any, commit: string) {
        if (!active) {
          // the run as it is readable while active, before the user's push (stage
          // records are written at most every STAGE_WRITE_DELAY_MS)
          let run = (await env.store.listRuns('lab', 0, 1)).items[0];
          // (validate has started when the push does: wait until the records show it)
          for (const until = Date.now() + 10 * STAGE_WRITE_DELAY_MS; run.stages.length < 4 && Date.now() < until; ) {
            await new Promise(r => setTimeout(r, 20));
            run = (await env.store.listRuns('lab', 0, 1)).items[0];
          }
          active = { status: run.status, stages: run.stages.map(s => `${s.name}:${s.status}`) };
          await pushFiles(url, { 'fabrics/lab/raw/demo.yaml': await sample('02-demo-gitops-env1-demo.yaml') }, { message: 'user: concurrent change' });
        }
        return push.call(this, commit);
      });
      const run = await env.sync();
      spy.mockRestore();
      // the run was readable while it was active: the stages so far were recorded
      // (in push mode the first push runs beside validation, which may have ended by then)
      expect(active?.status).toBe('running');
      expect(active?.stages.slice(0, 3)).toEqual(['fetch:succeeded', 'plan:succeeded', 'ingest:succeeded']);
      expect([['validate:running'], ['validate:succeeded', 'commit:running']]).toContainEqual(active?.stages.slice(3));
      expect(run.status).toBe('succeeded');
      expect(run.stages.find(s => s.name === 'commit')?.counts).toMatchObject({ commits: 1, attempts: 2 });
      // initial + user's concurrent commit + exactly one sync commit on top of it
      expect(await commitCount(dir)).toBe(3);
      const tree = await readRemoteTree(dir);
      expect(tree.has('fabrics/lab/raw/demo.yaml')).toBe(false); // the user's file was ingested too
      expect(tree.has('fabrics/lab/managed/vpcpeerings/demo-vpc-1--demo-vpc-2.yaml')).toBe(true);
      expect(tree.has('fabrics/lab/managed/vpcattachments/demo-vpc-1--server-1--mclag--s5248-01--s5248-02.yaml')).toBe(true);
      expect((await env.service.getFabric('lab')).counts).toMatchObject({ VPC: 3, VPCAttachment: 3 });
    } finally {
      await env.cleanup();
    }
  });

  it('follows a force-pushed history, says so on the fetch stage, and imports what the new history holds', async () => {
    const server = servers[2];
    const { dir, url } = await newRepo(server, {
      'fabrics/lab/raw/pre-demo.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml'),
    });
    const env = await createTestService({ knex: await databases.init('SQLITE_3'), fabrics: [testFabric(url)] });
    try {
      expect((await env.sync()).status).toBe('succeeded');
      const before = await remoteHead(dir);
      // a user replaces the branch with a history of one commit holding only another file
      const user = await createBareRepo(path.join(root, `rewrite-${repoCounter}.git`));
      const vpc = 'apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-new\nspec:\n  subnets:\n    default:\n      subnet: 10.0.50.0/24\n      vlan: 1050\n';
      await pushFiles(`file://${user}`, { 'fabrics/lab/raw/other.yaml': vpc });
      execFileSync('git', ['push', '--quiet', '--force', url, 'refs/heads/main:refs/heads/main'], { cwd: user });
      const run = await env.sync();
      expect(run.status).toBe('succeeded');
      const fetch = run.stages.find(s => s.name === 'fetch')!;
      expect(fetch.counts).toMatchObject({ rewritten: 1 });
      expect(fetch.message).toMatch(/^the history of branch main was rewritten \(a force-push\)/);
      expect(run.commitBefore).not.toBe(before);
      // the state follows the new history: the old history's resources are gone
      const vpcs = await env.store.listResources('lab', { kind: 'VPC', offset: 0, limit: 50 });
      expect(vpcs.items.map(v => v.name)).toEqual(['vpc-new']);
      // the next sync moved ahead normally
      await pushFiles(url, { 'README.md': 'more\n' });
      expect((await env.sync()).stages.find(s => s.name === 'fetch')?.message).toBeUndefined();
    } finally {
      await env.cleanup();
    }
  });

  it('records the push made beside a validation that failed, and the next sync imports it', async () => {
    const server = servers[0];
    const { dir, url } = await newRepo(server, {
      'fabrics/lab/raw/pre-demo.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml'),
    });
    const env = await createTestService({ knex: await databases.init('SQLITE_3'), fabrics: [testFabric(url)] });
    try {
      const spy = jest
        .spyOn(FabricAccess.prototype, 'validationInputs')
        .mockRejectedValue(new Error('the validation context could not be built'));
      const run = await env.sync();
      spy.mockRestore();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/the validation context could not be built/);
      const stages = Object.fromEntries(run.stages.map(s => [s.name, s]));
      expect(stages.validate.status).toBe('failed');
      // the push ran beside validation: the run says so, and nothing was imported
      expect(stages.commit).toMatchObject({ status: 'succeeded', counts: { commits: 1, attempts: 1 } });
      expect(stages.commit.message).toMatch(/while the validate stage ran/);
      expect(stages.import).toBeUndefined();
      expect(await commitCount(dir)).toBe(2);
      expect(run.commitAfter).toBeUndefined();
      expect((await env.service.getFabric('lab')).lastSyncedCommit).toBeUndefined();

      // the next sync finds its own commit: nothing more to commit, and it is imported
      const next = await env.sync();
      expect(next.status).toBe('succeeded');
      expect(next.stages.find(s => s.name === 'commit')).toMatchObject({ status: 'skipped', message: 'nothing to commit' });
      expect(await commitCount(dir)).toBe(2);
      expect((await env.service.getFabric('lab')).lastSyncedCommit).toBe(await remoteHead(dir));
      expect((await env.store.listResources('lab', { offset: 0, limit: 10 })).totalItems).toBeGreaterThan(0);
    } finally {
      await env.cleanup();
    }
  });

  it('leaves the remote untouched and says why when the push is refused', async () => {
    const server = servers[0];
    const { dir, url } = await newRepo(server, {
      'fabrics/lab/raw/pre-demo.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml'),
    });
    await fs.writeFile(path.join(dir, 'hooks', 'pre-receive'), '#!/bin/sh\necho "policy: the main branch is protected" >&2\nexit 1\n', { mode: 0o755 });
    const before = await remoteHead(dir);
    const env = await createTestService({ knex: await databases.init('SQLITE_3'), fabrics: [testFabric(url)] });
    try {
      const run = await env.sync();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/pushing to branch main .* failed/);
      expect(run.error).toMatch(/protected|pre-receive hook declined/);
      expect(run.stages.find(s => s.name === 'commit')?.status).toBe('failed');
      expect(await remoteHead(dir)).toBe(before);
      expect(await commitCount(dir)).toBe(1);
      const fabric = await env.service.getFabric('lab');
      expect(fabric.status).toBe('error');
      expect(fabric.lastSyncedCommit).toBeUndefined();
      expect((await env.store.listResources('lab', { offset: 0, limit: 10 })).totalItems).toBe(0);
    } finally {
      await env.cleanup();
    }
  });

  it('reports a bad credential clearly, without the secret anywhere', async () => {
    const server = servers[1];
    const { dir, url } = await newRepo(server, {
      'fabrics/lab/raw/pre-demo.yaml': await sample('01-demo-gitops-env1-pre-demo.yaml'),
    });
    const wrong = 'wrong-password-canary-93b1c7';
    const port = new URL(url).port;
    const knex = await databases.init('SQLITE_3');
    const env = await createTestService({
      knex,
      fabrics: [testFabric(url)],
      integrations: { gitea: [{ host: `127.0.0.1:${port}`, username: USER, password: wrong }] },
    });
    try {
      const run = await env.sync();
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/fetching branch main of http:\/\/127\.0\.0\.1:\d+\/fabric-\d+\.git failed: .*Authentication failed/);
      expect(run.stages[0]).toMatchObject({ name: 'fetch', status: 'failed' });
      expect(await commitCount(dir)).toBe(1);
      const everything = JSON.stringify({
        run: await env.store.getRun(run.id),
        fabric: await env.service.getFabric('lab'),
        logs: env.logs,
        db: await knex('hedgehog_runs').select(),
        dbFabrics: await knex('hedgehog_fabrics').select(),
      });
      expect(everything).not.toContain(wrong);
      expect(everything).not.toContain(PASSWORD);
      const gitConfig = await fs.readFile(path.join(env.workingDirectory, 'repos', (await fs.readdir(path.join(env.workingDirectory, 'repos')))[0], 'config'), 'utf8');
      expect(gitConfig).not.toContain(wrong);
    } finally {
      await env.cleanup();
    }
  });
});
