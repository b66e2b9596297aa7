import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Key } from '../helpers/clients.ts';
import type { RunningServer } from '../helpers/server.ts';

/**
 * Browser tests of the web console: Debian's Chromium driven by playwright-core, against a real
 * `eniplane serve` process. Without /usr/bin/chromium they skip loudly, except in CI (CI=true),
 * where .ci/run installs it and a skip is a failure.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.ENIPLANE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'docs', 'console');
const DIST_INDEX = join(ROOT, 'console', 'dist', 'index.html');

/** The flags this machine's closed network needs (no background connections, no sandbox as root). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestSource(path) : stat.mtimeMs);
  }
  return newest;
}

/** Skips (or, in CI, fails) without Chromium; refuses a console build older than its sources. */
export function browserAvailable(t: TestContext): boolean {
  if (!existsSync(CHROMIUM)) {
    const why = `console tests need Chromium at ${CHROMIUM} (apt-get install chromium)`;
    if (process.env.CI === 'true') assert.fail(`${why}: in CI a skip is a failure`);
    console.error(`\n!!! SKIPPED: ${why}\n`);
    t.skip(why);
    return false;
  }
  assert.ok(existsSync(DIST_INDEX), 'the console is not built: run npm run build:console');
  assert.ok(
    statSync(DIST_INDEX).mtimeMs >= newestSource(join(ROOT, 'console', 'src')),
    'the console build is older than console/src: run npm run build:console',
  );
  return true;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export function consoleUrl(server: RunningServer, path = ''): string {
  return `http://${server.endpoint}/console/${path.replace(/^\//, '')}`;
}

/** A fresh browser context (its own cookies) at 1280×800, the size the console is designed for. */
export async function newConsolePage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Signs in through the form, as a person would, and waits for the console's navigation. */
export async function signIn(page: Page, server: RunningServer, key: Key, path = ''): Promise<void> {
  await page.goto(consoleUrl(server, path));
  await page.getByLabel('AccessKey ID').fill(key.accessKeyId);
  await page.getByLabel('AccessKey Secret').fill(key.accessKeySecret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it is now: no serious or critical violation (WCAG 2.1 A and AA rules). */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${where}: accessibility violations:\n${JSON.stringify(bad, null, 2)}`);
}

/** A screenshot for docs/console/ (shown in the README), taken once the page is settled. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Calls the console API with a page's session (cookie and CSRF token), as the page itself does. */
export async function consoleCall<T = Record<string, unknown>>(page: Page, product: string, action: string, params: Record<string, unknown> = {}): Promise<T> {
  return page.evaluate(
    async ({ product, action, params }) => {
      const session = await (await fetch('/console/api/session')).json();
      const res = await fetch('/console/api/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.CsrfToken },
        body: JSON.stringify({ Product: product, Action: action, Params: params }),
      });
      return res.json();
    },
    { product, action, params },
  ) as Promise<T>;
}
