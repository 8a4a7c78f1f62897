/*
 * End-to-end tests of findings at scale: fabric `scale` (test/github/e2eFixture.ts,
 * name in E2E_SCALE_FABRIC), a generated fabric with 1,907 VPCs without a VLAN
 * and wiring that is not hydrated: 1,907 errors and 122 warnings. The Findings
 * tab shows the exact totals, the groups by rule and by file, pages and exports
 * them; the run's validate stage says how many errors it lists of how many.
 */
import { readFile } from 'node:fs/promises';
import { signInIfAsked } from './fabric.e2e.ts';
import { APP_URL, assert, backendGet, backendPost, eventually, test } from './harness.ts';

const FABRIC = process.env.E2E_SCALE_FABRIC || 'scale';
const ERRORS = 1907;
const WARNINGS = 122;
const api = `/api/hedgehog/fabrics/${FABRIC}`;

interface FabricJson {
  status: string;
  lastSyncedCommit?: string;
  findings: { errors: number; warnings: number };
}

const synced = async () => {
  const f = await backendGet<FabricJson>(api);
  return f?.lastSyncedCommit && f.findings.errors === ERRORS ? f : undefined;
};

test(`fabric ${FABRIC} syncs with exactly ${ERRORS} errors and ${WARNINGS} warnings`, async t => {
  let fabric = await eventually(`the scheduled sync of fabric ${FABRIC}`, synced, 45_000).catch(() => undefined);
  if (!fabric) {
    const run = await backendPost<{ runId: string }>(`${api}/sync`, {});
    t.log(`no scheduled sync of ${FABRIC} yet; requested one (${run?.runId ?? 'request failed'})`);
    fabric = await eventually(`the sync of fabric ${FABRIC}`, synced, 240_000);
  }
  assert(fabric.status === 'partial', `the fabric needs attention (status ${fabric.status})`);
  assert(fabric.findings.warnings === WARNINGS, `${WARNINGS} warnings (got ${fabric.findings.warnings})`);
  const page = await backendGet<{ totalItems: number; totals: { errors: number; warnings: number } }>(`${api}/findings?limit=1`);
  assert(page?.totalItems === ERRORS + WARNINGS, `the findings list holds ${ERRORS + WARNINGS} (got ${page?.totalItems})`);
}, 300_000);

test('the Findings tab shows the exact totals, the groups by rule and by file, and which of how many it lists', async t => {
  const { page } = t;
  await page.goto(`${APP_URL}/hedgehog/${FABRIC}?tab=findings`);
  await signInIfAsked(page);
  await page.getByRole('tab', { name: `Findings (${(ERRORS + WARNINGS).toLocaleString('en-US')})` }).waitFor();
  const totals = page.getByTestId('findings-totals');
  await totals.getByText(`1,907 errors · 122 warnings`, { exact: false }).waitFor();
  const byRule = page.getByRole('table', { name: 'By rule' });
  // rule, errors, warnings, new (the first sync: all new)
  const cells = async (rule: string) => {
    const row = byRule.getByTestId(`group-${rule}`);
    await row.waitFor();
    return (await row.getByRole('cell').allInnerTexts()).slice(0, 4).map(c => c.trim());
  };
  for (const [rule, expected] of [
    ['vpc.subnet-vlan', ['vpc.subnet-vlan', '1,907', '0', '1,907']],
    ['hydration.link', ['hydration.link', '0', '80', '80']],
    ['hydration.switch', ['hydration.switch', '0', '42', '42']],
  ] as const) {
    const got = await cells(rule);
    assert(JSON.stringify(got) === JSON.stringify(expected), `the group of ${rule}: ${got.join(' | ')}`);
  }
  await page.getByText('Showing 1–10 of 2,029 files').waitFor();
  await page.getByText(/^Showing 1–50 of 2,029 findings · 1,907 errors · 122 warnings/).waitFor();
  await t.screenshot('20-findings');

  // a rule's group filters the list; the URL keeps it
  await byRule.getByRole('link', { name: 'hydration.switch' }).click();
  await page.getByText(/^All 42 findings/).waitFor();
  assert(page.url().includes('rule=hydration.switch'), `the URL keeps the rule (${page.url()})`);
  await t.screenshot('21-findings-by-rule');

  // the export holds every finding that matches: here the 42
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const text = await readFile((await download.path())!, 'utf8');
  const lines = text.trimEnd().split('\r\n');
  assert(lines[0] === 'file,document,path,rule,severity,message,new,resource,left_out,blocks_apply', `the CSV header (${lines[0]})`);
  assert(lines.length === 43, `the CSV holds 42 findings (got ${lines.length - 1})`);
  assert(download.suggestedFilename() === `${FABRIC}-findings.csv`, `the file name (${download.suggestedFilename()})`);
}, 120_000);

test('the run says how many errors its validate stage lists of how many, and pages through all of its findings', async t => {
  const { page } = t;
  await page.goto(`${APP_URL}/hedgehog/${FABRIC}?tab=runs`);
  await signInIfAsked(page);
  const row = page.getByRole('row').filter({ hasText: 'Partial' }).first();
  await row.getByText('1,907').waitFor();
  await row.getByText('Partial').click();
  await page.getByText('Showing 200 of 1,907 errors.').waitFor();
  await page.getByText('See all of them').click();
  await page.getByText(/^Showing 1–50 of 2,029 findings/).waitFor();
  await t.screenshot('22-run-findings');
}, 120_000);
