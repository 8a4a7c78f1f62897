/*
 * End-to-end tests of a fabric in write mode `pull-request` with a cluster:
 * fabric `lab` on the loopback GitHub and the test cluster that
 * test/github/e2eFixture.ts provides (scripts/e2e.sh starts it and passes the
 * names in E2E_LAB_FABRIC and E2E_LIVE_VPC). Its first sync
 * proposes the ingestion as a pull request; drift finds a VPC only the cluster
 * holds, which the UI adopts into Git as a second pull request.
 */
import { signInIfAsked } from './fabric.e2e.ts';
import { APP_URL, assert, backendGet, backendPost, eventually, test } from './harness.ts';

const LAB_FABRIC = process.env.E2E_LAB_FABRIC ?? '';
const LIVE_VPC = process.env.E2E_LIVE_VPC ?? '';

interface Pull {
  number: number;
  title: string;
  url: string;
  branch: string;
  purpose: 'sync' | 'adopt';
}
interface ResourceItem {
  kind: string;
  name: string;
  drift: { status: string };
}

const ENTITY_URL = `${APP_URL}/catalog/default/resource/${LAB_FABRIC}`;
const api = `/api/hedgehog/fabrics/${LAB_FABRIC}`;
const pulls = async () => (await backendGet<{ items: Pull[] }>(`${api}/pulls`))?.items ?? [];
const liveVpc = async () =>
  (await backendGet<{ items: ResourceItem[] }>(`${api}/resources?kind=VPC&q=${LIVE_VPC}`))?.items.find(
    r => r.name === LIVE_VPC,
  );

test('fabric lab syncs from the loopback GitHub: its ingestion becomes a pull request, drift finds the cluster-only VPC', async t => {
  assert(LAB_FABRIC && LIVE_VPC, 'E2E_LAB_FABRIC and E2E_LIVE_VPC are set (scripts/e2e.sh starts the GitHub fixture)');
  const ready = async () => {
    const [open, vpc] = await Promise.all([pulls(), liveVpc()]);
    return open.some(p => p.purpose === 'sync') && vpc?.drift.status === 'orphaned_in_cluster' ? open : undefined;
  };
  let open = await eventually('the scheduled sync of fabric lab', ready, 45_000).catch(() => undefined);
  if (!open) {
    const run = await backendPost<{ runId: string }>(`${api}/sync`, {});
    t.log(`no scheduled sync of lab yet; requested one (${run?.runId ?? 'request failed'})`);
    open = await eventually('the sync of fabric lab', ready, 150_000);
  }
  const review = open.find(p => p.purpose === 'sync')!;
  t.log(`ingestion pull request #${review.number} (${review.branch}): ${review.title}`);
  assert(review.branch === `hedgehog/${LAB_FABRIC}`, `the review branch is hedgehog/${LAB_FABRIC}`);
  await eventually(
    `the catalog entity resource:default/${LAB_FABRIC}`,
    () => backendGet(`/api/catalog/entities/by-name/resource/default/${LAB_FABRIC}`),
    180_000,
  );
}, 240_000);

test('the Pull requests card lists the open pull request with its link, branch and purpose', async t => {
  const { page } = t;
  const [review] = (await pulls()).filter(p => p.purpose === 'sync');
  assert(review, 'fabric lab has its ingestion pull request');
  await page.goto(ENTITY_URL);
  await signInIfAsked(page);
  await page.getByRole('link', { name: 'Fabric', exact: true }).click();
  await page.getByText('Pull requests', { exact: true }).waitFor();
  const link = page.getByRole('link', { name: `Pull request #${review.number}` });
  await link.waitFor();
  assert((await link.getAttribute('href')) === review.url, `the link goes to ${review.url}`);
  await page.getByText(`hedgehog/${LAB_FABRIC}`, { exact: true }).waitFor();
  await page.getByText('Sync review', { exact: true }).waitFor();
  await t.screenshot('10-pull-requests');
});

test('Adopt into Git on the cluster-only VPC opens a pull request, shown with its link and then in the card', async t => {
  const { page } = t;
  const before = await pulls();
  await page.goto(ENTITY_URL);
  await signInIfAsked(page);
  await page.getByRole('link', { name: 'Fabric', exact: true }).click();
  await page.getByRole('tab', { name: /^Resources \(\d+\)$/ }).click();
  await page.getByLabel('Filter by name').fill(LIVE_VPC);
  await page.getByRole('link', { name: LIVE_VPC }).click();
  await page.getByTestId('resource-details').waitFor();

  await page.getByRole('button', { name: 'Adopt into Git' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`Adopt the cluster's value of VPC ${LIVE_VPC} into Git?`).waitFor();
  await dialog.getByText(/exists only in the cluster/).waitFor();
  await dialog.getByRole('button', { name: 'Adopt', exact: true }).click();

  const outcome = page.getByTestId('adopt-outcome');
  await outcome.waitFor({ timeout: 60_000 });
  const link = page.getByTestId('adopt-pull-request');
  await link.waitFor();
  const text = (await outcome.textContent()) ?? '';
  t.log(`outcome: ${text}`);
  assert(/Merge it to adopt the value/.test(text), 'the outcome says the pull request holds the value');
  await t.screenshot('11-adopted');

  const after = await eventually(
    'the adoption pull request',
    async () => (await pulls()).find(p => p.purpose === 'adopt' && !before.some(b => b.number === p.number)),
    30_000,
  );
  assert(after.branch === `hedgehog-adopt/${LAB_FABRIC}/vpc-${LIVE_VPC}`, `the adoption branch (${after.branch})`);
  assert((await link.getAttribute('href')) === after.url, `the outcome links pull request #${after.number}`);

  // the Overview's card lists it beside the ingestion pull request
  await page.getByRole('tab', { name: 'Overview' }).click();
  await page.getByRole('link', { name: `Pull request #${after.number}` }).waitFor();
  await page.getByText('Adoption of a cluster value', { exact: true }).waitFor();
  await t.screenshot('12-pull-requests-after-adopt');
});
