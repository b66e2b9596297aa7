import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import type { Browser } from 'playwright-core';
import { runCli } from '../helpers/cli.ts';
import { ecsClient } from '../helpers/clients.ts';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { assertAccessible, browserAvailable, launchBrowser, newConsolePage, screenshot, signIn } from './harness.ts';
import { createEni, eni, HOTPLUG_TYPE, REGION, runInstance, seedNetwork } from './instance-fixtures.ts';

describe('console: an instance’s OS configuration tab', () => {
  let server: RunningServer;
  let browser: Browser;
  let ready = false;
  const roots: string[] = [];
  before(async (t) => {
    ready = browserAvailable(t as never);
    if (!ready) return;
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('shows what `eniplane guest render` writes for the instance’s distro, with its secondary ENI, and for another distro', async (t) => {
    if (!ready) return t.skip('no Chromium');
    const net = await seedNetwork(server);
    const id = await runInstance(server, net, { instanceType: HOTPLUG_TYPE, instanceName: 'guest' });
    const secondary = await createEni(server, net.vswitchI, net.sg, 'guest-eth1', 1);
    await ecsClient(server).attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: REGION, instanceId: id, networkInterfaceId: secondary }));
    const attrs = await eni(server, secondary);
    const addresses = attrs.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!);
    assert.equal(addresses.length, 2);

    const { context, page } = await newConsolePage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, server, TEST_KEY, `instances/${id}`);
    await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'OS configuration' }).click();
    await page.getByRole('heading', { name: 'OS configuration' }).waitFor();

    // Ubuntu 22.04 (the image's distro): netplan, with the secondary ENI's addresses.
    const netplan = page.getByRole('article', { name: '/etc/netplan/90-eniplane.yaml' });
    await netplan.waitFor();
    const yaml = await netplan.locator('pre').innerText();
    for (const address of addresses) assert.ok(yaml.includes(address), `${address} in the netplan file`);
    assert.ok(yaml.includes(attrs.macAddress!), 'the secondary ENI is matched by its MAC');
    await page.getByText('sudo netplan apply', { exact: true }).waitFor();
    assert.match(await page.getByLabel('Distro').locator('option:checked').innerText(), /From the image \(ubuntu:22\.04\)/);

    // The very bytes the CLI writes from the metadata service.
    const root = mkdtempSync(join(tmpdir(), 'eniplane-guest-'));
    roots.push(root);
    const cli = runCli(['guest', 'render', '--instance', id, '--metadata', server.metadataUrl, '--root', root, '--wait', '0']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(yaml.trimEnd(), readFileSync(join(root, 'etc/netplan/90-eniplane.yaml'), 'utf8').trimEnd());

    await netplan.getByRole('button', { name: 'Copy /etc/netplan/90-eniplane.yaml' }).click();
    await netplan.getByText('Copied').waitFor();
    assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trimEnd(), yaml.trimEnd());
    await assertAccessible(page, 'OS configuration tab');
    await screenshot(page, 'os-configuration');

    // Another distro: CentOS 7 gets ifcfg files, with its own restart command.
    await page.getByLabel('Distro').selectOption('centos:7');
    const ifcfg = page.getByRole('article', { name: '/etc/sysconfig/network-scripts/ifcfg-eth1', exact: true });
    await ifcfg.waitFor();
    assert.ok((await ifcfg.locator('pre').innerText()).includes(attrs.privateIpAddress!));
    const eth1Files = (
      await page
        .getByRole('article', { name: /ifcfg-eth1/ })
        .locator('pre')
        .allInnerTexts()
    ).join('\n');
    for (const address of addresses) assert.ok(eth1Files.includes(address), `${address} in the ifcfg-eth1 files`);
    await page.getByText('sudo service network restart (or: sudo systemctl restart network)', { exact: true }).waitFor();
    // And a format the distro offers besides its default.
    await page.getByLabel('Distro').selectOption('ubuntu:22.04');
    await page.getByLabel('Format').selectOption('networkd');
    await page
      .getByRole('article', { name: /\/etc\/systemd\/network\/.*\.network$/ })
      .first()
      .waitFor();
    await page.getByText('sudo systemctl restart systemd-networkd', { exact: true }).waitFor();
    await assertAccessible(page, 'OS configuration tab, networkd');
    await context.close();
  });
});
