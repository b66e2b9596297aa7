import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { assertAccessible, browserAvailable, consoleCall, launchBrowser, newConsolePage, screenshot, signIn } from './harness.ts';

/**
 * The network pages in a real browser: VPCs, vSwitches (with each one's address use), security
 * groups and their rules, EIPs. VPC creation and EIP association take 1.2 s on this server, so the
 * pages' live states (Pending, Associating) are seen for real.
 */

const ZONE = 'cn-hangzhou-i';

/** A console call that must succeed (seeding); a refusal fails the test with the server's code. */
async function call<T = Record<string, unknown>>(page: Page, product: string, action: string, params: Record<string, unknown> = {}): Promise<T> {
  const answer = await consoleCall<T & { Code?: string; Message?: string }>(page, product, action, params);
  assert.equal(answer.Code, undefined, `${action}: ${answer.Code}: ${answer.Message}`);
  return answer;
}

async function untilVpcAvailable(page: Page, vpcId: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { Vpcs } = await call<{ Vpcs: { Vpc: { Status: string }[] } }>(page, 'Vpc', 'DescribeVpcs', { VpcId: [vpcId] });
    if (Vpcs.Vpc[0]?.Status === 'Available') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${vpcId} never became Available`);
}

describe('console network pages', () => {
  let server: RunningServer;
  let browser: Browser;
  let ready = false;
  const seeded = { vpcId: '', vswitchId: '', groupId: '', eniId: '' };

  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    [server, browser] = await Promise.all([startServer({ args: ['--delays', 'none,vpcCreate=1200,eipAssociate=1200'] }), launchBrowser()]);
    // One VPC with a vSwitch, a security group and an ENI holding two secondary addresses.
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY);
    seeded.vpcId = (await call<{ VpcId: string }>(page, 'Vpc', 'CreateVpc', { CidrBlock: '192.168.0.0/16', VpcName: 'seeded' })).VpcId;
    await untilVpcAvailable(page, seeded.vpcId);
    seeded.vswitchId = (
      await call<{ VSwitchId: string }>(page, 'Vpc', 'CreateVSwitch', {
        VpcId: seeded.vpcId,
        ZoneId: ZONE,
        CidrBlock: '192.168.1.0/24',
        VSwitchName: 'seeded-vsw',
      })
    ).VSwitchId;
    seeded.groupId = (
      await call<{ SecurityGroupId: string }>(page, 'Ecs', 'CreateSecurityGroup', { VpcId: seeded.vpcId, SecurityGroupName: 'seeded-sg' })
    ).SecurityGroupId;
    seeded.eniId = (
      await call<{ NetworkInterfaceId: string }>(page, 'Ecs', 'CreateNetworkInterface', {
        VSwitchId: seeded.vswitchId,
        SecurityGroupId: seeded.groupId,
        SecondaryPrivateIpAddressCount: 2,
        NetworkInterfaceName: 'seeded-eni',
      })
    ).NetworkInterfaceId;
    await context.close();
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function open(path: string, viewport?: { width: number; height: number }) {
    const opened = await newConsolePage(browser, viewport);
    await signIn(opened.page, server, TEST_KEY, path);
    return opened;
  }

  it('VPCs: creates one (Pending, then Available, live), refuses a malformed CIDR, renames, deletes, and shows DependencyViolation', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await open('vpcs');
    await page.getByRole('heading', { name: 'VPCs' }).waitFor();
    await page.getByRole('row').filter({ hasText: seeded.vpcId }).waitFor();

    await page.getByRole('button', { name: 'Create VPC' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create VPC' });
    await dialog.getByLabel('Name').fill('web-vpc');
    await dialog.getByLabel('IPv4 CIDR block').fill('10.0.0.1/8');
    await assertAccessible(page, 'Create VPC dialog');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByRole('alert').getByText('InvalidCidrBlock.Malformed').waitFor();
    await dialog.getByLabel('IPv4 CIDR block').fill('10.0.0.0/8');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'web-vpc' });
    await row.getByText('Pending').waitFor();
    await row.getByText('Available').waitFor();
    const vpcId = (await row.locator('code').first().innerText()).trim();
    assert.match(vpcId, /^vpc-/);

    await page.getByRole('button', { name: `Modify ${vpcId}` }).click();
    const modify = page.getByRole('dialog', { name: `Modify VPC ${vpcId}` });
    await modify.getByLabel('Name').fill('web-vpc-renamed');
    await modify.getByLabel('Description').fill('the web tier');
    await assertAccessible(page, 'Modify VPC dialog');
    await modify.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row').filter({ hasText: 'web-vpc-renamed' }).getByText('the web tier').waitFor();

    // The seeded VPC holds a vSwitch: the cloud refuses, and says so in the dialog.
    await page.getByRole('button', { name: `Delete ${seeded.vpcId}` }).click();
    const refuse = page.getByRole('dialog', { name: 'Delete VPC' });
    await refuse.getByRole('button', { name: 'Delete' }).click();
    await refuse.getByRole('alert').getByText('DependencyViolation.VSwitch').waitFor();
    await assertAccessible(page, 'Delete VPC dialog with a refusal');
    await refuse.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: `Delete ${vpcId}` }).click();
    await page.getByRole('dialog', { name: 'Delete VPC' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('row').filter({ hasText: vpcId }).waitFor({ state: 'detached' });
    await assertAccessible(page, 'VPCs page');
    await screenshot(page, 'vpcs');
    await context.close();
  });

  it('vSwitches: address use as a picture (used, free, reserved), create with a refusal, modify, delete refused while an ENI uses it', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await open('vswitches');
    await page.getByRole('heading', { name: 'vSwitches' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: seeded.vswitchId });
    // A /24: 256 addresses, 4 the cloud reserves, 3 on the seeded ENI (primary and two secondary).
    await row.getByRole('img', { name: '192.168.1.0/24: 3 used, 249 free, 4 reserved of 256 addresses' }).waitFor();
    await row.getByText('192.168.1.0, 192.168.1.253, 192.168.1.254, 192.168.1.255 (gateway 192.168.1.253)').waitFor();
    assert.match(await row.innerText(), /cn-hangzhou-i[\s\S]*249/);

    await page.getByRole('button', { name: 'Create vSwitch' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create vSwitch' });
    await dialog.getByLabel('VPC', { exact: true }).selectOption(seeded.vpcId);
    await dialog.getByLabel('Zone').selectOption(ZONE);
    await dialog.getByLabel('IPv4 CIDR block').fill('10.1.0.0/24');
    await dialog.getByLabel('Name').fill('second-vsw');
    await assertAccessible(page, 'Create vSwitch dialog');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByRole('alert').getByText('InvalidParameter').waitFor();
    assert.match(await dialog.getByRole('alert').innerText(), /not valid in VPC \(192\.168\.0\.0\/16\)/);
    await dialog.getByLabel('IPv4 CIDR block').fill('192.168.2.0/28');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const created = page.getByRole('row').filter({ hasText: 'second-vsw' });
    await created.getByRole('img', { name: '192.168.2.0/28: 0 used, 12 free, 4 reserved of 16 addresses' }).waitFor();

    // The VPC filter narrows the table.
    await page.getByLabel('VPC', { exact: true }).selectOption(seeded.vpcId);
    await page.getByRole('row').filter({ hasText: 'second-vsw' }).waitFor();

    const newId = (await created.locator('code').first().innerText()).trim();
    await page.getByRole('button', { name: `Modify ${newId}` }).click();
    const modify = page.getByRole('dialog', { name: `Modify vSwitch ${newId}` });
    await modify.getByLabel('Name').fill('renamed-vsw');
    await assertAccessible(page, 'Modify vSwitch dialog');
    await modify.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row').filter({ hasText: 'renamed-vsw' }).waitFor();

    await page.getByRole('button', { name: `Delete ${seeded.vswitchId}` }).click();
    const refuse = page.getByRole('dialog', { name: 'Delete vSwitch' });
    await refuse.getByRole('button', { name: 'Delete' }).click();
    await refuse.getByRole('alert').getByText('DependencyViolation').waitFor();
    await refuse.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: `Delete ${newId}` }).click();
    await page.getByRole('dialog', { name: 'Delete vSwitch' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('row').filter({ hasText: newId }).waitFor({ state: 'detached' });
    await assertAccessible(page, 'vSwitches page');
    await screenshot(page, 'vswitches');
    await context.close();
  });

  it('security groups: create, modify, rules inbound and outbound (a bad port range refused), modify a rule in place, delete a rule, delete refused while in use', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await open('security-groups');
    await page.getByRole('heading', { name: 'Security groups' }).waitFor();
    await page.getByRole('button', { name: 'Create Security Group' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Security Group' });
    await dialog.getByLabel('VPC', { exact: true }).selectOption(seeded.vpcId);
    await dialog.getByLabel('Name').fill('web-sg');
    await dialog.getByLabel('Description').fill('web servers');
    await dialog.getByLabel('Security group type').selectOption('enterprise');
    await assertAccessible(page, 'Create Security Group dialog');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'web-sg' });
    await row.getByText('Advanced (enterprise)').waitFor();
    await page.getByLabel('VPC', { exact: true }).selectOption(seeded.vpcId);
    await page.getByRole('row').filter({ hasText: 'seeded-sg' }).waitFor();
    await assertAccessible(page, 'Security groups page');
    await screenshot(page, 'security-groups');

    // Modify: a malformed name is the server's refusal, shown in the dialog; a good change lands.
    const webId = (await row.getByRole('link').first().innerText()).trim();
    await page.getByRole('button', { name: `Modify ${webId}` }).click();
    const modify = page.getByRole('dialog', { name: `Modify security group ${webId}` });
    await modify.getByLabel('Name').fill('http://web-sg');
    await assertAccessible(page, 'Modify security group dialog');
    await modify.getByRole('button', { name: 'Save' }).click();
    await modify.getByRole('alert').getByText('InvalidSecurityGroupName.Malformed').waitFor();
    await modify.getByLabel('Name').fill('web-sg');
    await modify.getByLabel('Description').fill('web servers, port 443');
    await modify.getByRole('button', { name: 'Save' }).click();
    await modify.waitFor({ state: 'hidden' });
    await row.getByText('web servers, port 443').waitFor();
    const modified = await call<{ SecurityGroupName: string; Description: string }>(page, 'Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: webId });
    assert.deepEqual([modified.SecurityGroupName, modified.Description], ['web-sg', 'web servers, port 443']);

    // The seeded group holds an ENI: deleting it is refused.
    await page.getByRole('button', { name: `Delete ${seeded.groupId}` }).click();
    const refuse = page.getByRole('dialog', { name: 'Delete security group' });
    await refuse.getByRole('button', { name: 'Delete' }).click();
    await refuse.getByRole('alert').getByText('DependencyViolation').waitFor();
    await refuse.getByRole('button', { name: 'Cancel' }).click();

    await row.getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Security group web-sg' }).waitFor();
    const inbound = page.getByRole('region', { name: 'Inbound rules', exact: true });
    const outbound = page.getByRole('region', { name: 'Outbound rules', exact: true });

    await inbound.getByRole('button', { name: 'Add inbound rule' }).click();
    const add = page.getByRole('dialog', { name: 'Add inbound rule' });
    await add.getByLabel('Protocol').selectOption('TCP');
    await add.getByLabel('Port range').fill('443/80');
    await add.getByLabel('Source CIDR block').fill('10.0.0.0/8');
    await add.getByLabel('Priority').fill('5');
    await add.getByLabel('Description').fill('https');
    await assertAccessible(page, 'Add inbound rule dialog');
    await add.getByRole('button', { name: 'Add rule' }).click();
    await add.getByRole('alert').getByText('InvalidParam.PortRange').waitFor();
    await add.getByLabel('Port range').fill('80/443');
    await add.getByRole('button', { name: 'Add rule' }).click();
    await add.waitFor({ state: 'hidden' });
    const inboundRow = inbound.getByRole('row').filter({ hasText: '80/443' });
    await inboundRow.getByText('10.0.0.0/8').waitFor();
    assert.match(await inboundRow.innerText(), /accept\s+5\s+TCP/i);

    // Advanced (enterprise) groups take no rule naming another group: the server says so.
    await outbound.getByRole('button', { name: 'Add outbound rule' }).click();
    const addOut = page.getByRole('dialog', { name: 'Add outbound rule' });
    await addOut.getByLabel('Protocol').selectOption('ALL');
    await addOut.getByRole('radio', { name: 'Security group' }).check();
    await addOut.getByLabel('Destination security group').selectOption(seeded.groupId);
    await addOut.getByRole('button', { name: 'Add rule' }).click();
    await addOut.getByRole('alert').getByText('InvalidGroupAuthParameter.OperationDenied').waitFor();
    await addOut.getByRole('radio', { name: 'CIDR block' }).check();
    await addOut.getByLabel('Destination CIDR block').fill('192.168.9.0/24');
    await addOut.getByRole('button', { name: 'Add rule' }).click();
    await addOut.waitFor({ state: 'hidden' });
    await outbound.getByRole('row').filter({ hasText: '192.168.9.0/24' }).getByText('ALL').waitFor();
    await assertAccessible(page, 'Security group rules');
    await screenshot(page, 'security-group-rules');

    const ruleId = (await inboundRow.locator('code').innerText()).trim();
    // Modify the rule in place (ModifySecurityGroupRule by its ID): a priority out of range is the
    // server's refusal; then the new priority, port and description land on the same rule ID.
    await inbound.getByRole('button', { name: `Modify rule ${ruleId}` }).click();
    const edit = page.getByRole('dialog', { name: `Modify inbound rule ${ruleId}` });
    assert.equal(await edit.getByLabel('Port range').inputValue(), '80/443');
    assert.equal(await edit.getByRole('radio', { name: 'Security group' }).isDisabled(), true);
    await edit.getByLabel('Priority').fill('101');
    await assertAccessible(page, 'Modify inbound rule dialog');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByRole('alert').getByText('InvalidPriority.ValueNotSupported').waitFor();
    await edit.getByLabel('Priority').fill('7');
    await edit.getByLabel('Port range').fill('443/443');
    await edit.getByLabel('Description').fill('https only');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    const editedRow = inbound.getByRole('row').filter({ hasText: ruleId });
    await editedRow.getByText('https only').waitFor();
    assert.match(await editedRow.innerText(), /accept\s+7\s+TCP\s+443\/443\s+10\.0\.0\.0\/8/i);
    const webGroupId = await page.locator('p code').first().innerText();
    const afterModify = await call<{
      Permissions: { Permission: { SecurityGroupRuleId: string; Priority: string; PortRange: string; Description: string }[] };
    }>(page, 'Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: webGroupId, Direction: 'ingress' });
    const modifiedRule = afterModify.Permissions.Permission.find((p) => p.SecurityGroupRuleId === ruleId);
    assert.deepEqual([modifiedRule?.Priority, modifiedRule?.PortRange, modifiedRule?.Description], ['7', '443/443', 'https only']);

    await inbound.getByRole('button', { name: `Delete rule ${ruleId}` }).click();
    await page.getByRole('dialog', { name: 'Delete rule' }).getByRole('button', { name: 'Delete' }).click();
    await inbound.getByRole('row').filter({ hasText: ruleId }).waitFor({ state: 'detached' });
    const attribute = await call<{ Permissions: { Permission: { Direction: string }[] } }>(page, 'Ecs', 'DescribeSecurityGroupAttribute', {
      SecurityGroupId: await page.locator('p code').first().innerText(),
      Direction: 'all',
    });
    assert.deepEqual(
      attribute.Permissions.Permission.map((p) => p.Direction),
      ['egress'],
    );
    await context.close();
  });

  it('EIPs: create (a bad bandwidth refused), associate with an ENI (Associating, live), modify, release refused while bound, unassociate, release', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await open('eips');
    await page.getByRole('heading', { name: 'EIPs' }).waitFor();
    await page.getByRole('button', { name: 'Create EIP' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create EIP' });
    await dialog.getByLabel('Name').fill('web-eip');
    await dialog.getByLabel('Bandwidth (Mbit/s)').fill('999');
    await dialog.getByLabel('Metering method').selectOption('PayByTraffic');
    await assertAccessible(page, 'Create EIP dialog');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByRole('alert').getByText('InvalidParameter').waitFor();
    assert.match(await dialog.getByRole('alert').innerText(), /between 1 and 200 Mbit\/s/);
    await dialog.getByLabel('Bandwidth (Mbit/s)').fill('10');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: 'web-eip' });
    await row.getByText('Available').waitFor();
    const allocationId = (await row.locator('code').first().innerText()).trim();

    await page.getByRole('button', { name: `Associate ${allocationId}` }).click();
    const associate = page.getByRole('dialog', { name: /^Associate EIP/ });
    await associate.getByRole('combobox', { name: 'ENI', exact: true }).selectOption(seeded.eniId);
    const { NetworkInterfaceSets } = await call<{
      NetworkInterfaceSets: { NetworkInterfaceSet: { PrivateIpSets: { PrivateIpSet: { PrivateIpAddress: string; Primary: boolean }[] } }[] };
    }>(page, 'Ecs', 'DescribeNetworkInterfaces', { NetworkInterfaceId: [seeded.eniId] });
    const secondary = NetworkInterfaceSets.NetworkInterfaceSet[0]!.PrivateIpSets.PrivateIpSet.find((p) => !p.Primary)!.PrivateIpAddress;
    await associate.getByLabel('Private IP address').selectOption(secondary);
    await assertAccessible(page, 'Associate EIP dialog');
    await associate.getByRole('button', { name: 'Associate', exact: true }).click();
    await associate.waitFor({ state: 'hidden' });
    await row.getByText('Associating').waitFor();
    await row.getByText('InUse').waitFor();
    assert.match(await row.innerText(), new RegExp(`${seeded.eniId}[\\s\\S]*ENI · ${secondary.replace(/\./g, '\\.')}`));

    // Modify (ModifyEipAddressAttribute) while bound: a bandwidth out of range is refused in the
    // dialog; a new name and bandwidth land.
    await page.getByRole('button', { name: `Modify ${allocationId}` }).click();
    const modify = page.getByRole('dialog', { name: `Modify EIP ${allocationId}` });
    await modify.getByLabel('Bandwidth (Mbit/s)').fill('0');
    await assertAccessible(page, 'Modify EIP dialog');
    await modify.getByRole('button', { name: 'Save' }).click();
    await modify.getByRole('alert').getByText('InvalidParameter').waitFor();
    await modify.getByLabel('Bandwidth (Mbit/s)').fill('20');
    await modify.getByLabel('Name').fill('web-eip-20');
    await modify.getByRole('button', { name: 'Save' }).click();
    await modify.waitFor({ state: 'hidden' });
    const renamed = page.getByRole('row').filter({ hasText: allocationId });
    await renamed.getByText('web-eip-20').waitFor();
    await renamed.getByText('20 Mbit/s').waitFor();
    const described = await call<{ EipAddresses: { EipAddress: { Name: string; Bandwidth: string }[] } }>(page, 'Vpc', 'DescribeEipAddresses', {
      AllocationId: [allocationId],
    });
    assert.deepEqual([described.EipAddresses.EipAddress[0]?.Name, described.EipAddresses.EipAddress[0]?.Bandwidth], ['web-eip-20', '20']);

    await page.getByRole('button', { name: `Release ${allocationId}` }).click();
    const refuse = page.getByRole('dialog', { name: 'Release EIP' });
    await refuse.getByRole('button', { name: 'Release' }).click();
    await refuse.getByRole('alert').getByText('IncorrectEipStatus').waitFor();
    await refuse.getByRole('button', { name: 'Cancel' }).click();
    await assertAccessible(page, 'EIPs page');
    await screenshot(page, 'eips');

    await page.getByRole('button', { name: `Unassociate ${allocationId}` }).click();
    await page.getByRole('dialog', { name: 'Unassociate EIP' }).getByRole('button', { name: 'Unassociate' }).click();
    await row.getByText('Unassociating').waitFor();
    await row.getByText('Available').waitFor();
    await page.getByRole('button', { name: `Release ${allocationId}` }).click();
    await page.getByRole('dialog', { name: 'Release EIP' }).getByRole('button', { name: 'Release' }).click();
    await page.getByRole('row').filter({ hasText: allocationId }).waitFor({ state: 'detached' });
    await context.close();
  });

  it('stays usable in a narrow window: navigation and the vSwitches table reachable', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await open('vswitches', { width: 420, height: 800 });
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'VPCs' }).click();
    await page.getByRole('heading', { name: 'VPCs' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: seeded.vpcId });
    await row.waitFor();
    await row.getByRole('button', { name: `Modify ${seeded.vpcId}` }).scrollIntoViewIfNeeded();
    assert.ok(await row.getByRole('button', { name: `Modify ${seeded.vpcId}` }).isVisible());
    await page.getByRole('button', { name: 'Create VPC' }).click();
    const box = await page.getByRole('dialog', { name: 'Create VPC' }).boundingBox();
    assert.ok(box && box.width <= 420, 'the dialog fits the window');
    await assertAccessible(page, 'VPCs page at 420×800');
    await context.close();
  });
});
