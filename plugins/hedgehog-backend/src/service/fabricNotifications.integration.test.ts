import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { permissionsByUser } from '../__testUtils__/permissions';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

jest.setTimeout(120_000);

interface Listed {
  totalCount: number;
  notifications: Array<{ user: string; origin: string; updated?: string; payload: Record<string, unknown> }>;
}

/*
 * The plugin with Backstage's real notifications backend: the notifications a fabric's
 * owner gets are read back through the notifications backend's own API, as the
 * notifications page of the app reads them.
 */

const OWNER = 'user:default/alice';
const OPERATOR = 'user:default/operator';

const VPC = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
`;
/** A managed file that is not YAML: its kind's desired state is incomplete, the sync ends partial. */
const BROKEN = 'apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: [unclosed\n';

describe('notifications to fabric owners, through the notifications backend', () => {
  let root: string;
  let repo: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-notify-test-'));
    repo = await createBareRepo(path.join(root, 'fabrics.git'));
    const files: Record<string, string> = {};
    for (const name of ['lab', 'quiet', 'edge', 'orphan']) {
      files[`${name}/raw/vpc.yaml`] = VPC;
      files[`${name}/managed/vpcs/broken.yaml`] = BROKEN;
    }
    await pushFiles(`file://${repo}`, files);
    const git = (dir: string) => ({ url: `file://${repo}`, branch: 'main', path: dir });
    const backend = await startPluginBackend(
      permissionsByUser(user => user === OPERATOR).factory,
      {
        app: { baseUrl: 'http://localhost:3000' },
        hedgehog: {
          workingDirectory: path.join(root, 'work'),
          fabrics: [
            { name: 'lab', title: 'Lab', owner: OWNER, git: git('lab') },
            { name: 'quiet', title: 'Quiet', owner: OWNER, notifications: 'off', git: git('quiet') },
            { name: 'edge', title: 'Edge', owner: OWNER, notifications: 'all', git: git('edge') },
            { name: 'orphan', title: 'Orphan', git: git('orphan') },
            { name: 'gone', title: 'Gone', owner: OWNER, git: { url: `file://${path.join(root, 'missing.git')}`, branch: 'main' } },
          ],
        },
      },
      [notificationsPlugin],
    );
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await fs.rm(root, { recursive: true, force: true });
  });

  async function sync(fabric: string) {
    const res = await request(server)
      .post(`/api/hedgehog/fabrics/${fabric}/sync`)
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .send({});
    expect(res.status).toBe(202);
    for (let i = 0; i < 300; i++) {
      const run = await request(server)
        .get(`/api/hedgehog/runs/${res.body.runId}`)
        .set('Authorization', mockCredentials.user.header(OPERATOR));
      if (['succeeded', 'partial', 'failed'].includes(run.body.status)) return run.body;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`the sync of ${fabric} did not finish`);
  }

  /**
   * The owner's notifications of a fabric's topic once `settled` holds for them (a run
   * sends after its final record: the run may be seen finished a moment before),
   * as the notifications API lists them.
   */
  async function notificationsOf(fabric: string, settled: (list: Listed) => boolean, user = OWNER) {
    let list: Listed | undefined;
    for (let i = 0; i < 50; i++) {
      list = await listed(fabric, user);
      if (settled(list)) return list;
      await new Promise(r => setTimeout(r, 100));
    }
    return list!;
  }

  /** That nothing comes: the list stays empty for a second after the run. */
  async function nothingFor(fabric: string, user = OWNER) {
    await new Promise(r => setTimeout(r, 1000));
    return (await listed(fabric, user)).totalCount;
  }

  async function listed(fabric: string, user: string): Promise<Listed> {
    const res = await request(server)
      .get('/api/notifications/notifications')
      .query({ topic: `hedgehog:${fabric}` })
      .set('Authorization', mockCredentials.user.header(user));
    expect(res.status).toBe(200);
    return res.body;
  }

  it("tells the owner of a sync that ended partial, with the fabric's page, its topic and scope", async () => {
    expect((await sync('lab')).status).toBe('partial');
    const { totalCount, notifications } = await notificationsOf('lab', l => l.totalCount > 0);
    expect(totalCount).toBe(1);
    expect(notifications[0]).toMatchObject({
      user: OWNER,
      origin: 'plugin:hedgehog',
      payload: {
        title: 'Fabric Lab: sync ended partial',
        link: '/catalog/default/resource/lab/hedgehog',
        severity: 'high',
        topic: 'hedgehog:lab',
        scope: 'hedgehog:lab:sync',
      },
    });
    expect(notifications[0].payload.description).toMatch(/error\(s\) found/);
    // nobody else is told
    expect((await listed('lab', OPERATOR)).totalCount).toBe(0);
  });

  it('tells a partial sync once: the next one, still partial, adds nothing and updates nothing', async () => {
    const [before] = (await listed('lab', OWNER)).notifications;
    await pushFiles(`file://${repo}`, { 'lab/raw/more.yaml': VPC.replace('vpc-1', 'vpc-2').replace(/10\.0\.1\./g, '10.0.2.').replace('1001', '1002') });
    expect((await sync('lab')).status).toBe('partial');
    expect(await nothingFor('lab')).toBe(1);
    const after = await listed('lab', OWNER);
    expect(after.notifications[0]).toEqual(before);
  });

  it('updates the one notification of its scope when the sync then fails', async () => {
    const [partial] = (await listed('lab', OWNER)).notifications;
    await fs.rename(repo, `${repo}.away`);
    try {
      expect((await sync('lab')).status).toBe('failed');
      expect((await sync('lab')).status).toBe('failed');
    } finally {
      await fs.rename(`${repo}.away`, repo);
    }
    const { totalCount, notifications } = await notificationsOf('lab', l => l.notifications[0]?.payload.title !== partial.payload.title);
    expect(totalCount).toBe(1);
    expect(notifications[0]).toMatchObject({ payload: { title: 'Fabric Lab: sync failed', scope: 'hedgehog:lab:sync', severity: 'high' } });
    expect(notifications[0].updated).toBeTruthy();
    expect(notifications[0].payload.description).not.toEqual(partial.payload.description);
  });

  it('tells a failed sync of a repository that cannot be read', async () => {
    expect((await sync('gone')).status).toBe('failed');
    const { notifications } = await notificationsOf('gone', l => l.totalCount > 0);
    expect(notifications.map(n => n.payload.title)).toEqual(['Fabric Gone: sync failed']);
  });

  it('tells nothing of a fabric whose notifications are off, or that has no owner', async () => {
    expect((await sync('quiet')).status).toBe('partial');
    expect((await sync('orphan')).status).toBe('partial');
    expect(await nothingFor('quiet')).toBe(0);
    expect(await nothingFor('orphan')).toBe(0);
    expect(await nothingFor('orphan', OPERATOR)).toBe(0);
  });

  it('at level all, tells of the sync that succeeds again in the place of the failure', async () => {
    expect((await sync('edge')).status).toBe('partial');
    expect((await notificationsOf('edge', l => l.totalCount > 0)).notifications.map(n => n.payload.title)).toEqual([
      'Fabric Edge: sync ended partial',
    ]);
    await pushFiles(`file://${repo}`, { 'edge/managed/vpcs/broken.yaml': null });
    expect((await sync('edge')).status).toBe('succeeded');
    const { totalCount, notifications } = await notificationsOf('edge', l => l.notifications[0]?.payload.severity === 'normal');
    expect(totalCount).toBe(1);
    expect(notifications[0].payload).toMatchObject({ title: 'Fabric Edge synced again', severity: 'normal', scope: 'hedgehog:edge:sync' });
  });
});

describe('notifications without the notifications backend', () => {
  it('syncs as ever: the send that fails is logged, the run keeps its own outcome', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-notify-none-'));
    const repo = await createBareRepo(path.join(root, 'fabric.git'));
    await pushFiles(`file://${repo}`, { 'raw/vpc.yaml': VPC, 'managed/vpcs/broken.yaml': BROKEN });
    const warnings: string[] = [];
    const logger = mockServices.logger.mock({ warn: (message: string) => void warnings.push(message) });
    const backend = await startPluginBackend(
      permissionsByUser(user => user === OPERATOR).factory,
      { hedgehog: { workingDirectory: path.join(root, 'work'), fabrics: [{ name: 'lab', owner: OWNER, git: { url: `file://${repo}`, branch: 'main' } }] } },
      [logger.factory],
    );
    try {
      const as = (r: request.Test) => r.set('Authorization', mockCredentials.user.header(OPERATOR));
      const { body } = await as(request(backend.server).post('/api/hedgehog/fabrics/lab/sync').send({}));
      let run: { status?: string; error?: string } = {};
      for (let i = 0; i < 300 && !['succeeded', 'partial', 'failed'].includes(run.status ?? ''); i++) {
        await new Promise(r => setTimeout(r, 100));
        run = (await as(request(backend.server).get(`/api/hedgehog/runs/${body.runId}`))).body;
      }
      expect(run.status).toBe('partial');
      expect(run.error).not.toMatch(/notif/i);
      for (let i = 0; i < 50 && !warnings.some(w => w.includes('notifying')); i++) await new Promise(r => setTimeout(r, 100));
      expect(warnings.filter(w => w.includes('notifying'))).toEqual([
        expect.stringMatching(/^hedgehog: notifying user:default\/alice of fabric lab failed \(Fabric lab: sync ended partial\): /),
      ]);
    } finally {
      await backend.stop();
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
