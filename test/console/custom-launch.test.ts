import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { assertAccessible, browserAvailable, consoleCall, launchBrowser, newConsolePage, screenshot, signIn } from './harness.ts';
import { createEni, describeInstance, eni, enisOf, HOTPLUG_TYPE, metadata, NO_HOTPLUG_TYPE, seedNetwork, UBUNTU, type Network } from './instance-fixtures.ts';

/** The new instance's ID, once Launch has taken the page to it. */
async function launchedId(page: Page): Promise<string> {
  await page.waitForURL(/\/console\/instances\/i-[a-z0-9]+$/);
  return page.url().split('/').pop()!;
}

describe('console: Custom Launch', () => {
  let server: RunningServer;
  let browser: Browser;
  let net: Network;
  let ready = false;
  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    net = await seedNetwork(server);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** Zone, VPC, type (its quotas shown) and image, as the first part of the form. */
  async function fillPlacement(page: Page, type: string) {
    await page.getByRole('heading', { name: 'Custom Launch' }).waitFor();
    await page.getByLabel('Zone').locator('option[value="cn-hangzhou-i"]').waitFor({ state: 'attached' });
    // Zones are named in the console's language (DescribeZones AcceptLanguage=en-US).
    assert.match(await page.getByLabel('Zone').locator('option[value="cn-hangzhou-i"]').innerText(), /^Hangzhou Zone I \(cn-hangzhou-i\)$/);
    await page.getByLabel('Zone').selectOption('cn-hangzhou-i');
    await page.getByLabel('VPC').selectOption(net.vpcId);
    await page.getByLabel('Instance type').selectOption(type);
    await page.getByLabel('Image').selectOption(UBUNTU);
  }

  it('launches with a security group (a new primary ENI) and secondary ENIs, new and existing', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const existing = await createEni(server, net.vswitchI, net.sg, 'launch-existing');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY, 'instances');
    await page.getByRole('link', { name: 'Custom Launch' }).click();
    await fillPlacement(page, HOTPLUG_TYPE);
    // The type's ENI and per-ENI address quotas, from DescribeInstanceTypes.
    await page.getByText('ENI quota 3 (the primary one included) · 6 private IPs per ENI').waitFor();
    assert.equal(await page.getByLabel('Security group (a new primary ENI)').isChecked(), true);
    await page.getByLabel('vSwitch').selectOption(net.vswitchI);
    await page.getByLabel('Security groups').selectOption([net.sg]);
    await page.getByLabel('Instance name').fill('launched-sg');
    await page.getByRole('button', { name: 'Add secondary ENI' }).click();
    await page.getByLabel('New ENI name 1').fill('launch-new');
    await page.getByRole('button', { name: 'Add secondary ENI' }).click();
    await page.getByLabel('Secondary ENI 2').selectOption('existing');
    await page.getByLabel('Existing ENI 2').selectOption(existing);
    await assertAccessible(page, 'Custom Launch page');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'custom-launch');
    await page.getByRole('button', { name: 'Launch' }).click();

    const id = await launchedId(page);
    await page.getByRole('heading', { name: `Instance ${id} (launched-sg)` }).waitFor();
    const inst = (await describeInstance(server, id))!;
    assert.equal(inst.instanceName, 'launched-sg');
    assert.equal(inst.vpcAttributes!.vSwitchId, net.vswitchI);
    assert.deepEqual(inst.securityGroupIds!.securityGroupId, [net.sg]);
    const enis = await enisOf(server, id);
    assert.equal(enis.length, 3);
    assert.equal(enis.filter((e) => e.type === 'Primary').length, 1);
    assert.ok(enis.some((e) => e.networkInterfaceId === existing && e.type === 'Secondary'));
    assert.ok(enis.some((e) => e.networkInterfaceName === 'launch-new' && e.type === 'Secondary'));
    // The guest sees all three NICs in its metadata.
    const macs = await metadata(server, id, 'network/interfaces/macs/');
    assert.equal(macs.status, 200);
    assert.equal(macs.body.split('\n').length, 3);
    await context.close();
  });

  it('launches with an existing ENI as the primary ENI, never together with a security group', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const primary = await createEni(server, net.vswitchI, net.sg, 'as-primary');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY, 'instances/launch');
    await fillPlacement(page, HOTPLUG_TYPE);
    await page.getByLabel('Existing ENI as the primary ENI').check();
    // The form offers one or the other: the security group and vSwitch pickers are gone.
    assert.equal(await page.getByLabel('Security groups').count(), 0);
    assert.equal(await page.getByLabel('vSwitch').count(), 0);
    await page.getByLabel('Primary ENI', { exact: true }).selectOption(primary);
    await page.getByLabel('Instance name').fill('launched-eni');
    await assertAccessible(page, 'Custom Launch, existing primary ENI');
    await page.getByRole('button', { name: 'Launch' }).click();

    const id = await launchedId(page);
    const enis = await enisOf(server, id);
    assert.equal(enis.length, 1);
    assert.equal(enis[0]!.networkInterfaceId, primary);
    assert.equal(enis[0]!.type, 'Primary');
    const attrs = await eni(server, primary);
    assert.equal((await metadata(server, id, 'mac')).body, attrs.macAddress);
    assert.equal((await metadata(server, id, 'private-ipv4')).body, attrs.privateIpAddress);

    // Both at once, sent past the form: the server refuses, as the seed's Important note says.
    const other = await createEni(server, net.vswitchI, net.sg, 'not-both');
    const both = await consoleCall<{ Code: string; Message: string }>(page, 'Ecs', 'RunInstances', {
      InstanceType: HOTPLUG_TYPE,
      ImageId: UBUNTU,
      VSwitchId: net.vswitchI,
      SecurityGroupIds: [net.sg],
      NetworkInterface: [{ InstanceType: 'Primary', NetworkInterfaceId: other }],
    });
    assert.equal(both.Code, 'InvalidParam.NetworkInterface');
    assert.match(both.Message, /leave out the top-level VSwitchId, SecurityGroupId\(s\)/);
    assert.equal((await eni(server, other)).status, 'Available');
    await context.close();
  });

  it('shows the server’s refusal where Launch was clicked: a secondary ENI on a type without hot-plug', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY, 'instances/launch');
    await fillPlacement(page, NO_HOTPLUG_TYPE);
    await page.getByLabel('vSwitch').selectOption(net.vswitchI);
    await page.getByLabel('Security groups').selectOption([net.sg]);
    await page.getByRole('button', { name: 'Add secondary ENI' }).click();
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.getByRole('alert').getByText('InvalidInstanceType.ElasticNetworkInterfaceNotSupported').waitFor();
    assert.match(page.url(), /instances\/launch$/);
    await context.close();
  });
});
