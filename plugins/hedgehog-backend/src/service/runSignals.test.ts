import { createBackendModule, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { SignalPayload, signalsServiceRef } from '@backstage/plugin-signals-node';
import { FabricSignal, fabricSignalChannel } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { permissionsByUser } from '../__testUtils__/permissions';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const samples = path.resolve(__dirname, '../../../../test/fixtures/samples');
const OPERATOR = 'user:default/operator';
const allowAll = permissionsByUser(() => true);

/**
 * What Backstage's signals service publishes (its default factory, through the
 * events service, as the signals backend receives it), with the run as the API
 * shows it the moment each stage message arrives.
 */
function signalsProbe(server: () => any) {
  const received: Array<{ payload: SignalPayload<FabricSignal>; run?: Promise<any> }> = [];
  const module = createBackendModule({
    pluginId: 'hedgehog',
    moduleId: 'signals-probe',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'signals-probe',
            topics: ['signals'],
            async onEvent(params) {
              const payload = params.eventPayload as SignalPayload<FabricSignal>;
              const m = payload.message;
              const run =
                m.type === 'stage.started' || m.type === 'stage.ended'
                  ? request(server())
                      .get(`/api/hedgehog/runs/${m.runId}`)
                      .set('Authorization', mockCredentials.user.header(OPERATOR))
                      .then(r => r.body)
                  : undefined;
              received.push({ payload, run });
            },
          });
        },
      });
    },
  });
  return { module, received };
}

describe('run progress through signals', () => {
  let root: string;
  let repo: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-signals-test-'));
    repo = await createBareRepo(path.join(root, 'fabric.git'));
    await pushFiles(`file://${repo}`, {
      'fabrics/lab/raw/wiring.yaml': await fs.readFile(path.join(samples, '05-docs-sample-wiring-diagram.yaml')),
    });
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const config = (work: string) => ({
    hedgehog: {
      workingDirectory: path.join(root, work),
      fabrics: [{ name: 'lab', git: { url: `file://${repo}`, branch: 'main', path: 'fabrics/lab' } }],
    },
  });

  async function waitForRun(server: any, runId: string) {
    for (let i = 0; i < 300; i++) {
      const res = await request(server)
        .get(`/api/hedgehog/runs/${runId}`)
        .set('Authorization', mockCredentials.user.header(OPERATOR));
      if (['succeeded', 'partial', 'failed'].includes(res.body.status)) return res.body;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  it('publishes a sync queued, started, each stage written, the fabric state and the end, in order', async () => {
    const holder: { server?: any } = {};
    const probe = signalsProbe(() => holder.server);
    const backend = await startPluginBackend(allowAll.factory, config('work-1'), [probe.module]);
    const server = (holder.server = backend.server);
    try {
      const sync = await request(server)
        .post('/api/hedgehog/fabrics/lab/sync')
        .set('Authorization', mockCredentials.user.header(OPERATOR))
        .send({});
      expect(sync.status).toBe(202);
      const runId = sync.body.runId;
      const run = await waitForRun(server, runId);
      expect(run.status).toBe('succeeded');
      // run.ended is the last message: wait for it
      for (let i = 0; i < 100 && !probe.received.some(r => r.payload.message.type === 'run.ended'); i++) {
        await new Promise(r => setTimeout(r, 20));
      }

      const payloads = probe.received.map(r => r.payload);
      expect(payloads.every(p => p.channel === fabricSignalChannel('lab') && p.recipients.type === 'broadcast')).toBe(true);
      const messages = payloads.map(p => p.message);
      // ids, names, statuses and counts: never resource content
      expect(messages.flatMap(m => Object.keys(m)).filter(k => !['type', 'fabric', 'runId', 'runType', 'stage', 'status', 'counts', 'errors', 'drift'].includes(k))).toEqual([]);

      const stages = ['fetch', 'plan', 'ingest', 'validate', 'commit', 'import'];
      expect(run.stages.map((s: any) => s.name)).toEqual(stages);
      expect(messages).toEqual([
        { type: 'run.queued', fabric: 'lab', runId, runType: 'sync' },
        { type: 'run.started', fabric: 'lab', runId, runType: 'sync' },
        ...run.stages.flatMap((s: any) => [
          { type: 'stage.started', fabric: 'lab', runId, stage: s.name },
          {
            type: 'stage.ended',
            fabric: 'lab',
            runId,
            stage: s.name,
            status: s.status,
            counts: s.counts,
            errors: s.errorTotal ?? s.errors.length,
          },
        ]),
        {
          type: 'fabric.state',
          fabric: 'lab',
          status: expect.stringMatching(/^(in_sync|partial)$/),
          drift: expect.objectContaining({ unknown: 19 }),
        },
        { type: 'run.ended', fabric: 'lab', runId, runType: 'sync', status: 'succeeded' },
      ]);
      expect(messages.find(m => m.type === 'stage.ended' && m.stage === 'ingest')).toMatchObject({
        counts: expect.objectContaining({ resources: 19, unmanagedFiles: 1 }),
      });

      // each stage message is sent once its record is written: a page that reads the run then finds it
      for (const r of probe.received.filter(x => x.run)) {
        const m = r.payload.message as Extract<FabricSignal, { stage: string }>;
        const record = (await r.run).stages.find((s: any) => s.name === m.stage);
        expect(record).toMatchObject(m.type === 'stage.ended' ? { name: m.stage, status: m.status } : { name: m.stage });
      }
      const fabric = await request(server)
        .get('/api/hedgehog/fabrics/lab')
        .set('Authorization', mockCredentials.user.header(OPERATOR));
      expect(messages.find(m => m.type === 'fabric.state')).toEqual({
        type: 'fabric.state',
        fabric: 'lab',
        status: fabric.body.status,
        drift: fabric.body.drift,
      });
    } finally {
      await backend.stop();
    }
  });

  it('runs as before when publishing fails (no signals backend, an event bus down)', async () => {
    let calls = 0;
    const failing = createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => ({
        async publish() {
          calls += 1;
          throw new Error('the event bus is down');
        },
      }),
    });
    const backend = await startPluginBackend(allowAll.factory, config('work-2'), [failing]);
    try {
      const sync = await request(backend.server)
        .post('/api/hedgehog/fabrics/lab/sync')
        .set('Authorization', mockCredentials.user.header(OPERATOR))
        .send({});
      expect(sync.status).toBe(202);
      const run = await waitForRun(backend.server, sync.body.runId);
      expect(run.status).toBe('succeeded');
      expect(run.stages.length).toBeGreaterThan(0);
      expect(run.stages.every((s: any) => s.status !== 'failed')).toBe(true);
      // every message was tried (queued, started, each stage's start and end — a skipped stage's end only —,
      // the state, the end), each failure dropped
      const expected = 4 + run.stages.reduce((n: number, s: any) => n + (s.status === 'skipped' ? 1 : 2), 0);
      for (let i = 0; i < 100 && calls < expected; i++) await new Promise(r => setTimeout(r, 20));
      expect(calls).toBe(expected);
      const again = await request(backend.server)
        .get('/api/hedgehog/fabrics/lab')
        .set('Authorization', mockCredentials.user.header(OPERATOR));
      expect(again.body.lastRunId).toBe(sync.body.runId);
    } finally {
      await backend.stop();
    }
  });
});
