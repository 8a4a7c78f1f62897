/*
 * End-to-end tests of the Topology tab: the demo fabric (drawn, a search
 * highlights a switch, the picture exports as SVG and PNG) and fabric `large`
 * (test/github/e2eFabrics.ts, name in E2E_LARGE_FABRIC): 5,026 generated
 * resources whose servers are drawn collapsed per leaf group with counts, one
 * group expanding on click.
 */
import { readFile } from 'node:fs/promises';
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

const LARGE = process.env.E2E_LARGE_FABRIC || 'large';
const LARGE_RESOURCES = 5026;

interface FabricJson {
  status: string;
  lastSyncedCommit?: string;
  counts: Record<string, number>;
}
interface TopologyJson {
  nodes: Array<{ id: string; type: string; name: string; count?: number }>;
  edges: unknown[];
}

async function openTopology(page: Page, fabric: string) {
  await page.goto(`${APP_URL}/hedgehog/${fabric}?tab=topology`);
  await signInIfAsked(page);
  const svg = page.getByRole('img', { name: `Topology of ${fabric}` });
  await svg.waitFor({ timeout: 60_000 });
  return svg;
}

/** Saves the download a click starts; its suggested name and bytes. */
async function download(
  page: Page,
  button: string,
): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const saved = await file.path();
  assert(saved, `the ${button} download was saved`);
  return { name: file.suggestedFilename(), bytes: await readFile(saved) };
}

test('the demo fabric topology: spines, leaves and servers drawn; a search highlights a switch; SVG and PNG exports', async t => {
  const { page } = t;
  const topology = await backendGet<TopologyJson>(
    '/api/hedgehog/fabrics/demo/topology',
  );
  assert(
    topology && topology.nodes.length > 0,
    'the API draws the demo fabric',
  );
  const switches = topology.nodes
    .filter(n => n.type === 'switch')
    .map(n => n.name)
    .sort();
  const svg = await openTopology(page, 'demo');
  for (const name of switches)
    await svg
      .getByRole('button', { name: `switch ${name}`, exact: true })
      .waitFor();
  const drawnNodes = await svg.locator('[data-node-id]').count();
  assert(
    drawnNodes === topology.nodes.length,
    `every node of the API is drawn (${drawnNodes} of ${topology.nodes.length})`,
  );
  t.log(
    `demo: ${topology.nodes.length} nodes (${switches.length} switches), ${topology.edges.length} edges`,
  );

  const target = switches[switches.length - 1];
  await page
    .getByRole('textbox', { name: 'Find a switch or server' })
    .fill(target);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('status').getByText(`Found switch ${target}`).waitFor();
  const found = svg.locator('[aria-current="true"]');
  assert(
    (await found.getAttribute('aria-label')) === `switch ${target}`,
    `${target} is the highlighted node`,
  );
  await t.screenshot('40-topology-demo');

  await page
    .getByRole('textbox', { name: 'Find a switch or server' })
    .fill('no-such-switch');
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page
    .getByRole('status')
    .getByText('Nothing named like “no-such-switch” in this topology')
    .waitFor();
  assert(
    (await found.count()) === 0,
    'nothing is highlighted after a search without a match',
  );

  const svgFile = await download(page, 'Export SVG');
  assert(
    svgFile.name === 'demo-topology.svg',
    `the SVG is named after the fabric (${svgFile.name})`,
  );
  const text = svgFile.bytes.toString('utf8');
  assert(
    text.includes('xmlns="http://www.w3.org/2000/svg"') &&
      text.includes(`>${target}</text>`),
    'the SVG is a standalone drawing with the switches',
  );
  const pngFile = await download(page, 'Export PNG');
  assert(
    pngFile.name === 'demo-topology.png',
    `the PNG is named after the fabric (${pngFile.name})`,
  );
  assert(
    pngFile.bytes.subarray(1, 4).toString('latin1') === 'PNG',
    'the PNG file is a PNG',
  );
  const width = pngFile.bytes.readUInt32BE(16);
  const height = pngFile.bytes.readUInt32BE(20);
  assert(
    width > 400 && height > 100,
    `the PNG has the drawing's size (${width}×${height})`,
  );
  t.log(
    `exports: SVG ${svgFile.bytes.length} bytes, PNG ${width}×${height} (${pngFile.bytes.length} bytes)`,
  );
}, 120_000);

test(`the topology of fabric ${LARGE} (${LARGE_RESOURCES.toLocaleString(
  'en-US',
)} resources): servers collapsed per leaf group with counts, a group expands on click`, async t => {
  const { page } = t;
  const synced = async () => {
    const f = await backendGet<FabricJson>(`/api/hedgehog/fabrics/${LARGE}`);
    const total = f ? Object.values(f.counts).reduce((a, b) => a + b, 0) : 0;
    return f?.lastSyncedCommit &&
      f.status !== 'syncing' &&
      total === LARGE_RESOURCES
      ? f
      : undefined;
  };
  let fabric = await eventually(
    `the scheduled sync of fabric ${LARGE}`,
    synced,
    60_000,
  ).catch(() => undefined);
  if (!fabric) {
    const run = await backendPost<{ runId: string }>(
      `/api/hedgehog/fabrics/${LARGE}/sync`,
      {},
    );
    t.log(
      `no scheduled sync of ${LARGE} yet; requested one (${
        run?.runId ?? 'request failed'
      })`,
    );
    fabric = await eventually(`the sync of fabric ${LARGE}`, synced, 240_000);
  }
  t.log(`${LARGE}: ${JSON.stringify(fabric.counts)}`);
  assert(
    fabric.counts.Server === 984,
    `984 servers (got ${fabric.counts.Server})`,
  );

  const topology = await backendGet<TopologyJson>(
    `/api/hedgehog/fabrics/${LARGE}/topology`,
  );
  assert(topology, 'the API draws the large fabric');
  // 20 servers on each leaf (a group per leaf) and one ESLAG server per leaf pair (alone on its
  // pair of leaves: a group of one is drawn as the server)
  const groups = topology.nodes.filter(n => n.type === 'servers');
  const alone = topology.nodes.filter(n => n.type === 'server');
  assert(
    groups.length === 48 && groups.every(g => g.count === 20),
    `a group of 20 servers per leaf (${groups.map(g => g.count).join(',')})`,
  );
  assert(
    alone.length === 24,
    `the 24 ESLAG servers on their own (${alone.length})`,
  );
  const counted = groups.reduce((a, g) => a + (g.count ?? 0), 0) + alone.length;
  assert(counted === 984, `every server is counted once (${counted})`);

  const started = Date.now();
  const svg = await openTopology(page, LARGE);
  t.log(
    `${topology.nodes.length} nodes (${groups.length} groups of servers), ${
      topology.edges.length
    } edges drawn in ${Date.now() - started} ms`,
  );
  const drawnGroups = svg.locator('[data-node-id^="servers:"]');
  assert(
    (await drawnGroups.count()) === groups.length,
    `every group is drawn (${await drawnGroups.count()})`,
  );
  const group = groups[groups.length - 1];
  await svg
    .getByRole('button', { name: `servers ${group.name}`, exact: true })
    .first()
    .waitFor();
  // the drawing scrolls inside its card: the page does not widen
  const pageWidth = await page.evaluate(
    () => document.documentElement.scrollWidth,
  );
  assert(pageWidth <= 1440, `the page keeps the window's width (${pageWidth})`);
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  const fitted = await svg.boundingBox();
  const card = await page.getByTestId('topology-scroll').boundingBox();
  assert(
    fitted && card && fitted.width <= card.width + 1,
    `Fit puts the whole drawing in the card (${fitted?.width} of ${card?.width})`,
  );
  await t.screenshot('41-topology-large-fit');
  // the PNG of the whole drawing stays within the canvas limits (16,000 pixels a side)
  const png = await download(page, 'Export PNG');
  const [pngWidth, pngHeight] = [
    png.bytes.readUInt32BE(16),
    png.bytes.readUInt32BE(20),
  ];
  assert(
    png.name === `${LARGE}-topology.png` &&
      pngWidth > 4_000 &&
      pngWidth <= 16_000 &&
      pngHeight <= 16_000,
    `the large fabric's PNG (${png.name}, ${pngWidth}×${pngHeight})`,
  );
  t.log(`PNG ${pngWidth}×${pngHeight}, ${png.bytes.length} bytes`);

  // at full size a search scrolls the drawing to the switch
  await page.getByRole('button', { name: 'Actual size' }).click();
  const target = 'leaf-33';
  await page
    .getByRole('textbox', { name: 'Find a switch or server' })
    .fill(target);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('status').getByText(`Found switch ${target}`).waitFor();
  const box = page.getByTestId('topology-scroll');
  const node = svg.locator(`[data-node-id="switch:${target}"]`);
  await eventually(
    `${target} scrolled into the middle of the drawing`,
    async () => {
      const [b, n] = await Promise.all([box.boundingBox(), node.boundingBox()]);
      if (!b || !n) return false;
      const middle = n.x + n.width / 2;
      return middle > b.x + b.width * 0.25 && middle < b.x + b.width * 0.75;
    },
    10_000,
    250,
  );
  assert(
    (await node.getAttribute('aria-current')) === 'true',
    `${target} is highlighted`,
  );
  await t.screenshot('42-topology-large-search');

  await svg.locator(`[data-node-id="${group.id}"]`).click();
  await eventually(
    `the ${group.count} servers of ${group.id} drawn`,
    async () =>
      (await svg.locator('[data-node-id^="server:"]').count()) ===
      group.count! + alone.length,
    30_000,
    250,
  );
  await page.getByRole('button', { name: 'Collapse servers' }).waitFor();
  t.log(`expanded ${group.id}: ${group.count} servers`);
}, 360_000);
