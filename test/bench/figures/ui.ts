/*
 * The frontend in a real browser (group `ui`): headless Chromium (/usr/bin/chromium,
 * or $CHROMIUM) driven by playwright-core, on the real app (lib/uiApp.ts: the demo
 * backend serving the production build of packages/app) with W5k as its fabric,
 * synced by the backend's own schedule. After a warm-up pass, per run: the fabric's
 * page on its resources tab until its status, resource count and first resources
 * page are shown; the name filter's round trip; opening a drifted resource until
 * its side-by-side diff is drawn; the topology tab until its picture is drawn.
 * Times are the page's own clock (performance.now()); beside each, the API time it
 * waited for, from the page's resource timing: the first hedgehog API request's
 * start to the last one's end among those that ended before the view was shown.
 */
import { existsSync, mkdirSync } from 'fs';
import knexFactory from 'knex';
import path from 'path';
import pw from 'playwright-core';
import type { Page } from 'playwright-core';
import { Figure, figure } from '../lib/report';
import { ensureAppBuilt, startUiApp, UiApp } from '../lib/uiApp';
import { copyDir, log, median } from '../lib/util';
import { BenchContext } from './sync';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** The name filter's debounce in ResourcesTable (debounceMs): part of every filter round trip. */
const FILTER_DEBOUNCE_MS = 100;

interface Timed {
  ui: number;
  api: number;
  requests: Array<{ name: string; ms: number }>;
}

const pageNow = (page: Page) => page.evaluate(() => performance.now());

/** The view was shown now: the time since `since` (page clock) and the API span it waited for. */
async function shown(page: Page, since: number): Promise<Timed> {
  return page.evaluate(t0 => {
    const at = performance.now();
    const api = (
      performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    ).filter(
      e =>
        e.name.includes('/api/hedgehog/') &&
        e.startTime >= t0 &&
        e.responseEnd <= at,
    );
    const start = Math.min(...api.map(e => e.startTime));
    const end = Math.max(...api.map(e => e.responseEnd));
    return {
      ui: at - t0,
      api: api.length ? end - start : 0,
      requests: api.map(e => ({
        name: new URL(e.name).pathname + new URL(e.name).search,
        ms: e.duration,
      })),
    };
  }, since);
}

async function signIn(page: Page) {
  const enter = page.getByRole('button', { name: /^enter$/i });
  const signedIn = page.getByText('Sync status');
  await Promise.race([
    enter.waitFor().catch(() => {}),
    signedIn.waitFor().catch(() => {}),
  ]);
  if (await enter.isVisible().catch(() => false)) await enter.click();
  await signedIn.waitFor();
}

/** Gives one resource a live object that differs from Git in one field (as a drift check records it). */
async function driftOne(
  app: UiApp,
  fabric: string,
  kind: string,
  name: string,
) {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: app.hedgehogDb },
    useNullAsDefault: true,
  });
  try {
    const row = await db('hedgehog_resources')
      .where({ fabric, kind, name })
      .first();
    const desired = JSON.parse(row.desired);
    const was = desired.spec?.description ?? '';
    const live = {
      ...desired,
      metadata: { ...desired.metadata, resourceVersion: '4711', uid: 'bench' },
      spec: { ...desired.spec, description: `${was} (edited in the cluster)` },
    };
    await db('hedgehog_resources')
      .where({ fabric, kind, name })
      .update({
        live: JSON.stringify(live),
        live_resource_version: '4711',
        drift_status: 'drifted',
        drift_score: 0.1,
        differences: JSON.stringify([
          {
            path: 'spec.description',
            desired: was,
            actual: live.spec.description,
          },
        ]),
      });
  } finally {
    await db.destroy();
  }
}

export async function uiFigures(
  ctx: BenchContext,
  notes: string[],
): Promise<Figure[]> {
  if (!existsSync(CHROMIUM)) {
    notes.push(`no Chromium at ${CHROMIUM}: the ui figures are skipped`);
    return [];
  }
  ensureAppBuilt();
  const fabric = ctx.fabric.name;
  const remote = path.join(ctx.root, 'ui-remote.git');
  await copyDir(ctx.template, remote);
  const app = await startUiApp(ctx.root, fabric, remote);
  const browser = await pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const first = (await app.api(`/fabrics/${fabric}/resources?limit=1`))
      .items[0].name as string;
    const total = (await app.api(`/fabrics/${fabric}`)) as {
      counts: Record<string, number>;
    };
    const count = Object.values(total.counts).reduce((a, b) => a + b, 0);
    const servers = (
      await app.api(`/fabrics/${fabric}/resources?kind=Server&limit=500`)
    ).items;
    const server = servers[Math.floor(servers.length / 2)].name as string;
    await driftOne(app, fabric, 'Server', server);

    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
    });
    await context.addInitScript(() =>
      performance.setResourceTimingBufferSize(5000),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const base = `${app.url}/hedgehog/${fabric}`;
    const cell = (name: string) =>
      page.getByRole('cell', { name, exact: true }).first();
    const filter = page.getByRole('textbox', { name: 'Filter by name' });
    const onlyRows = (text: string) =>
      page.waitForFunction(t => {
        // the resources table: the one table whose rows all hold the text (the status header's do not)
        return [...document.querySelectorAll('table')].some(table => {
          const rows = [...table.querySelectorAll('tbody tr')];
          return (
            rows.length > 0 &&
            rows.every(r => (r.textContent ?? '').includes(t))
          );
        });
      }, text);

    const runs = {
      tab: [] as Timed[],
      filter: [] as Timed[],
      open: [] as Timed[],
      topology: [] as Timed[],
    };
    // pass 0 warms the backend, the browser's cache and the sign-in; not counted
    for (let rep = 0; rep <= ctx.reps; rep++) {
      const keep = <T>(list: T[], v: T) => rep > 0 && list.push(v);
      await page.goto('about:blank');
      await page.goto(`${base}?tab=resources`, { waitUntil: 'commit' });
      if (rep === 0) await signIn(page);
      await Promise.all([
        page.getByText('Sync status').waitFor(),
        page.getByRole('tab', { name: `Resources (${count})` }).waitFor(),
        cell(first).waitFor(),
      ]);
      keep(runs.tab, await shown(page, 0));

      let t0 = await pageNow(page);
      await filter.fill(server);
      await onlyRows(server).catch(async e => {
        const shot = path.join(ctx.root, 'ui-filter.png');
        await page.screenshot({ path: shot, fullPage: true });
        const rows = await page.evaluate(() =>
          [...document.querySelectorAll('tbody tr')]
            .map(r => r.textContent)
            .slice(0, 5),
        );
        throw new Error(
          `${e.message}; rows: ${JSON.stringify(rows)}; screenshot ${shot}`,
        );
      });
      keep(runs.filter, await shown(page, t0));

      t0 = await pageNow(page);
      await cell(server).click();
      await page.getByTestId('yaml-diff').waitFor();
      keep(runs.open, await shown(page, t0));

      await page.goto('about:blank');
      await page.goto(`${base}?tab=topology`, { waitUntil: 'commit' });
      await page.getByRole('img', { name: `Topology of ${fabric}` }).waitFor();
      keep(runs.topology, await shown(page, 0));
      if (rep === ctx.reps) {
        // the picture at Fit, to look at (results/ is not committed)
        await page.getByRole('button', { name: 'Fit', exact: true }).click();
        await page.waitForTimeout(300);
        const shot = path.join(
          __dirname,
          '..',
          'results',
          'ui-topology-fit.png',
        );
        mkdirSync(path.dirname(shot), { recursive: true });
        await page.screenshot({ path: shot, fullPage: true });
        notes.push(`the topology of ${fabric} at Fit: ${shot}`);
      }
      log(`ui: pass ${rep}${rep === 0 ? ' (warm-up)' : ''} done`);
    }
    await context.close();

    const fig = (
      id: string,
      title: string,
      r: Timed[],
      target: number,
      extra: Record<string, unknown> = {},
    ) =>
      figure({
        id,
        title,
        unit: 'ms',
        productRuns: r.map(x => x.ui),
        floorRuns: r.map(x => x.api),
        floorWhat: 'the API requests it waited for',
        target: `< ${target} ms`,
        met: median(r.map(x => x.ui)) < target,
        details: { requests: r.map(x => x.requests), ...extra },
      });
    return [
      fig(
        'ui.tab',
        `fabric page of W5k in Chromium, resources tab: status, count and first page shown (from navigation)`,
        runs.tab,
        1500,
      ),
      fig(
        'ui.filter',
        `… name filter round trip (typed → rows shown; includes the ${FILTER_DEBOUNCE_MS} ms debounce)`,
        runs.filter,
        300,
        {
          afterDebounce: runs.filter.map(x => x.ui - FILTER_DEBOUNCE_MS),
        },
      ),
      fig(
        'ui.open',
        '… opening a drifted resource until its side-by-side diff is drawn',
        runs.open,
        500,
      ),
      fig(
        'ui.topology',
        '… topology tab of W5k drawn (from navigation)',
        runs.topology,
        2000,
      ),
    ];
  } finally {
    await browser.close().catch(() => {});
    await app.stop();
  }
}
