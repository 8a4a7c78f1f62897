// Opens a fabric entity's Fabric tab in headless Chromium (signing in as guest
// when asked), waits for the fabric's status header and saves a screenshot.
// --sync-denied: also checks that the page refuses the guest the Sync button (a
// permission policy that leaves syncs to the fabric's owners).
//   node screenshot.mjs <url of the tab> <png file> [--sync-denied]
import pw from 'playwright-core';

const [url, file, ...flags] = process.argv.slice(2);
const browser = await pw.chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.setDefaultTimeout(120_000); // the development frontend compiles on first load
  await page.goto(url);
  const enter = page.getByRole('button', { name: /^enter$/i });
  const header = page.getByText('Sync status');
  await Promise.race([enter.waitFor().catch(() => {}), header.waitFor().catch(() => {})]);
  if (await enter.isVisible().catch(() => false)) await enter.click();
  await header.waitFor();
  await page.getByText('Last sync').waitFor();
  const sync = page.getByRole('button', { name: 'Sync', exact: true });
  await sync.waitFor();
  if (flags.includes('--sync-denied')) {
    await page.getByText('You do not have permission to sync or check drift').waitFor();
    if (!(await sync.isDisabled())) throw new Error('the Sync button is enabled for a user the policy denies');
    console.log('the Sync button is disabled for the guest, as the policy says');
  }
  await page.screenshot({ path: file, fullPage: true });
  console.log(`Fabric tab rendered: ${file}`);
} finally {
  await browser.close();
}
