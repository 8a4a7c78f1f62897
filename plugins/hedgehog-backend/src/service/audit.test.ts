import {
  AuditorServiceCreateEventOptions,
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import crypto from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { permissionsByUser } from '../__testUtils__/permissions';
import { startPluginBackend } from '../__testUtils__/pluginBackend';
import { createRouter } from './router';

jest.setTimeout(120_000);

const OPERATOR = 'user:default/operator';
const READER = 'user:default/reader';
const SECRET = 'webhook-secret-of-the-test';
const permissions = permissionsByUser(
  (user, permission) =>
    user === OPERATOR ||
    (user === READER && permission === 'hedgehog.fabric.read'),
);

/**
 * The audit events of the HTTP API (README "Audit events") with Backstage's mock
 * auditor: what each route's event was created with (the request, so the auditor
 * records the caller), and how it ended.
 */
describe('audit events of the HTTP API', () => {
  let root: string;
  let url: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const auditor = mockServices.auditor.mock();

  /** The events created since the last call, once each ended (the answer may reach the client first): their options and how they ended. */
  async function events() {
    const calls = auditor.createEvent.mock.calls.map(c => c[0]);
    for (let i = 0; i < 100; i++) {
      const ended = await Promise.all(
        auditor.createEvent.mock.results.map(async r => {
          const e = (await r.value) as { success: jest.Mock; fail: jest.Mock };
          return e.success.mock.calls.length + e.fail.mock.calls.length > 0;
        }),
      );
      if (ended.every(Boolean)) break;
      await new Promise(r => setTimeout(r, 10));
    }
    const results = await Promise.all(
      auditor.createEvent.mock.results.map(
        r => r.value as Promise<AuditorServiceEvent>,
      ),
    );
    auditor.createEvent.mockClear();
    return calls.map((options: AuditorServiceCreateEventOptions, i) => ({
      options,
      success: results[i].success as jest.Mock,
      fail: results[i].fail as jest.Mock,
    }));
  }

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-audit-test-'));
    url = `file://${await createBareRepo(path.join(root, 'fabric.git'))}`;
    await pushFiles(url, {
      'fabrics/lab/raw/groups.yaml':
        'apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: audit-a\nspec: {}\n',
    });
    backend = await startPluginBackend(
      permissions.factory,
      {
        hedgehog: {
          workingDirectory: path.join(root, 'work'),
          fabrics: [
            { name: 'lab', git: { url, branch: 'main', path: 'fabrics/lab' } },
          ],
          webhooks: { github: { secret: SECRET } },
        },
      },
      [auditor.factory],
    );
    auditor.createEvent.mockClear();
  });

  afterAll(async () => {
    await backend?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('a sync request: medium, with the request of the caller and the fabric; succeeded with its run id', async () => {
    const res = await request(backend.server)
      .post('/api/hedgehog/fabrics/lab/sync')
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .send({ apply: false });
    expect(res.status).toBe(202);
    const [event, ...others] = await events();
    expect(others).toEqual([]);
    expect(event.options).toMatchObject({
      eventId: 'fabric-sync',
      severityLevel: 'medium',
      meta: { fabric: 'lab' },
    });
    // the auditor derives the actor from the request: the caller's token
    expect(event.options.request?.headers.authorization).toBe(
      mockCredentials.user.header(OPERATOR),
    );
    expect(event.success).toHaveBeenCalledWith({
      meta: { apply: false, runId: res.body.runId },
    });
    expect(event.fail).not.toHaveBeenCalled();
  });

  it('an apply the caller may not do: failed with the 403', async () => {
    const res = await request(backend.server)
      .post('/api/hedgehog/fabrics/lab/apply')
      .set('Authorization', mockCredentials.user.header(READER))
      .send({});
    expect(res.status).toBe(403);
    const [event] = await events();
    expect(event.options).toMatchObject({
      eventId: 'fabric-apply',
      severityLevel: 'medium',
      meta: { fabric: 'lab' },
    });
    expect(event.options.request?.headers.authorization).toBe(
      mockCredentials.user.header(READER),
    );
    expect(event.success).not.toHaveBeenCalled();
    expect(event.fail).toHaveBeenCalledTimes(1);
    const { error } = event.fail.mock.calls[0][0];
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe('Permission hedgehog.fabric.apply is required');
  });

  it('a bad request body is a refusal too: failed with the 400', async () => {
    const res = await request(backend.server)
      .post('/api/hedgehog/fabrics/lab/sync')
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .send({ confirmPrune: 3 });
    expect(res.status).toBe(400);
    const [event] = await events();
    expect(event.options.eventId).toBe('fabric-sync');
    expect(event.fail.mock.calls[0][0].error.message).toMatch(
      /confirmPrune needs "apply": true/,
    );
  });

  it('a body that is not JSON is refused by the route, audited', async () => {
    const res = await request(backend.server)
      .post('/api/hedgehog/fabrics/lab/drift')
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .set('Content-Type', 'application/json')
      .send('{"not json');
    expect(res.status).toBe(400);
    const [event] = await events();
    expect(event.options).toMatchObject({
      eventId: 'fabric-drift',
      meta: { fabric: 'lab' },
    });
    expect(event.fail).toHaveBeenCalledTimes(1);
    expect(event.fail.mock.calls[0][0].error.type).toBe('entity.parse.failed');
  });

  it('a read is audited low; a denied read fails', async () => {
    const read = await request(backend.server)
      .get('/api/hedgehog/fabrics/lab')
      .set('Authorization', mockCredentials.user.header(READER));
    expect(read.status).toBe(200);
    const denied = await request(backend.server)
      .get('/api/hedgehog/fabrics/lab')
      .set('Authorization', mockCredentials.user.header('user:default/nobody'));
    expect(denied.status).toBe(403);
    const [ok, refused] = await events();
    expect(ok.options).toMatchObject({
      eventId: 'fabric-read',
      severityLevel: 'low',
      meta: { queryType: 'fabric', fabric: 'lab' },
    });
    expect(ok.success).toHaveBeenCalledWith({ meta: {} });
    expect(refused.options.eventId).toBe('fabric-read');
    expect(refused.fail.mock.calls[0][0].error).toBeInstanceOf(NotAllowedError);
  });

  const delivery = (raw: string, signature: string) =>
    request(backend.server)
      .post('/api/hedgehog/webhooks/github')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'ping')
      .set('X-GitHub-Delivery', 'delivery-1')
      .set('X-Hub-Signature-256', signature)
      .send(raw);

  it('a webhook delivery with a bad signature: failed with the 401, the delivery named, no signature or body in meta', async () => {
    const raw = JSON.stringify({ zen: 'secret-looking body', hook_id: 1 });
    const res = await delivery(raw, `sha256=${'0'.repeat(64)}`);
    expect(res.status).toBe(401);
    const [event] = await events();
    expect(event.options).toMatchObject({
      eventId: 'webhook-delivery',
      severityLevel: 'medium',
    });
    const { error, meta } = event.fail.mock.calls[0][0];
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(meta).toEqual({ event: 'ping', delivery: 'delivery-1' });
    expect(JSON.stringify(event.fail.mock.calls[0][0])).not.toMatch(
      /secret-looking|0000000000/,
    );
  });

  it('a webhook delivery that is signed: succeeded; its replay: failed with the 409', async () => {
    const raw = JSON.stringify({ zen: 'hi', hook_id: 2 });
    const signature = `sha256=${crypto
      .createHmac('sha256', SECRET)
      .update(raw)
      .digest('hex')}`;
    expect((await delivery(raw, signature)).status).toBe(200);
    expect((await delivery(raw, signature)).status).toBe(409);
    const [accepted, replay] = await events();
    expect(accepted.success).toHaveBeenCalledWith({
      meta: { event: 'ping', delivery: 'delivery-1' },
    });
    expect(replay.fail.mock.calls[0][0].error.message).toMatch(
      /replays are refused/,
    );
  });
});

describe('the routes of the router', () => {
  it('every route starts with its audit event', () => {
    const router = createRouter({
      service: {} as any,
      store: {} as any,
      httpAuth: {} as any,
      permissions: {} as any,
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    });
    const routes = (router as any).stack
      .filter((l: any) => l.route)
      .map((l: any) => l.route);
    expect(routes.length).toBeGreaterThan(20);
    const unaudited = routes
      .filter((r: any) => r.stack[0].name !== 'auditEvent')
      .map((r: any) => r.path);
    expect(unaudited).toEqual([]);
  });
});

/**
 * The same events through Backstage's own auditor (`mockServices.auditor.factory()`,
 * the default implementation), which writes them to the plugin's logger: the actor
 * is the caller's user entity ref, resolved from the request.
 */
describe('audit events through the default auditor', () => {
  let root: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const logged: Array<{ message: string; fields: any }> = [];
  const logger = mockServices.logger.mock({
    info: (message: string, fields?: unknown) =>
      void logged.push({ message, fields }),
  });
  logger.child.mockImplementation(() => logger);

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-audit-test-'));
    const url = `file://${await createBareRepo(path.join(root, 'fabric.git'))}`;
    await pushFiles(url, { 'fabrics/lab/raw/empty.yaml': '' });
    backend = await startPluginBackend(
      permissions.factory,
      {
        hedgehog: {
          workingDirectory: path.join(root, 'work'),
          fabrics: [
            { name: 'lab', git: { url, branch: 'main', path: 'fabrics/lab' } },
          ],
        },
      },
      [mockServices.auditor.factory(), logger.factory],
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('a sync request is logged initiated and succeeded, with the caller as the actor', async () => {
    const res = await request(backend.server)
      .post('/api/hedgehog/fabrics/lab/sync')
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .send({});
    expect(res.status).toBe(202);
    const sync = () =>
      logged
        .filter(l => l.message === 'hedgehog.fabric-sync')
        .map(l => l.fields);
    for (let i = 0; i < 100 && sync().length < 2; i++)
      await new Promise(r => setTimeout(r, 10));
    expect(sync()).toEqual([
      expect.objectContaining({
        eventId: 'fabric-sync',
        severityLevel: 'medium',
        status: 'initiated',
        actor: expect.objectContaining({ actorId: OPERATOR }),
        request: { method: 'POST', url: '/api/hedgehog/fabrics/lab/sync' },
        meta: { fabric: 'lab' },
      }),
      expect.objectContaining({
        status: 'succeeded',
        actor: expect.objectContaining({ actorId: OPERATOR }),
        meta: { fabric: 'lab', runId: res.body.runId },
      }),
    ]);
  });
});
