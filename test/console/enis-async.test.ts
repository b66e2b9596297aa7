import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { assertAccessible, browserAvailable, launchBrowser, newConsolePage, signIn } from './harness.ts';
import { call, createEni, IMAGE, row, seedNetwork } from './enis-seed.ts';

/**
 * The ENIs page's live states with real delays: bind shows Attaching then InUse, unbind Detaching
 * then Available, delete Deleting then the row gone, each polled by the page (no reload).
 */
describe('console ENIs page: bind, unbind and delete with real delays', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let eniId = '';
  let instanceId = '';
  let ready = false;

  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    [server, browser] = await Promise.all([
      startServer({
        args: ['--delays', 'realistic,eniAttach=1500,eniDetach=1500,eniDelete=1500,instanceCreate=0,instanceStart=0,vpcCreate=0,vswitchCreate=0'],
      }),
      launchBrowser(),
    ]);
    ({ page } = await newConsolePage(browser));
    await signIn(page, server, TEST_KEY, 'enis');
    const net = await seedNetwork(page);
    const run = await call<{ InstanceIdSets: { InstanceIdSet: string[] } }>(page, 'Ecs', 'RunInstances', {
      ImageId: IMAGE,
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vswitchA,
      SecurityGroupId: net.sg,
      InstanceName: 'web-1',
    });
    instanceId = run.InstanceIdSets.InstanceIdSet[0]!;
    eniId = (await createEni(page, { VSwitchId: net.vswitchA, SecurityGroupIds: [net.sg], NetworkInterfaceName: 'to-bind' })).NetworkInterfaceId;
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('binds: Attaching, then InUse; the address limit becomes the instance type’s', async (t) => {
    if (!ready) return t.skip('no Chromium');
    await page.reload();
    await page.getByRole('button', { name: `Bind ENI ${eniId} to an instance` }).click();
    const dialog = page.getByRole('dialog', { name: 'Bind to an instance' });
    await dialog.getByLabel('Instance', { exact: true }).selectOption(instanceId);
    await assertAccessible(page, 'Bind to an instance dialog');
    await dialog.getByRole('button', { name: 'Bind', exact: true }).click();
    await row(page, eniId).getByText('Attaching').waitFor();
    await row(page, eniId).getByText('InUse').waitFor({ timeout: 5000 });
    assert.match(await row(page, eniId).innerText(), new RegExp(instanceId));

    await page.getByRole('button', { name: `Manage Secondary Private IP Address of ENI ${eniId}` }).click();
    const manage = page.getByRole('dialog', { name: 'Manage Secondary Private IP Address' });
    await manage.getByText('Limit in force: 6 private IP addresses (1 in use): instance type ecs.g7.large allows 6 per ENI').waitFor();
    await manage.getByRole('button', { name: 'Close', exact: true }).first().click();
  });

  it('unbinds after confirmation: Detaching, then Available', async (t) => {
    if (!ready) return t.skip('no Chromium');
    await page.getByRole('button', { name: `Unbind ENI ${eniId} from its instance` }).click();
    const confirm = page.getByRole('dialog', { name: 'Unbind ENI' });
    await assertAccessible(page, 'Unbind ENI dialog');
    await confirm.getByRole('button', { name: 'Unbind', exact: true }).click();
    await row(page, eniId).getByText('Detaching').waitFor();
    await row(page, eniId).getByText('Available').waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: `Bind ENI ${eniId} to an instance` }).waitFor();
  });

  it('shows the server’s refusal in the dialog: the primary ENI cannot be deleted', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const primary = await call<{ NetworkInterfaceSets: { NetworkInterfaceSet: { NetworkInterfaceId: string }[] } }>(page, 'Ecs', 'DescribeNetworkInterfaces', {
      InstanceId: instanceId,
      Type: 'Primary',
    });
    const primaryId = primary.NetworkInterfaceSets.NetworkInterfaceSet[0]!.NetworkInterfaceId;
    await page.getByRole('button', { name: `Delete ENI ${primaryId}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete ENI' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.getByRole('alert').waitFor();
    assert.match(await confirm.getByRole('alert').innerText(), /^\S+\.\S+: /);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
  });

  it('deletes after confirmation: Deleting, then the row is gone', async (t) => {
    if (!ready) return t.skip('no Chromium');
    await page.getByRole('button', { name: `Delete ENI ${eniId}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete ENI' });
    await assertAccessible(page, 'Delete ENI dialog');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await row(page, eniId).getByText('Deleting').waitFor();
    await row(page, eniId).waitFor({ state: 'detached', timeout: 5000 });
    const left = await call<{ TotalCount: number }>(page, 'Ecs', 'DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId] });
    assert.equal(left.TotalCount, 0);
  });
});
