/*
 * End-to-end tests of the hedgehog frontend on the real app (backend :7007,
 * frontend :3000) with the demo fabric, in headless Chromium. Started by
 * scripts/e2e.sh, which provides a throwaway demo repository (E2E_DEMO_REPO).
 */
import type { Page } from 'playwright-core';
import { pushRawVpc, E2E_VPC } from './demoRepo.ts';
import {
  APP_URL,
  assert,
  backendGet,
  backendPost,
  eventually,
  test,
} from './harness.ts';

interface FabricJson {
  name: string;
  status: string;
  lastSyncedCommit?: string;
  counts: Record<string, number>;
}

const ENTITY_URL = `${APP_URL}/catalog/default/resource/demo`;
let baseline: FabricJson;
let pushed = false;

/**
 * Follows the run progress card until its run ended: the states it showed, in order
 * (its title, with the stage running when one is), as the page drew them.
 */
export async function watchRunCard(page: Page, what: string): Promise<string[]> {
  const seen: string[] = [];
  await eventually(
    what,
    async () => {
      const state = await page.evaluate(() => {
        const progress = document.querySelector('[data-testid="run-progress"]');
        const root = progress?.closest('.MuiCard-root');
        if (!root) return '';
        const title =
          root.querySelector('.MuiCardHeader-title')?.textContent ?? '';
        const running = [...root.querySelectorAll('tr')]
          .filter(tr => /Running/.test(tr.textContent ?? ''))
          .map(tr => tr.querySelector('td')?.textContent)
          .filter(Boolean);
        return running.length
          ? `${title} (${running.join(', ')} running)`
          : title;
      });
      if (state && seen[seen.length - 1] !== state) seen.push(state);
      return /succeeded|failed/.test(state);
    },
    90_000,
    50,
  );
  return seen;
}

export async function signInIfAsked(page: Page) {
  const enter = page.getByRole('button', { name: /^enter$/i });
  // the sidebar's Fabrics item (this plugin's page) shows once signed in (on a fabric's page
  // a breadcrumb links the Fabrics page too: the first of them will do)
  const signedIn = page
    .getByRole('link', { name: 'Fabrics', exact: true })
    .first();
  await Promise.race([
    enter.waitFor().catch(() => {}),
    signedIn.waitFor().catch(() => {}),
  ]);
  if (await enter.isVisible().catch(() => false)) {
    await enter.click();
    await signedIn.waitFor();
  }
}

async function openFabricTab(page: Page) {
  await page.goto(ENTITY_URL);
  await signInIfAsked(page);
  await page.getByRole('link', { name: 'Fabric', exact: true }).click();
  await page.getByText('Sync status').waitFor();
}

async function tileCount(page: Page, kind: string): Promise<number> {
  const label = await page
    .getByTestId('kind-counts')
    .getByRole('button', { name: new RegExp(`^${kind}: \\d+$`) })
    .getAttribute('aria-label');
  return Number(label?.split(': ')[1]);
}

test('the backend serves the demo fabric, synced once by its schedule, and the catalog has its entity', async t => {
  const start = Date.now();
  const synced = async () => {
    const f = await backendGet<FabricJson>('/api/hedgehog/fabrics/demo');
    return f?.lastSyncedCommit && f.status !== 'syncing' ? f : undefined;
  };
  // The schedule syncs 3 s after start; if a backend restart (dev mode restarts
  // on source changes) cut that short, ask for the sync instead of waiting for
  // the next slot five minutes later.
  let fabric = await eventually(
    'the first scheduled sync of fabric demo',
    synced,
    30_000,
  ).catch(() => undefined);
  if (!fabric) {
    const run = await backendPost<{ runId: string }>(
      '/api/hedgehog/fabrics/demo/sync',
      {},
    );
    t.log(
      `no scheduled sync yet; requested one (${
        run?.runId ?? 'request failed'
      })`,
    );
    fabric = await eventually('the first sync of fabric demo', synced, 150_000);
  }
  await eventually(
    'the catalog entity resource:default/demo',
    () => backendGet('/api/catalog/entities/by-name/resource/default/demo'),
    180_000,
  );
  baseline = fabric;
  t.log(
    `ready ${((Date.now() - start) / 1000).toFixed(1)} s after the backend`,
  );
  t.log(
    `demo fabric at ${fabric.lastSyncedCommit?.slice(0, 12)}: ${JSON.stringify(
      fabric.counts,
    )}`,
  );
  assert((fabric.counts.VPC ?? 0) > 0, 'the demo fabric has VPCs');
}, 200_000);

test('a guest signs in and the fabric entity shows the status and drift cards', async t => {
  const { page } = t;
  await page.goto(ENTITY_URL);
  await signInIfAsked(page);
  await page.getByText('Fabric status').waitFor();
  await page.getByText('Fabric drift').waitFor();
  await page.getByText('Synced', { exact: true }).first().waitFor();
  await t.screenshot('01-entity-overview');
});

test('the Fabric tab shows the status header with Sync enabled, Apply and Check drift off without a cluster', async t => {
  const { page } = t;
  await openFabricTab(page);
  await page.getByText('Last sync').waitFor();
  await page
    .getByText(baseline.lastSyncedCommit!.slice(0, 12))
    .first()
    .waitFor();
  await page.getByText(/No cluster configured/).waitFor();
  const sync = page.getByRole('button', { name: 'Sync', exact: true });
  await eventually('Sync enabled', async () => sync.isEnabled(), 30_000, 200);
  assert(
    await page.getByRole('button', { name: 'Apply', exact: true }).isDisabled(),
    'Apply is disabled',
  );
  assert(
    await page
      .getByRole('button', { name: 'Check drift', exact: true })
      .isDisabled(),
    'Check drift is disabled',
  );
  await page.getByTestId('kind-counts').waitFor();
  // discovered (app.packages: all) and listed in App.tsx, yet registered once
  const tabs = await page
    .getByRole('link', { name: 'Fabric', exact: true })
    .count();
  const navItems = await page
    .getByRole('link', { name: 'Fabrics', exact: true })
    .count();
  assert(
    tabs === 1 && navItems === 1,
    `one Fabric tab (${tabs}) and one Fabrics nav item (${navItems})`,
  );
  await t.screenshot('02-fabric-tab');
});

test('Sync shows the run stage by stage until it succeeds, then the new counts', async t => {
  const { page } = t;
  const repo = process.env.E2E_DEMO_REPO;
  assert(repo, 'E2E_DEMO_REPO is set (run through scripts/e2e.sh)');
  if (!pushed) {
    pushRawVpc(repo);
    pushed = true;
    t.log(`pushed raw/e2e-vpc.yaml (VPC ${E2E_VPC}) to ${repo}`);
  }
  // (on a retry the first attempt may have imported it already)
  const imported = !!(await backendGet(
    `/api/hedgehog/fabrics/demo/resources/VPC/${E2E_VPC}`,
  ));

  await openFabricTab(page);
  const vpcsBefore = baseline.counts.VPC;
  const sync = page.getByRole('button', { name: 'Sync', exact: true });
  await eventually('Sync enabled', async () => sync.isEnabled(), 60_000, 200);
  await sync.click();

  // Watch the progress card (without waiting): its title and the running stage.
  const card = page.locator('.MuiCard-root', {
    has: page.getByTestId('run-progress'),
  });
  const seen = await watchRunCard(page, 'the sync run to end');
  t.log(`progress seen: ${seen.join(' → ')}`);
  const outcome = await page.getByTestId('run-outcome').textContent();
  assert(outcome?.includes('Sync succeeded'), `the run succeeded (${outcome})`);
  if (!imported) {
    assert(
      /Commit [0-9a-f]{12} → [0-9a-f]{12}/.test(outcome!),
      `the run made a commit (${outcome})`,
    );
  }
  for (const stage of [
    'fetch',
    'plan',
    'ingest',
    'validate',
    'commit',
    'import',
  ]) {
    await card.locator('td', { hasText: new RegExp(`^${stage}$`) }).waitFor();
  }
  // the view refreshes when the run ends: one more VPC
  await eventually(
    'the VPC count to grow',
    async () => (await tileCount(page, 'VPC')) === vpcsBefore + 1,
    30_000,
    250,
  );
  const total = Object.values(baseline.counts).reduce((a, b) => a + b, 0) + 1;
  await page.getByRole('tab', { name: `Resources (${total})` }).waitFor();
  t.log(`VPC count ${vpcsBefore} → ${vpcsBefore + 1}, ${total} resources`);
  await t.screenshot('03-sync-complete');
}, 150_000);

test('the resources table filters per kind and by name on the server (no drift filter without a cluster), and a resource shows its YAML', async t => {
  const { page } = t;
  await openFabricTab(page);
  await page.getByRole('tab', { name: /^Resources \(\d+\)$/ }).click();
  await page.getByRole('button', { name: /^VPC \(\d+\)$/ }).click();
  await page.getByText('VPC resources').waitFor();
  await page.getByRole('link', { name: E2E_VPC }).waitFor();
  await page.getByLabel('Filter by name').fill('e2e');
  await page.getByText('1 match', { exact: true }).waitFor();
  await page.getByRole('link', { name: E2E_VPC }).waitFor();

  // without a cluster nothing has a drift status: the table offers no drift filter
  assert((await page.getByTestId('drift-filter').count()) === 0, 'no drift filter for a fabric without a cluster');
  assert(page.url().includes('q=e2e'), `the name filter is in the URL (${page.url()})`);
  await t.screenshot('04-resources');

  await page.getByRole('link', { name: E2E_VPC }).click();
  const details = page.getByTestId('resource-details');
  await details.waitFor();
  await page.getByText(`VPC ${E2E_VPC}`, { exact: true }).waitFor();
  const lines = [
    'kind: VPC',
    `name: ${E2E_VPC}`,
    'subnet: 10.0.90.0/24',
    'vlan: 1090',
  ];
  const yaml = await eventually(
    'the desired YAML',
    async () => {
      const text = (await page.getByTestId('yaml-desired').textContent()) ?? '';
      return lines.every(l => text.includes(l)) ? text : undefined;
    },
    15_000,
    250,
  ).catch(async e => {
    throw new Error(
      `${e.message}: ${await page.getByTestId('yaml-desired').textContent()}`,
    );
  });
  t.log(`desired YAML: ${yaml.split('\n').length} lines`);
  // document index 0 in the API: the file's first document
  await page.getByText('Ingested from raw/e2e-vpc.yaml (document 1)').waitFor();
  await page.getByText(/live object has not been read/).waitFor();
  await t.screenshot('05-resource-yaml');
});

test('the run history shows each run with its stages, counts and timings', async t => {
  const { page } = t;
  await openFabricTab(page);
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByText('Run history').waitFor();
  // the sync started from the UI that committed the new VPC
  const apiRun = page
    .locator('tr', { hasText: 'user:development/guest' })
    .filter({ hasText: '→' })
    .first();
  await apiRun.waitFor();
  assert(
    (await apiRun.textContent())?.includes('Succeeded'),
    'the UI-triggered sync succeeded',
  );
  const rows = await page.locator('tr', { hasText: /Sync/ }).count();
  assert(
    rows >= 2,
    `at least the scheduled and the UI sync are listed (${rows})`,
  );
  await apiRun.locator('td').nth(2).click();
  const panel = page.locator('[data-testid^="run-detail-"]').first();
  await panel.waitFor();
  for (const stage of [
    'fetch',
    'plan',
    'ingest',
    'validate',
    'commit',
    'import',
  ]) {
    await panel.locator('td', { hasText: new RegExp(`^${stage}$`) }).waitFor();
  }
  const text = (await panel.textContent()) ?? '';
  assert(
    text.includes('resources created 1'),
    `the ingest counts show the new VPC (${text.slice(0, 300)})`,
  );
  assert(/\d+(\.\d)? m?s/.test(text), 'stage timings are shown');
  await t.screenshot('06-run-history');
});

test('unmanaged files are listed with their reasons', async t => {
  const { page } = t;
  await openFabricTab(page);
  await page.getByRole('tab', { name: 'Unmanaged files' }).click();
  await page.getByText('unmanaged/broken.yaml').waitFor();
  await page.getByText(/Bad_Name/).waitFor();
  await page.getByText(/not a YAML file/).waitFor();
  await t.screenshot('07-unmanaged');
});

test('the fabrics page is reachable from the sidebar and opens a fabric', async t => {
  const { page } = t;
  await page.goto(ENTITY_URL);
  await signInIfAsked(page);
  await page.getByRole('link', { name: 'Fabrics', exact: true }).click();
  await page.waitForURL(/\/hedgehog$/);
  await page.getByRole('link', { name: 'Demo fabric' }).waitFor();
  await t.screenshot('08-fabrics-page');
  await page.getByRole('link', { name: 'Demo fabric' }).click();
  await page
    .getByText('Fabric demo · defined by the demo module of packages/backend')
    .waitFor();
  await page.waitForURL(/\/hedgehog\/demo/);
});

test('API errors show the message the backend sent', async t => {
  const { page } = t;
  await page.goto(`${APP_URL}/hedgehog/no-such-fabric`);
  await signInIfAsked(page);
  // a 404 is an expected answer: a plain alert, no stack trace or JSON
  const alert = page.getByTestId('api-error');
  await alert.getByText('Could not load fabric no-such-fabric').waitFor();
  await alert.getByText('No fabric named "no-such-fabric"').waitFor();
  assert(
    (await page.getByText('Full Error as JSON').count()) === 0,
    'the 404 panel shows no full error as JSON',
  );
  await t.screenshot('09-api-error');
});
