import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import type { Browser, Page } from 'playwright-core';
import { vpcClient } from '../helpers/clients.ts';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { assertAccessible, browserAvailable, consoleCall, launchBrowser, newConsolePage, screenshot, signIn } from './harness.ts';
import {
  createEni,
  describeInstance,
  enisOf,
  HOTPLUG_TYPE,
  LIVE_DELAYS,
  NO_HOTPLUG_TYPE,
  runInstance,
  seedNetwork,
  TWO_ENI_TYPE,
  REGION,
  type Network,
} from './instance-fixtures.ts';

/** The row of one instance or ENI in a table. */
const row = (page: Page, id: string) => page.getByRole('row').filter({ hasText: id });

describe('console: Instances and an instance’s ENIs tab', () => {
  let server: RunningServer;
  let browser: Browser;
  let net: Network;
  let ready = false;
  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    [server, browser] = await Promise.all([startServer({ args: LIVE_DELAYS }), launchBrowser()]);
    net = await seedNetwork(server);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('lists instances and stops, starts, reboots and releases one, showing each state live', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const id = await runInstance(server, net, { instanceType: HOTPLUG_TYPE, instanceName: 'web-1' });
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY, 'instances');
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    const r = row(page, id);
    await r.getByText('Running', { exact: true }).waitFor();
    await r.getByText('web-1').waitFor();
    await r.getByText(HOTPLUG_TYPE).waitFor();
    await r.getByText('cn-hangzhou-i').waitFor();
    await assertAccessible(page, 'instances page');
    await screenshot(page, 'instances');

    // The instance's Details tab: its type with the ENI and address quotas, placement, addresses.
    await r.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: 'Details' }).waitFor();
    await page.getByText(`${HOTPLUG_TYPE}`).first().waitFor();
    await page.getByText('up to 3 ENIs (the primary one included) · up to 6 private IPs per ENI').waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'Details' }).getAttribute('aria-current'), 'page');
    await assertAccessible(page, 'instance Details tab');
    await screenshot(page, 'instance-details');
    await page.getByRole('link', { name: '← Instances' }).click();
    await r.getByText('Running', { exact: true }).waitFor();

    // Stop: a confirmation, then Stopping → Stopped without a reload.
    await r.getByRole('button', { name: 'Stop' }).click();
    const stopDialog = page.getByRole('dialog', { name: 'Stop instance' });
    await stopDialog.waitFor();
    await assertAccessible(page, 'stop dialog');
    await stopDialog.getByRole('button', { name: 'Stop instance' }).click();
    await r.getByText('Stopping', { exact: true }).waitFor();
    await r.getByText('Stopped', { exact: true }).waitFor();
    assert.equal((await describeInstance(server, id))!.status, 'Stopped');

    // Start: Starting → Running.
    await r.getByRole('button', { name: 'Start' }).click();
    await r.getByText('Starting', { exact: true }).waitFor();
    await r.getByText('Running', { exact: true }).waitFor();

    // Reboot: Stopping, Starting, then Running.
    await r.getByRole('button', { name: 'Reboot' }).click();
    await page.getByRole('dialog', { name: 'Reboot instance' }).getByRole('button', { name: 'Reboot instance' }).click();
    await r.getByText('Stopping', { exact: true }).waitFor();
    await r.getByText('Running', { exact: true }).waitFor({ timeout: 10_000 });

    // Starting a running instance: the cloud's refusal, shown in the row.
    await r.getByRole('button', { name: 'Start' }).click();
    await r.getByRole('alert').getByText('IncorrectInstanceStatus').waitFor();

    // Release without Force while Running: refused; with Force: gone.
    await r.getByRole('button', { name: 'Release' }).click();
    const releaseDialog = page.getByRole('dialog', { name: 'Release instance' });
    await assertAccessible(page, 'release dialog');
    await releaseDialog.getByRole('button', { name: 'Release instance' }).click();
    await r.getByRole('alert').getByText('IncorrectInstanceStatus').waitFor();
    await r.getByRole('button', { name: 'Release' }).click();
    await releaseDialog.getByLabel('Force release a running instance').check();
    await releaseDialog.getByRole('button', { name: 'Release instance' }).click();
    await r.waitFor({ state: 'detached' });
    assert.equal(await describeInstance(server, id), undefined);
    await context.close();
  });

  it('binds a secondary ENI (Attaching → InUse) and unbinds it (Detaching → gone) on the ENIs tab', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const id = await runInstance(server, net, { instanceType: HOTPLUG_TYPE, instanceName: 'bind-target' });
    const joins = await createEni(server, net.vswitchI, net.sg, 'joins');
    const otherZone = await createEni(server, net.vswitchH, net.sg, 'other-zone');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY, `instances/${id}`);
    await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'ENIs' }).click();
    await page.getByRole('heading', { name: 'ENIs' }).waitFor();
    await page.getByRole('cell', { name: 'Primary', exact: true }).waitFor();
    await page.getByText(`1 of 3 ENIs (${HOTPLUG_TYPE}`).waitFor();

    await page.getByRole('button', { name: 'Bind Secondary ENI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bind Secondary ENI' });
    const joinsRadio = dialog.getByRole('radio', { name: new RegExp(joins) });
    const otherRadio = dialog.getByRole('radio', { name: new RegExp(otherZone) });
    await joinsRadio.waitFor();
    assert.equal(await joinsRadio.isEnabled(), true);
    // Another zone: disabled, with AttachNetworkInterface's own code and message.
    assert.equal(await otherRadio.isDisabled(), true);
    assert.match(await dialog.getByText(/InvalidOperation.AvailabilityZoneMismatch/).innerText(), /cn-hangzhou-h.*cn-hangzhou-i/);
    await assertAccessible(page, 'Bind Secondary ENI dialog');
    await screenshot(page, 'bind-secondary-eni');
    // The server says the same when asked directly.
    const refused = await consoleCall<{ Code: string }>(page, 'Ecs', 'AttachNetworkInterface', { InstanceId: id, NetworkInterfaceId: otherZone });
    assert.equal(refused.Code, 'InvalidOperation.AvailabilityZoneMismatch');

    await joinsRadio.check();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const r = row(page, joins);
    await r.getByText('Attaching', { exact: true }).waitFor();
    await r.getByText('InUse', { exact: true }).waitFor();
    await page.getByText(`2 of 3 ENIs (${HOTPLUG_TYPE}`).waitFor();
    assert.ok((await enisOf(server, id)).some((e) => e.networkInterfaceId === joins && e.status === 'InUse'));
    await assertAccessible(page, 'instance ENIs tab');
    await screenshot(page, 'instance-enis');

    await r.getByRole('button', { name: 'Unbind' }).click();
    const confirm = page.getByRole('dialog', { name: 'Unbind ENI' });
    await assertAccessible(page, 'unbind dialog');
    await confirm.getByRole('button', { name: 'Unbind' }).click();
    await r.getByText('Detaching', { exact: true }).waitFor();
    await r.waitFor({ state: 'detached' });
    assert.ok(!(await enisOf(server, id)).some((e) => e.networkInterfaceId === joins));
    await context.close();
  });

  it('shows the ENIs that may not join disabled, with the server’s reason: no hot-plug while running, the type’s ENI quota reached', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const noHotplug = await runInstance(server, net, { instanceType: NO_HOTPLUG_TYPE });
    // An ecs.g6.large takes 2 ENIs: its primary one and the secondary one it is launched with.
    const full = await runInstance(server, net, {
      instanceType: TWO_ENI_TYPE,
      networkInterface: [{ instanceType: 'Secondary', networkInterfaceName: 'launched-with' } as never],
    });
    const spare = await createEni(server, net.vswitchI, net.sg, 'spare');
    const { context, page } = await newConsolePage(browser);

    await signIn(page, server, TEST_KEY, `instances/${noHotplug}/enis`);
    await page.getByRole('button', { name: 'Bind Secondary ENI' }).click();
    let dialog = page.getByRole('dialog', { name: 'Bind Secondary ENI' });
    await dialog.getByRole('radio', { name: new RegExp(spare) }).waitFor();
    assert.equal(await dialog.getByRole('radio', { name: new RegExp(spare) }).isDisabled(), true);
    const hotplug = await dialog
      .getByText(/InvalidOperation.InvalidEcsState/)
      .first()
      .innerText();
    assert.match(hotplug, new RegExp(`Instance type ${NO_HOTPLUG_TYPE.replace(/\./g, '\\.')} does not support hot-plugging ENIs; stop the instance first`));
    const hotplugRefused = await consoleCall<{ Code: string }>(page, 'Ecs', 'AttachNetworkInterface', { InstanceId: noHotplug, NetworkInterfaceId: spare });
    assert.equal(hotplugRefused.Code, 'InvalidOperation.InvalidEcsState');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(page.url().replace(noHotplug, full));
    await page.getByRole('button', { name: 'Bind Secondary ENI' }).click();
    dialog = page.getByRole('dialog', { name: 'Bind Secondary ENI' });
    await dialog.getByRole('radio', { name: new RegExp(spare) }).waitFor();
    assert.equal(await dialog.getByRole('radio', { name: new RegExp(spare) }).isDisabled(), true);
    const reason = await dialog
      .getByText(/EniPerInstanceLimitExceeded/)
      .first()
      .innerText();
    assert.match(reason, new RegExp(TWO_ENI_TYPE.replace(/\./g, '\\.')));
    const refused = await consoleCall<{ Code: string }>(page, 'Ecs', 'AttachNetworkInterface', { InstanceId: full, NetworkInterfaceId: spare });
    assert.equal(refused.Code, 'EniPerInstanceLimitExceeded');
    await context.close();
  });

  it('shows an ENI of another zone disabled with the server’s reason, next to one that may join', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const roomy = await runInstance(server, net, { instanceType: HOTPLUG_TYPE });
    const sameZone = await createEni(server, net.vswitchI, net.sg, 'same-zone');
    const otherZone = await createEni(server, net.vswitchH, net.sg, 'other-zone');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY, `instances/${roomy}/enis`);
    await page.getByRole('button', { name: 'Bind Secondary ENI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bind Secondary ENI' });
    await dialog.getByRole('radio', { name: new RegExp(otherZone) }).waitFor();
    assert.equal(await dialog.getByRole('radio', { name: new RegExp(otherZone) }).isDisabled(), true);
    assert.equal(await dialog.getByRole('radio', { name: new RegExp(sameZone) }).isDisabled(), false);
    const reason = await dialog
      .getByText(/InvalidOperation.AvailabilityZoneMismatch/)
      .first()
      .innerText();
    assert.match(reason, /cn-hangzhou-h.*cn-hangzhou-i/);
    const refused = await consoleCall<{ Code: string }>(page, 'Ecs', 'AttachNetworkInterface', { InstanceId: roomy, NetworkInterfaceId: otherZone });
    assert.equal(refused.Code, 'InvalidOperation.AvailabilityZoneMismatch');
    await context.close();
  });

  it('is usable in a narrow window: navigation and the table are reachable', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const { context, page } = await newConsolePage(browser, { width: 420, height: 800 });
    await signIn(page, server, TEST_KEY, 'instances');
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'ENIs' }).waitFor({ state: 'visible' });
    await page.getByRole('link', { name: 'Custom Launch' }).waitFor({ state: 'visible' });
    await page.getByRole('table').waitFor({ state: 'visible' });
    await assertAccessible(page, 'instances page, narrow');
    await context.close();
  });
});

describe('console: Bind Secondary ENI on a server with the seeds’ same-vSwitch rule (--attach-locality vswitch)', () => {
  let server: RunningServer;
  let browser: Browser;
  let ready = false;
  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    [server, browser] = await Promise.all([startServer({ args: [...LIVE_DELAYS, '--attach-locality', 'vswitch'] }), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('shows an ENI of another vSwitch in the same zone disabled, with the code naming both vSwitches', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const net = await seedNetwork(server);
    const neighbour = (
      await vpcClient(server).createVSwitch(
        new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId: net.vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '192.168.3.0/24', vSwitchName: 'zone-i-b' }),
      )
    ).body!.vSwitchId!;
    const instance = await runInstance(server, net, { instanceType: HOTPLUG_TYPE });
    const sameVSwitch = await createEni(server, net.vswitchI, net.sg, 'same-vswitch');
    const otherVSwitch = await createEni(server, neighbour, net.sg, 'other-vswitch');
    const { context, page } = await newConsolePage(browser);
    await signIn(page, server, TEST_KEY, `instances/${instance}/enis`);
    await page.getByRole('button', { name: 'Bind Secondary ENI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bind Secondary ENI' });
    await dialog.getByRole('radio', { name: new RegExp(otherVSwitch) }).waitFor();
    assert.equal(await dialog.getByRole('radio', { name: new RegExp(otherVSwitch) }).isDisabled(), true);
    assert.equal(await dialog.getByRole('radio', { name: new RegExp(sameVSwitch) }).isDisabled(), false);
    const reason = await dialog
      .getByText(/InvalidOperation.VSwitchMismatch/)
      .first()
      .innerText();
    assert.ok(reason.includes(neighbour) && reason.includes(net.vswitchI), reason);
    await assertAccessible(page, 'Bind Secondary ENI, same-vSwitch rule');
    await context.close();
  });
});
