import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CreateVpcRequest } from '@alicloud/vpc20160428';
import { vpcClient } from '../helpers/clients.ts';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { browserAvailable, consoleUrl, launchBrowser, newConsolePage, signIn } from './harness.ts';

/** The console by keyboard alone, and its region selector. */

/** Presses Tab until the focused element's accessible text is `name` (at most 40 presses). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.getAttribute('aria-label') ?? el?.innerText?.trim() ?? '';
    });
    if (focused === name) return;
  }
  assert.fail(`"${name}" is not reachable with Tab`);
}

describe('console navigation', () => {
  let server: RunningServer;
  let browser: Browser;
  let ready = false;
  before(async (t) => {
    ready = browserAvailable(t as never);
    if (ready) [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('signs in, navigates, opens and closes a dialog by keyboard alone', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await newConsolePage(browser);
    await page.goto(consoleUrl(server));
    await page.getByLabel('AccessKey ID').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).autocomplete), 'username', 'the first Tab reaches AccessKey ID');
    await page.keyboard.type(TEST_KEY.accessKeyId);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_KEY.accessKeySecret);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Console' }).waitFor();

    await tabTo(page, 'ENIs');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'ENIs', level: 1 }).waitFor();
    await tabTo(page, 'Create an ENI');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create an ENI' });
    await dialog.waitFor();
    assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus moves into the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await context.close();
  });

  it('switches regions with the region selector', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const created = await vpcClient(server).createVpc(new CreateVpcRequest({ regionId: 'cn-shanghai', cidrBlock: '172.16.0.0/12', vpcName: 'in-shanghai' }));
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY, 'vpcs');
    await page.getByRole('heading', { name: 'VPCs', level: 1 }).waitFor();
    await page.getByText('No VPCs').or(page.getByRole('row').nth(1)).first().waitFor();
    assert.equal(await page.getByText('in-shanghai').count(), 0, 'cn-hangzhou shows no Shanghai VPC');
    // Named in the console's language (DescribeRegions AcceptLanguage=en-US), as the international console does.
    await page.getByLabel('Region', { exact: true }).locator('option[value="cn-shanghai"]').waitFor({ state: 'attached' });
    assert.equal(
      (await page.getByLabel('Region', { exact: true }).locator('option[value="cn-shanghai"]').innerText()).trim(),
      'China (Shanghai) (cn-shanghai)',
    );
    await page.getByLabel('Region', { exact: true }).selectOption('cn-shanghai');
    await page.getByRole('row').filter({ hasText: created.body!.vpcId! }).waitFor();
    // The choice is kept across a reload (the region, not a secret, is remembered by the browser).
    await page.reload();
    await page.getByRole('row').filter({ hasText: created.body!.vpcId! }).waitFor();
    await context.close();
  });
});
