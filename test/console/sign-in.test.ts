import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createAccount } from '../helpers/cli.ts';
import { vpcClient } from '../helpers/clients.ts';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { assertAccessible, browserAvailable, consoleCall, consoleUrl, launchBrowser, newConsolePage, screenshot, signIn } from './harness.ts';

describe('console sign-in and sessions', () => {
  let server: RunningServer;
  let shortSessions: RunningServer;
  let browser: Browser;
  let ready = false;
  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    // shortSessions: expiry is exercised for real, not with a fake clock.
    [server, shortSessions, browser] = await Promise.all([startServer(), startServer({ args: ['--console-session-ttl', '2'] }), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
    await shortSessions?.dispose();
  });

  it('refuses a wrong pair with the cloud’s code and message, and is accessible', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await newConsolePage(browser);
    await page.goto(consoleUrl(server));
    await assertAccessible(page, 'sign-in page');
    await screenshot(page, 'sign-in');
    await page.getByLabel('AccessKey ID').fill('LTAInosuchkey');
    await page.getByLabel('AccessKey Secret').fill('whatever');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('InvalidAccessKeyId.NotFound').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Specified access key is not found\./);

    await page.getByLabel('AccessKey ID').fill(TEST_KEY.accessKeyId);
    await page.getByLabel('AccessKey Secret').fill('not-the-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('SignatureDoesNotMatch').waitFor();
    assert.equal((await context.cookies()).length, 0, 'a refused sign-in sets no cookie');
    await context.close();
  });

  it('keeps the session server-side: HttpOnly SameSite=Strict cookie, no secret in browser storage, sign-out ends it', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY);
    const [cookie] = await context.cookies();
    assert.equal(cookie?.name, 'eniplane_console');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Strict');
    assert.equal(cookie?.path, '/console');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
    assert.ok(!stored.includes(TEST_KEY.accessKeySecret), 'the secret is not in browser storage');
    assert.ok(!stored.includes(cookie!.value), 'the session token is not readable by the page');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // The old token is dead on the server, not only forgotten by the browser.
    const replay = await fetch(`${consoleUrl(server)}api/session`, { headers: { cookie: `eniplane_console=${cookie!.value}` } });
    assert.equal(replay.status, 401);
    assert.equal(((await replay.json()) as { Code: string }).Code, 'Console.SignInRequired');
    await context.close();
  });

  it('refuses a call without the session’s CSRF token', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY);
    const [cookie] = await context.cookies();
    const forged = await fetch(`${consoleUrl(server)}api/call`, {
      method: 'POST',
      headers: { cookie: `eniplane_console=${cookie!.value}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Product: 'Vpc', Action: 'CreateVpc', Params: { CidrBlock: '10.0.0.0/8' } }),
    });
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { Code: string }).Code, 'Console.InvalidCsrfToken');
    const vpcs = await consoleCall<{ TotalCount: number }>(page, 'Vpc', 'DescribeVpcs');
    assert.equal(vpcs.TotalCount, 0, 'the forged call created nothing');
    await context.close();
  });

  it('sends an expired session back to sign-in, saying why', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, shortSessions, TEST_KEY);
    await new Promise((r) => setTimeout(r, 2500));
    // A page that calls the server after expiry is sent back to sign-in…
    await page.getByRole('link', { name: 'VPCs' }).click();
    await page.getByRole('alert').getByText('Console.SessionExpired').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // …and so is a reload; signing in again works.
    await page.reload();
    await page.getByRole('alert').getByText('Console.SessionExpired').waitFor();
    await signIn(page, shortSessions, TEST_KEY);
    await context.close();
  });

  it('shows each account only its own resources', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const other = createAccount(server, 'console-other');
    const created = await vpcClient(server, { key: other }).createVpc(
      new (await import('@alicloud/vpc20160428')).CreateVpcRequest({ regionId: 'cn-hangzhou', cidrBlock: '10.0.0.0/8' }),
    );
    const otherVpc = created.body!.vpcId!;
    const a = await newConsolePage(browser);
    const b = await newConsolePage(browser);
    await signIn(a.page, server, TEST_KEY);
    await signIn(b.page, server, other);
    assert.equal((await consoleCall<{ TotalCount: number }>(a.page, 'Vpc', 'DescribeVpcs')).TotalCount, 0);
    assert.equal((await consoleCall<{ TotalCount: number }>(b.page, 'Vpc', 'DescribeVpcs')).TotalCount, 1);
    // In the browser too: B's VPCs page lists B's VPC, A's does not.
    for (const { page } of [a, b]) await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'VPCs' }).click();
    await b.page.getByRole('row').filter({ hasText: otherVpc }).waitFor();
    await a.page.getByRole('cell', { name: 'No VPCs in this region.' }).waitFor();
    assert.equal(await a.page.getByText(otherVpc).count(), 0, "A's VPCs page does not show B's VPC");
    await a.context.close();
    await b.context.close();
  });
});
