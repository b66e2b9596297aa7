import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import type { Browser, Page } from 'playwright-core';
import { ecsClient } from '../helpers/clients.ts';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { assertAccessible, browserAvailable, launchBrowser, newConsolePage, screenshot, signIn } from './harness.ts';
import { call, createEni, row, rows, seedNetwork, type Network } from './enis-seed.ts';

const regionId = 'cn-hangzhou';

/** Resets the filters, then sets the given text filters and searches. */
async function filterBy(page: Page, fields: Record<string, string>): Promise<void> {
  const filters = page.getByRole('form', { name: 'Filter ENIs' });
  await filters.getByRole('button', { name: 'Reset' }).click();
  for (const [label, value] of Object.entries(fields)) await filters.getByLabel(label, { exact: true }).fill(value);
  await filters.getByRole('button', { name: 'Search' }).click();
}

/**
 * The ENIs page and its dialogs in Chromium: list, filters and server-side pages; Create an ENI
 * (seen through the official SDK); the 10-address limit of an unattached ENI (the server's code
 * in the dialog); Manage Secondary Private IP Address; modify; EIP. Bind, unbind and delete with
 * real delays are in enis-async.test.ts.
 */
describe('console ENIs page', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let net: Network;
  let ready = false;
  const taggedIds: string[] = [];
  let created = '';

  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ({ page } = await newConsolePage(browser));
    await signIn(page, server, TEST_KEY, 'enis');
    net = await seedNetwork(page);
    // 25 ENIs: 22 in vSwitch A, 3 tagged env=prod in vSwitch B.
    for (let i = 0; i < 22; i++) await createEni(page, { VSwitchId: net.vswitchA, SecurityGroupIds: [net.sg], NetworkInterfaceName: `bulk-${i}` });
    for (let i = 0; i < 3; i++) {
      const eni = await createEni(page, { VSwitchId: net.vswitchB, SecurityGroupIds: [net.sg], Tag: [{ Key: 'env', Value: 'prod' }] });
      taggedIds.push(eni.NetworkInterfaceId);
    }
  });
  // A failed flow leaves no dialog open over the next one.
  afterEach(async () => {
    if (ready && (await page.locator('dialog[open]').count()) > 0) await page.reload();
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('lists the region’s ENIs in server-side pages, with the cloud’s filters', async (t) => {
    if (!ready) return t.skip('no Chromium');
    await page.reload();
    await page.getByRole('heading', { name: 'ENIs', level: 1 }).waitFor();
    await page.getByText('25 in all · page 1 of 2').waitFor();
    assert.equal(await rows(page).count(), 20);
    await assertAccessible(page, 'ENIs page');
    await screenshot(page, 'enis');

    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('25 in all · page 2 of 2').waitFor();
    assert.equal(await rows(page).count(), 5);

    const filters = page.getByRole('form', { name: 'Filter ENIs' });
    await filters.getByLabel('VPC').selectOption(net.vpcId);
    await filters.getByLabel('vSwitch').selectOption(net.vswitchB);
    await page.getByText('3 in all · page 1 of 1').waitFor();
    assert.deepEqual((await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-eni')))).sort(), [...taggedIds].sort());

    await filters.getByRole('button', { name: 'Reset' }).click();
    await page.getByText('25 in all · page 1 of 2').waitFor();
    await filters.getByLabel('Tag key').fill('env');
    await filters.getByLabel('Tag value').fill('prod');
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.getByText('3 in all · page 1 of 1').waitFor();
    assert.match(await row(page, taggedIds[0]!).innerText(), /env:prod/);

    await filters.getByRole('button', { name: 'Reset' }).click();
    await filters.getByLabel('Type').selectOption('Primary');
    await page.getByText('No ENIs match these filters.').waitFor();
    await filters.getByLabel('Type').selectOption('Secondary');
    await filters.getByLabel('Status').selectOption('Available');
    await page.getByText('25 in all · page 1 of 2').waitFor();

    const ip = (
      await call<{ NetworkInterfaceSets: { NetworkInterfaceSet: { PrivateIpAddress: string }[] } }>(page, 'Ecs', 'DescribeNetworkInterfaces', {
        NetworkInterfaceId: [taggedIds[1]],
      })
    ).NetworkInterfaceSets.NetworkInterfaceSet[0]!.PrivateIpAddress;
    await filters.getByLabel('Private IP address').fill(ip);
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 in all · page 1 of 1').waitFor();
    assert.equal(await row(page, taggedIds[1]!).count(), 1);
    await filters.getByRole('button', { name: 'Reset' }).click();
    await page.getByText('25 in all · page 1 of 2').waitFor();
  });

  it('creates an ENI through the Create an ENI dialog, seen through the API', async (t) => {
    if (!ready) return t.skip('no Chromium');
    await page.getByRole('button', { name: 'Create an ENI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an ENI' });
    await dialog.getByLabel('VPC', { exact: true }).selectOption(net.vpcId);
    await dialog.getByLabel('vSwitch', { exact: true }).selectOption(net.vswitchA);
    assert.match(await dialog.getByLabel('vSwitch', { exact: true }).locator('option:checked').innerText(), /cn-hangzhou-i · 192\.168\.1\.0\/24 · \d+ free/);
    await dialog.getByLabel('Security groups').selectOption([net.sg, net.sg2]);
    await dialog.getByLabel('Specify an address').first().check();
    await dialog.getByLabel('Primary private IP address').fill('192.168.1.200');
    await dialog.getByLabel('By address').check();
    await dialog.getByLabel('Secondary IP address 1', { exact: true }).fill('192.168.1.201');
    await dialog.getByRole('button', { name: 'Add address' }).click();
    await dialog.getByLabel('Secondary IP address 2', { exact: true }).fill('192.168.1.202');
    await dialog.getByLabel('ENI name').fill('web-eni');
    await dialog.getByLabel('Description').fill('made in the console');
    await dialog.getByRole('button', { name: 'Add tag' }).click();
    await dialog.getByLabel('Tag 1 key').fill('team');
    await dialog.getByLabel('Tag 1 value').fill('net');
    await assertAccessible(page, 'Create an ENI dialog');
    await screenshot(page, 'create-eni');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Created eni-' });
    await notice.waitFor();
    created = /eni-[a-z0-9]+/.exec(await notice.innerText())![0];

    const answer = await ecsClient(server).describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [created] }));
    const eni = answer.body!.networkInterfaceSets!.networkInterfaceSet![0]!;
    assert.equal(eni.networkInterfaceName, 'web-eni');
    assert.equal(eni.description, 'made in the console');
    assert.equal(eni.privateIpAddress, '192.168.1.200');
    assert.deepEqual(eni.privateIpSets!.privateIpSet!.map((ip) => ip.privateIpAddress).sort(), ['192.168.1.200', '192.168.1.201', '192.168.1.202']);
    assert.deepEqual(eni.securityGroupIds!.securityGroupId!.sort(), [net.sg, net.sg2].sort());
    assert.deepEqual(
      eni.tags!.tag!.map((x) => [x.tagKey, x.tagValue]),
      [['team', 'net']],
    );
    await filterBy(page, { 'Private IP address': '192.168.1.200' });
    await row(page, created).waitFor();
  });

  it('refuses more than 10 addresses on an unattached ENI, with the server’s code in the dialog', async (t) => {
    if (!ready) return t.skip('no Chromium');
    await page.getByRole('button', { name: 'Create an ENI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an ENI' });
    await dialog.getByLabel('VPC', { exact: true }).selectOption(net.vpcId);
    await dialog.getByLabel('vSwitch', { exact: true }).selectOption(net.vswitchA);
    await dialog.getByLabel('Security groups').selectOption([net.sg]);
    await dialog.getByLabel('By count').check();
    // The declaration's maximum for one request (49) is the input's; the 10-address rule is the server's.
    assert.equal(await dialog.getByLabel('Secondary private IP address count').getAttribute('max'), '49');
    await dialog.getByLabel('Secondary private IP address count').fill('10');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const alert = dialog.getByRole('alert');
    await alert.getByText('InvalidOperation.Ipv4CountExceeded').waitFor();
    assert.match(await alert.innerText(), /an unattached ENI holds at most 10/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('manages secondary private IP addresses: assign by count and by address, unassign, the limit in force', async (t) => {
    if (!ready) return t.skip('no Chromium');
    await filterBy(page, { 'Private IP address': '192.168.1.200' });
    await page.getByRole('button', { name: `Manage Secondary Private IP Address of ENI ${created}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Manage Secondary Private IP Address' });
    await dialog.getByText('Limit in force: 10 private IP addresses (3 in use): an unattached ENI holds at most 10.').waitFor();
    await assertAccessible(page, 'Manage Secondary Private IP Address dialog');

    await dialog.getByRole('button', { name: 'Assign New IP' }).click();
    await dialog.getByRole('button', { name: 'Assign New IP' }).click();
    await dialog.getByRole('group', { name: 'New IP 2' }).getByLabel('Specify an address').check();
    await dialog.getByLabel('New IP 2 address').fill('192.168.1.210');
    await dialog.getByRole('button', { name: 'Modify' }).click();
    await dialog.getByText('(5 in use)').waitFor();
    await dialog.getByRole('cell', { name: '192.168.1.210', exact: true }).waitFor();

    await dialog.getByRole('button', { name: 'Unassign 192.168.1.201' }).click();
    await dialog.getByText('(4 in use)').waitFor();
    assert.equal(await dialog.getByRole('cell', { name: '192.168.1.201', exact: true }).count(), 0);

    // Beyond the limit anyway, through a count: the server's refusal.
    await dialog.getByRole('button', { name: 'Assign New IP' }).click();
    await dialog.getByLabel('New IP 1 count').fill('7');
    await dialog.getByRole('button', { name: 'Modify' }).click();
    await dialog.getByRole('alert').getByText('InvalidOperation.Ipv4CountExceeded').waitFor();

    // Up to the limit: then Assign New IP is disabled and the reason shown.
    await dialog.getByLabel('New IP 1 count').fill('6');
    await dialog.getByRole('button', { name: 'Modify' }).click();
    await dialog.getByText('(10 in use)').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Assign New IP' }).isDisabled(), true);
    await dialog.getByText('Limit of 10 reached: an unattached ENI holds at most 10.').waitFor();
    await screenshot(page, 'manage-secondary-ips');

    const answer = await ecsClient(server).describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [created] }));
    const ips = answer.body!.networkInterfaceSets!.networkInterfaceSet![0]!.privateIpSets!.privateIpSet!.map((ip) => ip.privateIpAddress);
    assert.equal(ips.length, 10);
    assert.ok(ips.includes('192.168.1.210') && !ips.includes('192.168.1.201'));
    await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();
  });

  it('modifies an ENI’s name, description and security groups', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const target = taggedIds[2]!;
    await filterBy(page, { 'Tag key': 'env', 'Tag value': 'prod' });
    await page.getByRole('button', { name: `Modify ENI ${target}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Modify ENI' });
    await assertAccessible(page, 'Modify ENI dialog');
    await dialog.getByLabel('ENI name').fill('renamed');
    await dialog.getByLabel('Description').fill('new words');
    await dialog.getByLabel('Security groups').selectOption([net.sg2]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row(page, target).getByText('renamed').waitFor();
    const eni = (await ecsClient(server).describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [target] }))).body!
      .networkInterfaceSets!.networkInterfaceSet![0]!;
    assert.equal(eni.description, 'new words');
    assert.deepEqual(eni.securityGroupIds!.securityGroupId, [net.sg2]);

    // A refusal stays in the dialog: a one-letter name is the server’s to refuse.
    await page.getByRole('button', { name: `Modify ENI ${target}` }).click();
    await dialog.getByLabel('ENI name').fill('x');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').waitFor();
    assert.match(await dialog.getByRole('alert').innerText(), /InvalidNetworkInterfaceName\.Malformed|InvalidParameter/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('associates an EIP with an ENI and unassociates it', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const target = taggedIds[0]!;
    await filterBy(page, { 'Tag key': 'env', 'Tag value': 'prod' });
    const { AllocationId, EipAddress } = await call<{ AllocationId: string; EipAddress: string }>(page, 'Vpc', 'AllocateEipAddress', {});
    await page.getByRole('button', { name: `Associate EIP with ENI ${target}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Associate an EIP' });
    await dialog.getByLabel('EIP', { exact: true }).selectOption(AllocationId);
    await assertAccessible(page, 'Associate an EIP dialog');
    await dialog.getByRole('button', { name: 'Associate' }).click();
    await row(page, target).getByText(EipAddress).waitFor();
    const eip = await call<{ EipAddresses: { EipAddress: { InstanceId: string; InstanceType: string }[] } }>(page, 'Vpc', 'DescribeEipAddresses', {
      AllocationId: [AllocationId],
    });
    assert.equal(eip.EipAddresses.EipAddress[0]!.InstanceId, target);
    assert.equal(eip.EipAddresses.EipAddress[0]!.InstanceType, 'NetworkInterface');

    await page.getByRole('button', { name: `Unassociate EIP from ENI ${target}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Unassociate EIP' });
    await assertAccessible(page, 'Unassociate EIP dialog');
    await confirm.getByRole('button', { name: 'Unassociate' }).click();
    await page.getByRole('button', { name: `Associate EIP with ENI ${target}` }).waitFor();
    assert.equal(await row(page, target).getByText(EipAddress).count(), 0);
  });

  it('stays usable on a narrow window: navigation and table reachable', async (t) => {
    if (!ready) return t.skip('no Chromium');
    await page.setViewportSize({ width: 420, height: 800 });
    await page.reload();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'ENIs' }).waitFor();
    await rows(page).first().waitFor();
    const region = page.getByRole('region', { name: /^ENIs in .*, scrollable$/ });
    await region.focus();
    await page.keyboard.press('End');
    await page.getByRole('button', { name: 'Create an ENI' }).click();
    await page.getByRole('dialog', { name: 'Create an ENI' }).getByRole('button', { name: 'Cancel' }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
