// Opens a fabric entity's Fabric tab in headless Chromium (signing in as guest
// when asked), waits for the fabric's status header and saves a screenshot.
//   node screenshot.mjs <url of the tab> <png file>
import pw from 'playwright-core';

const [url, file] = process.argv.slice(2);
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
  await page.getByRole('button', { name: 'Sync', exact: true }).waitFor();
  await page.screenshot({ path: file, fullPage: true });
  console.log(`Fabric tab rendered: ${file}`);
} finally {
  await browser.close();
}
