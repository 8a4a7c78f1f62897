/*
 * A small test harness for the browser end-to-end tests: named tests run in
 * order against one real headless Chromium (Debian's /usr/bin/chromium driven
 * by playwright-core), each with a timeout; a failing test leaves a screenshot
 * and does not stop the others. Plain Node (>= 22.18 strips the types).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pw from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const APP_URL = process.env.E2E_APP_URL ?? 'http://localhost:3000';
export const BACKEND_URL =
  process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
export const ARTIFACTS =
  process.env.E2E_ARTIFACTS ?? path.resolve(import.meta.dirname, 'artifacts');

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface TestContext {
  page: Page;
  /** Saves a full-page screenshot as artifacts/<name>.png. */
  screenshot(name: string): Promise<string>;
  log(message: string): void;
  /** Uncaught exceptions the page threw so far. */
  pageErrors: string[];
}

interface TestCase {
  name: string;
  fn: (t: TestContext) => Promise<void>;
  timeoutMs: number;
}

const tests: TestCase[] = [];

export function test(
  name: string,
  fn: (t: TestContext) => Promise<void>,
  timeoutMs = 120_000,
) {
  tests.push({ name, fn, timeoutMs });
}

function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} timed out after ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs the registered tests; returns the number of failures. */
export async function runTests(): Promise<{ passed: number; failed: number }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  let browser: Browser;
  try {
    browser = await pw.chromium.launch({
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
    });
  } catch (e) {
    console.error(`✗ could not start Chromium at ${executablePath}: ${e}`);
    return { passed: 0, failed: tests.length || 1 };
  }
  let context: BrowserContext | undefined;
  let passed = 0;
  let failed = 0;
  const pageErrors: string[] = [];
  try {
    context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', e => pageErrors.push(String(e)));
    const ctx: TestContext = {
      page,
      async screenshot(name) {
        const file = path.join(ARTIFACTS, `${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        return file;
      },
      log(message) {
        console.log(`    ${message}`);
      },
      pageErrors,
    };
    const retries = Number(process.env.E2E_RETRIES ?? 1);
    // E2E_ONLY=<regular expression>: only the tests whose name matches (while working on them)
    const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
    for (const t of tests.filter(x => !only || only.test(x.name))) {
      const start = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          await waitForBackend();
          await withTimeout(t.fn(ctx), t.timeoutMs, t.name);
          passed++;
          const note =
            attempt > 0
              ? ` after ${attempt} retr${attempt === 1 ? 'y' : 'ies'}`
              : '';
          console.log(`✓ ${t.name} (${seconds(Date.now() - start)}${note})`);
          break;
        } catch (e) {
          const slug = t.name
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .slice(0, 60);
          let shot = '';
          try {
            shot = await ctx.screenshot(
              `FAILED-${slug}${attempt ? `-${attempt + 1}` : ''}`,
            );
          } catch {
            // the page may be gone
          }
          const detail = `${(e as Error).stack ?? e}`
            .split('\n')
            .slice(0, 8)
            .join('\n    ');
          if (attempt < retries) {
            // The dev backend restarts when its sources change; give it a moment.
            console.log(
              `  ! ${t.name}: attempt ${
                attempt + 1
              } failed, retrying\n    ${detail}`,
            );
            if (shot) console.log(`    screenshot: ${shot}`);
            await new Promise(r => setTimeout(r, 3_000));
            continue;
          }
          failed++;
          console.log(`✗ ${t.name} (${seconds(Date.now() - start)})`);
          console.log(`    ${detail}`);
          if (shot) console.log(`    screenshot: ${shot}`);
          break;
        }
      }
    }
  } finally {
    await context?.close().catch(() => {});
    await browser.close().catch(() => {});
  }
  return { passed, failed };
}

/** Waits until the backend answers its readiness check. */
export async function waitForBackend(timeoutMs = 120_000): Promise<void> {
  await eventually(
    'the backend to be ready',
    async () => {
      try {
        const res = await fetch(
          `${BACKEND_URL}/.backstage/health/v1/readiness`,
        );
        return res.ok;
      } catch {
        return false;
      }
    },
    timeoutMs,
    500,
  );
}

/** A guest token for direct backend calls (setup and assertions). */
export async function guestToken(): Promise<string> {
  const res = await fetch(
    `${BACKEND_URL}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  if (!res.ok)
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

/** GET a backend path as the guest; undefined on a non-2xx answer. */
export async function backendGet<T>(pathname: string): Promise<T | undefined> {
  try {
    const res = await fetch(`${BACKEND_URL}${pathname}`, {
      headers: { Authorization: `Bearer ${await guestToken()}` },
    });
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** POST JSON to a backend path as the guest; undefined on a non-2xx answer. */
export async function backendPost<T>(
  pathname: string,
  body: unknown,
): Promise<T | undefined> {
  try {
    const res = await fetch(`${BACKEND_URL}${pathname}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await guestToken()}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Polls `check` until it returns a truthy value. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 120_000,
  intervalMs = 1_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
