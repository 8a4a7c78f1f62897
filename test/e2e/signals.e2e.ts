/*
 * Live updates through Backstage's signals: a sync started outside the page (the
 * API, as the schedule or a webhook would) shows on the open Fabric tab, stage by
 * stage, from the messages of the signals websocket, and the page polls nothing
 * meanwhile: every read of the run follows a message.
 */
import type { WebSocket } from 'playwright-core';
import { signInIfAsked, watchRunCard } from './fabric.e2e.ts';
import { APP_URL, assert, backendPost, eventually, test } from './harness.ts';

const CHANNEL = 'hedgehog:fabric:demo';

interface Frame {
  at: number;
  message: { type: string; runId?: string; stage?: string; status?: string };
}

test('a sync started elsewhere shows live on the Fabric tab from signals, without polling', async t => {
  const { page } = t;
  const received: Frame[] = [];
  const subscribed: string[] = [];
  let socketUrl = '';
  const onSocket = (ws: WebSocket) => {
    if (!new URL(ws.url()).pathname.startsWith('/api/signals')) return;
    socketUrl = ws.url();
    ws.on('framesent', f => {
      const data = JSON.parse(String(f.payload));
      if (data.action === 'subscribe') subscribed.push(data.channel);
    });
    ws.on('framereceived', f => {
      const data = JSON.parse(String(f.payload));
      if (data.channel === CHANNEL)
        received.push({ at: Date.now(), message: data.message });
    });
  };
  // the hedgehog API's reads, with when they were sent
  const reads: Array<{ at: number; path: string }> = [];
  const onRequest = (req: { method(): string; url(): string }) => {
    const url = new URL(req.url());
    if (req.method() === 'GET' && url.pathname.startsWith('/api/hedgehog/'))
      reads.push({ at: Date.now(), path: url.pathname });
  };
  page.on('websocket', onSocket);
  page.on('request', onRequest);
  try {
    await page.goto(`${APP_URL}/catalog/default/resource/demo`);
    await signInIfAsked(page);
    await page.getByRole('link', { name: 'Fabric', exact: true }).click();
    await page.getByText('Sync status').waitFor();
    const sync = page.getByRole('button', { name: 'Sync', exact: true });
    await eventually('Sync enabled', async () => sync.isEnabled(), 60_000, 200);
    await eventually(
      `a subscription to ${CHANNEL}`,
      async () => subscribed.includes(CHANNEL),
      30_000,
      100,
    );
    t.log(`signals websocket ${socketUrl}, subscribed to ${CHANNEL}`);

    // a sync the page did not start (Git did not move: it fetches, plans and skips the rest)
    const started = Date.now();
    const readsBefore = reads.length;
    const accepted = await backendPost<{ runId: string }>(
      '/api/hedgehog/fabrics/demo/sync',
      {},
    );
    assert(accepted?.runId, 'the sync was accepted');
    const runId = accepted.runId;
    t.log(`sync ${runId} requested through the API`);

    const seen = await watchRunCard(page, 'the run to show on the page and end');
    t.log(`progress seen: ${seen.join(' → ')}`);
    const outcome = await page.getByTestId('run-outcome').textContent();
    assert(
      outcome?.includes('Sync succeeded'),
      `the run succeeded (${outcome})`,
    );
    await eventually(
      'the run.ended message',
      async () =>
        received.some(
          f => f.message.type === 'run.ended' && f.message.runId === runId,
        ),
      10_000,
      100,
    );

    // the messages of the run, in their order
    const ofRun = received.filter(f => f.message.runId === runId);
    const types = ofRun.map(f => f.message.type);
    t.log(
      `${ofRun.length} messages: ${ofRun
        .map(f =>
          f.message.stage
            ? `${f.message.type} ${f.message.stage}`
            : f.message.type,
        )
        .join(', ')}`,
    );
    assert(
      types[0] === 'run.queued',
      `the first message is run.queued (${types[0]})`,
    );
    assert(
      types[types.length - 1] === 'run.ended',
      'the last message is run.ended',
    );
    for (const stage of [
      'fetch',
      'plan',
      'ingest',
      'validate',
      'commit',
      'import',
    ]) {
      assert(
        ofRun.some(
          f => f.message.type === 'stage.ended' && f.message.stage === stage,
        ),
        `a stage.ended message of ${stage}`,
      );
    }
    assert(
      received.some(f => f.message.type === 'fabric.state' && f.at >= started),
      'a fabric.state message after the run',
    );

    // no polling: the page read the run when a message of it came, not on a timer —
    // each read after the first one within 500 ms of a message of the run (a poll
    // runs on its own clock, every second), and no more reads than messages
    const runReads = reads
      .slice(readsBefore)
      .filter(r => r.path === `/api/hedgehog/runs/${runId}`);
    const timeline = [
      ...runReads.map(r => ({ at: r.at, what: 'read' })),
      ...ofRun.map(f => ({ at: f.at, what: f.message.type })),
    ]
      .sort((a, b) => a.at - b.at)
      .map(e => `${e.at - started}ms ${e.what}`)
      .join(', ');
    t.log(`timeline: ${timeline}`);
    assert(runReads.length >= 1, 'the page read the run');
    assert(
      runReads.length <= ofRun.length,
      `${runReads.length} reads for ${ofRun.length} messages`,
    );
    for (let i = 1; i < runReads.length; i++) {
      const cause = ofRun.find(
        f => f.at <= runReads[i].at && f.at >= runReads[i].at - 500,
      );
      assert(
        cause,
        `read ${i + 1} of the run (${
          runReads[i].at - started
        } ms) followed a message`,
      );
    }
    // and once the run ended, the page reads nothing more
    const settled = reads.length;
    await page.waitForTimeout(3_000);
    assert(
      reads.length === settled,
      `no reads after the run ended (${reads
        .slice(settled)
        .map(r => r.path)
        .join(', ')})`,
    );
    t.log(
      `${runReads.length} reads of the run for ${ofRun.length} messages; ${
        reads.length - readsBefore
      } hedgehog reads in all`,
    );
    await t.screenshot('50-live-run-signals');
  } finally {
    page.off('websocket', onSocket);
    page.off('request', onRequest);
  }
}, 150_000);
