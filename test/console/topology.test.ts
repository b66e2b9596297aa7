import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { assertAccessible, browserAvailable, consoleCall, launchBrowser, newConsolePage, screenshot, signIn } from './harness.ts';

/** The Topology page: VPC → vSwitches by zone → instances → ENIs with addresses and EIPs, live. */

const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

async function call<T = Record<string, unknown>>(page: Page, product: string, action: string, params: Record<string, unknown> = {}): Promise<T> {
  const answer = await consoleCall<T & { Code?: string; Message?: string }>(page, product, action, params);
  assert.equal(answer.Code, undefined, `${action}: ${answer.Code}: ${answer.Message}`);
  return answer;
}

describe('console topology', () => {
  let server: RunningServer;
  let browser: Browser;
  let ready = false;
  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('draws the seeded VPC, vSwitches by zone, the instance, its ENIs with their addresses and the EIP, and follows changes live', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY);
    const vpcId = (await call<{ VpcId: string }>(page, 'Vpc', 'CreateVpc', { CidrBlock: '192.168.0.0/16', VpcName: 'topo-vpc' })).VpcId;
    const vswI = (await call<{ VSwitchId: string }>(page, 'Vpc', 'CreateVSwitch', { VpcId: vpcId, ZoneId: 'cn-hangzhou-i', CidrBlock: '192.168.1.0/24' }))
      .VSwitchId;
    const vswJ = (await call<{ VSwitchId: string }>(page, 'Vpc', 'CreateVSwitch', { VpcId: vpcId, ZoneId: 'cn-hangzhou-j', CidrBlock: '192.168.2.0/24' }))
      .VSwitchId;
    const sg = (await call<{ SecurityGroupId: string }>(page, 'Ecs', 'CreateSecurityGroup', { VpcId: vpcId })).SecurityGroupId;
    const instanceId = (
      await call<{ InstanceIdSets: { InstanceIdSet: string[] } }>(page, 'Ecs', 'RunInstances', {
        ImageId: IMAGE,
        InstanceType: 'ecs.g7.large',
        VSwitchId: vswI,
        SecurityGroupId: sg,
        InstanceName: 'topo-web',
      })
    ).InstanceIdSets.InstanceIdSet[0]!;
    const secondary = (
      await call<{ NetworkInterfaceId: string }>(page, 'Ecs', 'CreateNetworkInterface', {
        VSwitchId: vswI,
        SecurityGroupId: sg,
        PrimaryIpAddress: '192.168.1.50',
        PrivateIpAddress: ['192.168.1.51'],
      })
    ).NetworkInterfaceId;
    await call(page, 'Ecs', 'AttachNetworkInterface', { InstanceId: instanceId, NetworkInterfaceId: secondary });
    const eip = await call<{ AllocationId: string; EipAddress: string }>(page, 'Vpc', 'AllocateEipAddress', {});
    await call(page, 'Vpc', 'AssociateEipAddress', { AllocationId: eip.AllocationId, InstanceId: secondary, InstanceType: 'NetworkInterface' });
    const loose = (await call<{ NetworkInterfaceId: string }>(page, 'Ecs', 'CreateNetworkInterface', { VSwitchId: vswJ, SecurityGroupId: sg }))
      .NetworkInterfaceId;

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Topology' }).click();
    await page.getByRole('heading', { name: 'Topology' }).waitFor();
    const picture = page.getByRole('img', {
      name: new RegExp(`^VPC ${vpcId} \\(192\\.168\\.0\\.0/16\\): 2 vSwitches in 2 zones, 1 instance, 3 ENIs, 1 EIP\\.$`),
    });
    await picture.waitFor();
    const drawn = await picture.locator('text').allTextContents();
    const all = drawn.join('\n');
    for (const expected of [
      vpcId,
      'topo-vpc',
      'Zone cn-hangzhou-i',
      'Zone cn-hangzhou-j',
      vswI,
      vswJ,
      instanceId,
      'topo-web',
      secondary,
      loose,
      '192.168.1.50, 192.168.1.51',
    ])
      assert.ok(all.includes(expected), `the picture shows ${expected}:\n${all}`);
    assert.ok(all.includes(`EIP ${eip.EipAddress} → 192.168.1.50`), `the picture shows the EIP on the ENI's primary address:\n${all}`);
    assert.ok(all.includes('Not attached to an instance'));

    // The text alternative says the same.
    await page.getByText('Topology as text').click();
    const list = page.locator('details.topology-list');
    await list.getByText(`Instance ${instanceId} (ecs.g7.large, Running)`).waitFor();
    await list
      .getByText(
        new RegExp(
          `ENI ${secondary} \\(Secondary, InUse\\): 192\\.168\\.1\\.50, 192\\.168\\.1\\.51; EIP ${eip.EipAddress.replace(/\./g, '\\.')} → 192\\.168\\.1\\.50`,
        ),
      )
      .waitFor();
    await assertAccessible(page, 'Topology page');
    await screenshot(page, 'topology');

    // Live: an ENI created elsewhere appears without a reload, and the summary follows.
    await call(page, 'Ecs', 'CreateNetworkInterface', { VSwitchId: vswJ, SecurityGroupId: sg, PrimaryIpAddress: '192.168.2.77' });
    await page.getByRole('img', { name: /1 instance, 4 ENIs, 1 EIP\.$/ }).waitFor({ timeout: 5000 });
    assert.ok(
      (
        await page
          .getByRole('img', { name: /4 ENIs/ })
          .locator('text')
          .allTextContents()
      ).some((s) => s.includes('192.168.2.77')),
    );
    await context.close();
  });
});
