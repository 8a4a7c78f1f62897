/*
 * End-to-end tests of what a network engineer checks before and after a change, on fabric
 * `drifted` (test/github/e2eFabrics.ts, write mode push, with the test cluster): the Apply
 * confirmation lists the plan by kind (an IPv4Namespace, a VLANNamespace and a VPC to create, a VPC to update
 * with its VLAN change), a resource's page shows its history and the desired and live YAML side
 * by side with the changed line highlighted and the server's fields hidden until asked for.
 */
import type { Page } from 'playwright-core';
import { signInIfAsked } from './fabric.e2e.ts';
import {
  APP_URL,
  assert,
  backendGet,
  backendPost,
  eventually,
  test,
} from './harness.ts';

const FABRIC = process.env.E2E_DRIFTED_FABRIC || 'drifted';
const DRIFTED_VPC = process.env.E2E_DRIFTED_VPC || 'vpc-drifted';
const PLANNED_VPC = process.env.E2E_PLANNED_VPC || 'vpc-planned';
const api = `/api/hedgehog/fabrics/${FABRIC}`;

interface ResourceJson {
  drift: { status: string };
  live?: Record<string, unknown>;
}

async function openFabric(page: Page, query = '') {
  await page.goto(`${APP_URL}/hedgehog/${FABRIC}${query}`);
  await signInIfAsked(page);
  await page.getByText('Sync status').waitFor();
}

test(`fabric ${FABRIC} syncs and its drift check finds ${DRIFTED_VPC} drifted`, async t => {
  const drifted = async () => {
    const r = await backendGet<ResourceJson>(
      `${api}/resources/VPC/${DRIFTED_VPC}`,
    );
    return r?.drift.status === 'drifted' && r.live ? r : undefined;
  };
  let vpc = await eventually(
    `the scheduled sync and drift check of ${FABRIC}`,
    drifted,
    45_000,
  ).catch(() => undefined);
  if (!vpc) {
    const run = await backendPost<{ runId: string }>(`${api}/sync`, {});
    t.log(
      `no scheduled sync of ${FABRIC} yet; requested one (${
        run?.runId ?? 'request failed'
      })`,
    );
    vpc = await eventually(`the sync of ${FABRIC}`, drifted, 120_000);
  }
  const meta = vpc.live!.metadata as Record<string, unknown>;
  assert(
    meta.uid && meta.resourceVersion,
    'the live object has the fields the API server adds',
  );
}, 180_000);

test('Apply shows the plan grouped by kind before it acts: create the namespaces and one VPC, update the other VPC with its VLAN change', async t => {
  const { page } = t;
  await openFabric(page);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog
    .getByText(`Apply ${'Drifted (plan, history, YAML diff)'} to cluster e2e?`)
    .waitFor();
  const plan = dialog.getByTestId('apply-plan');
  await plan.waitFor({ timeout: 60_000 });
  const counts = plan.getByText(/^Plan: /);
  await counts.waitFor();
  const summary = (await counts.textContent()) ?? '';
  assert(
    summary.startsWith('Plan: 3 create, 1 update'),
    `the plan's counts: ${summary} (${await plan.textContent()})`,
  );
  const namespaces =
    (await plan.getByTestId('plan-kind-IPv4Namespace').textContent()) ?? '';
  assert(
    /create\s*drifted/.test(namespaces),
    `the plan creates the IPv4Namespace, in a group of its own: ${namespaces}`,
  );
  const vlans =
    (await plan.getByTestId('plan-kind-VLANNamespace').textContent()) ?? '';
  assert(
    /create\s*drifted/.test(vlans),
    `the plan creates the VLANNamespace, in a group of its own: ${vlans}`,
  );
  const vpcs = plan.getByTestId('plan-kind-VPC');
  await vpcs.getByText('VPC', { exact: true }).waitFor();
  const text = (await vpcs.textContent()) ?? '';
  assert(
    new RegExp(`create\\s*${PLANNED_VPC}`).test(text),
    `the plan creates ${PLANNED_VPC}: ${text}`,
  );
  assert(
    new RegExp(`update\\s*${DRIFTED_VPC}`).test(text),
    `the plan updates ${DRIFTED_VPC}: ${text}`,
  );
  assert(
    /spec\.subnets\.default\.vlan: 1991 → 1981/.test(text),
    `the update shows the VLAN change: ${text}`,
  );
  // the dry run answers too; nothing is applied until Apply is pressed
  await dialog
    .getByText(/object\(s\) would be created or changed/)
    .waitFor({ timeout: 60_000 });
  await t.screenshot('43-apply-plan');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const after = await backendGet<ResourceJson>(
    `${api}/resources/VPC/${PLANNED_VPC}`,
  );
  assert(
    after?.drift.status === 'missing_in_cluster',
    `nothing was applied (${PLANNED_VPC}: ${after?.drift.status})`,
  );
}, 150_000);

test('a resource page: desired and live side by side with the changed line highlighted, server fields on demand, and its history', async t => {
  const { page } = t;
  await openFabric(page, `?tab=resources&resource=VPC/${DRIFTED_VPC}`);
  await page.getByTestId('resource-details').waitFor();
  const diff = page.getByTestId('yaml-diff');
  await diff.waitFor();
  const changed = diff.locator('tr[data-change="changed"]');
  assert(
    (await changed.count()) === 1,
    `one line differs (${await changed.count()})`,
  );
  const [left, right] = await changed
    .locator('td[data-highlighted="true"]')
    .allTextContents();
  assert(
    left.trim() === 'vlan: 1981' && right.trim() === 'vlan: 1991',
    `the VLAN line: ${left} | ${right}`,
  );
  const background = await changed
    .locator('td[data-side="left"]')
    .evaluate(el => getComputedStyle(el).backgroundColor);
  assert(
    background !== 'rgba(0, 0, 0, 0)',
    `the changed line is highlighted (${background})`,
  );
  // what the drift comparison ignores is hidden: the diff has the one line the path table has
  const noise = [
    'managedFields',
    'resourceVersion',
    'uid:',
    'last-applied-configuration',
    'hedgehog.backstage.io/fabric: drifted',
    'githedgehog.com/source-file',
  ];
  for (const text of noise) {
    assert(
      !((await diff.textContent()) ?? '').includes(text),
      `${text} is hidden by default`,
    );
  }
  const differing = await diff
    .locator('tr[data-change]:not([data-change="same"])')
    .count();
  assert(differing === 1, `only the VLAN line differs (${differing})`);
  await page.getByText('1 line differs', { exact: false }).waitFor();
  await page.getByText('spec.subnets.default.vlan', { exact: true }).waitFor();
  await t.screenshot('44-yaml-side-by-side');

  await page
    .getByRole('checkbox', { name: /^Show server fields \(\d+\)$/ })
    .check();
  await eventually(
    'the server fields',
    async () => ((await diff.textContent()) ?? '').includes('managedFields'),
    5_000,
    100,
  );
  const shown = (await diff.textContent()) ?? '';
  for (const text of noise.filter(n => n !== 'uid:')) {
    assert(shown.includes(text), `${text} is shown on demand`);
  }
  await page.getByRole('checkbox', { name: /^Show server fields/ }).uncheck();

  const history = page
    .locator("text=Commits that changed the resource's file in Git")
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await history
    .getByText(/— .+, /)
    .first()
    .waitFor();
  const entries = await history.locator('li').count();
  assert(
    entries >= 1,
    `the history lists the commit that wrote the file (${entries})`,
  );
  await history.locator('summary').first().click();
  await history
    .getByText(`managed/vpcs/${DRIFTED_VPC}.yaml`, { exact: false })
    .first()
    .waitFor();
  await history.getByText('+      vlan: 1981').first().waitFor();
  await history.scrollIntoViewIfNeeded();
  await t.screenshot('45-resource-history');
}, 120_000);
