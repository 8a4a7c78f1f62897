/*
 * End-to-end test of "Restore this commit" on the demo fabric (write mode push): after
 * fabric.e2e.ts imported the VPC it pushed, the run history's earlier sync restores
 * managed/ to its commit. The dialog lists the files first (the VPC's managed file
 * removed), then a restore run brings the fabric back to that commit.
 */
import { E2E_VPC } from './demoRepo.ts';
import { signInIfAsked } from './fabric.e2e.ts';
import { APP_URL, assert, backendGet, eventually, test } from './harness.ts';

interface RunJson {
  id: string;
  type: string;
  status: string;
  commitAfter?: string;
}

const api = '/api/hedgehog/fabrics/demo';

test('Restore this commit: the dry run lists the managed files first, then a restore run makes managed/ what it was', async t => {
  const { page } = t;
  const fabric = await backendGet<{ lastSyncedCommit?: string }>(api);
  const current = fabric?.lastSyncedCommit;
  assert(current, 'the demo fabric has a synced commit');
  assert(
    await backendGet(`${api}/resources/VPC/${E2E_VPC}`),
    `VPC ${E2E_VPC} (pushed by the fabric tests) is imported`,
  );
  // the earliest sync that recorded another commit: before the VPC was pushed
  const runs = (await backendGet<{ items: RunJson[] }>(`${api}/runs?limit=100`))?.items ?? [];
  const earlier = runs
    .filter(r => r.type === 'sync' && ['succeeded', 'partial'].includes(r.status) && r.commitAfter && r.commitAfter !== current)
    .pop();
  assert(earlier?.commitAfter, `a sync recorded a commit before ${current.slice(0, 12)} (${runs.length} runs)`);
  const short = earlier.commitAfter!.slice(0, 12);

  await page.goto(`${APP_URL}/hedgehog/demo?tab=runs`);
  await signInIfAsked(page);
  await page.getByText('Run history').waitFor();
  const row = page.locator('tr', { hasText: new RegExp(`→\\s*${short}`) }).first();
  await row.waitFor();
  await row.locator('td').nth(2).click();
  const panel = page.getByTestId(`run-detail-${earlier.id}`);
  await panel.waitFor();
  await panel.getByRole('button', { name: 'Restore this commit' }).click();

  const dialog = page.getByRole('dialog');
  await dialog.getByText(`Restore managed/ to commit ${short}?`).waitFor();
  const files = dialog.getByTestId('restore-files');
  await files.waitFor({ timeout: 60_000 });
  const listed = (await files.textContent()) ?? '';
  assert(
    listed.includes(`managed/vpcs/${E2E_VPC}.yaml`),
    `the dry run lists the VPC's managed file (${listed.slice(0, 300)})`,
  );
  await t.screenshot('46-restore-dry-run');
  await dialog.getByRole('button', { name: /^Restore \d+ files?$/ }).click();
  const outcome = dialog.getByTestId('restore-outcome');
  await outcome.waitFor({ timeout: 60_000 });
  const said = (await outcome.textContent()) ?? '';
  assert(/Restore run/.test(said), `the outcome names the restore run (${said})`);
  await t.screenshot('47-restore-outcome');

  // the restore run commits and syncs: the VPC is no longer in the fabric
  await eventually(
    `the restore run to remove ${E2E_VPC}`,
    async () => ((await backendGet(`${api}/resources/VPC/${E2E_VPC}`)) ? undefined : true),
    120_000,
  );
  const restored = (await backendGet<{ items: RunJson[] }>(`${api}/runs?limit=5`))?.items.find(r => r.type === 'restore');
  assert(restored && ['succeeded', 'partial'].includes(restored.status), `the restore run ended (${restored?.status})`);
}, 240_000);
