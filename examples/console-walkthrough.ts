/**
 * The console steps of both seed documents, clicked through in a real browser against a running
 * eniplane, then checked through the API (the official ECS SDK) and the metadata service:
 *
 *   "Create and use an ENI"
 *     1. VPCs, vSwitches, Security groups: the network the ENIs live in (Create VPC, Create vSwitch,
 *        Create Security Group).
 *     2. ENIs page → Create an ENI (VPC and vSwitch, security group), twice.
 *     3. Instances → Custom Launch: a network and zone, then "Existing ENI as the primary ENI".
 *     4. Instances → the instance ID → the ENIs tab → Bind Secondary ENI → the ENI → OK.
 *     5. The instance's OS configuration tab: the files that configure the secondary ENI.
 *   "Assign a secondary private IP address"
 *     6. ENIs page → Manage Secondary Private IP Address → Assign New IP (twice) → Modify; opened
 *        again, the dialog lists the addresses assigned automatically.
 *
 *   ENIPLANE_ENDPOINT=127.0.0.1:8080 node --import tsx examples/console-walkthrough.ts
 *
 * Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
 * ENIPLANE_METADATA (default http://127.0.0.1:8081) is the metadata service; ENIPLANE_CHROMIUM
 * (default /usr/bin/chromium) the browser; HEADED=1 shows the window. Every asynchronous state is
 * waited for on the page, so it works with any --delays, the default realistic ones included.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as EcsSdk from '@alicloud/ecs20140526';
import { chromium, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const Ecs = require('@alicloud/ecs20140526') as typeof EcsSdk;
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil as typeof import('@alicloud/openapi-core').$OpenApiUtil;

const endpoint = process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080';
const metadataUrl = process.env.ENIPLANE_METADATA ?? 'http://127.0.0.1:8081';
const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-i';
const TYPE = 'ecs.g7.large';
const IMAGE = 'ubuntu_22_04_x64_20G_alibase_20240926.vhd';
// Names carry a run tag, so the walkthrough can run again on the same server.
const tag = Date.now().toString(36);

function credentials(): { accessKeyId: string; accessKeySecret: string } {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' };
  }
  return JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8')) as { accessKeyId: string; accessKeySecret: string };
}

const key = credentials();
const ecs = new Ecs.default(new Config({ ...key, endpoint, protocol: 'http', regionId: REGION }));

async function eniNamed(name: string) {
  const found = await ecs.describeNetworkInterfaces(new Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, networkInterfaceName: name }));
  const eni = found.body?.networkInterfaceSets?.networkInterfaceSet?.[0];
  if (!eni?.networkInterfaceId) throw new Error(`no ENI named ${name}`);
  return eni;
}

function step(text: string): void {
  console.log(`- ${text}`);
}

/** Opens a page from the navigation, as a person would. */
async function open(page: Page, link: string, heading = link): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

async function createNetwork(page: Page): Promise<{ vpcId: string; vswitchId: string; sgId: string }> {
  await open(page, 'VPCs');
  await page.getByRole('button', { name: 'Create VPC' }).click();
  let dialog = page.getByRole('dialog', { name: 'Create VPC' });
  await dialog.getByLabel('Name').fill(`seed-vpc-${tag}`);
  await dialog.getByLabel('IPv4 CIDR block').fill('192.168.0.0/16');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  const vpcRow = page.getByRole('row').filter({ hasText: `seed-vpc-${tag}` });
  await vpcRow.getByText('Available').waitFor();
  const vpcId = /vpc-[a-z0-9]+/.exec(await vpcRow.innerText())![0];
  step(`VPCs → Create VPC: ${vpcId} (192.168.0.0/16), Available`);

  await open(page, 'vSwitches');
  await page.getByRole('button', { name: 'Create vSwitch' }).click();
  dialog = page.getByRole('dialog', { name: 'Create vSwitch' });
  await dialog.getByLabel('VPC', { exact: true }).selectOption(vpcId);
  await dialog.getByLabel('Zone').selectOption(ZONE);
  await dialog.getByLabel('IPv4 CIDR block').fill('192.168.1.0/24');
  await dialog.getByLabel('Name').fill(`seed-vsw-${tag}`);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  const vswRow = page.getByRole('row').filter({ hasText: `seed-vsw-${tag}` });
  await vswRow.getByText('Available').waitFor();
  const vswitchId = /vsw-[a-z0-9]+/.exec(await vswRow.innerText())![0];
  step(`vSwitches → Create vSwitch: ${vswitchId} (${ZONE}, 192.168.1.0/24), Available`);

  await open(page, 'Security groups');
  await page.getByRole('button', { name: 'Create Security Group' }).click();
  dialog = page.getByRole('dialog', { name: 'Create Security Group' });
  await dialog.getByLabel('VPC', { exact: true }).selectOption(vpcId);
  await dialog.getByLabel('Name').fill(`seed-sg-${tag}`);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  const sgRow = page.getByRole('row').filter({ hasText: `seed-sg-${tag}` });
  await sgRow.waitFor();
  const sgId = /sg-[a-z0-9]+/.exec(await sgRow.innerText())![0];
  step(`Security groups → Create Security Group: ${sgId}`);
  return { vpcId, vswitchId, sgId };
}

async function createEni(page: Page, net: { vpcId: string; vswitchId: string; sgId: string }, name: string): Promise<string> {
  await page.getByRole('button', { name: 'Create an ENI' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an ENI' });
  await dialog.getByLabel('VPC', { exact: true }).selectOption(net.vpcId);
  await dialog.getByLabel('vSwitch', { exact: true }).selectOption(net.vswitchId);
  await dialog.getByLabel('Security groups').selectOption([net.sgId]);
  await dialog.getByLabel('ENI name').fill(name);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Created eni-' }).waitFor();
  const eni = await eniNamed(name);
  step(`ENIs → Create an ENI "${name}": ${eni.networkInterfaceId}, ${eni.privateIpAddress}, ${eni.status}`);
  return eni.networkInterfaceId!;
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.ENIPLANE_CHROMIUM ?? '/usr/bin/chromium',
    headless: process.env.HEADED !== '1',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`http://${endpoint}/console/`);
    await page.getByLabel('AccessKey ID').fill(key.accessKeyId);
    await page.getByLabel('AccessKey Secret').fill(key.accessKeySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    step('signed in');

    console.log('Create and use an ENI');
    const net = await createNetwork(page);
    await open(page, 'ENIs');
    const primary = await createEni(page, net, `seed-primary-${tag}`);
    const secondary = await createEni(page, net, `seed-secondary-${tag}`);

    await open(page, 'Instances');
    await page.getByRole('link', { name: 'Custom Launch' }).click();
    await page.getByRole('heading', { name: 'Custom Launch' }).waitFor();
    await page.getByLabel('Zone').selectOption(ZONE);
    await page.getByLabel('VPC').selectOption(net.vpcId);
    await page.getByLabel('Instance type').selectOption(TYPE);
    await page.getByLabel('Image').selectOption(IMAGE);
    await page.getByLabel('Existing ENI as the primary ENI').check();
    await page.getByLabel('Primary ENI', { exact: true }).selectOption(primary);
    await page.getByLabel('Instance name').fill(`seed-web-${tag}`);
    await page.getByRole('button', { name: 'Launch' }).click();
    const heading = page.getByRole('heading', { name: new RegExp(`^Instance i-[a-z0-9]+ \\(seed-web-${tag}\\)$`) });
    await heading.waitFor();
    const instanceId = /i-[a-z0-9]+/.exec(await heading.innerText())![0];
    // An ENI joins a Running (or Stopped) instance: wait, as a person would, for the launch to finish.
    await page
      .locator('.status', { hasText: /^Running$/ })
      .first()
      .waitFor();
    step(`Instances → Custom Launch with Existing ENI ${primary} as the primary ENI: ${instanceId}, Running`);

    await open(page, 'Instances');
    await page.getByRole('link', { name: instanceId }).click();
    // The instance's own ENIs tab (not the console's ENIs page), once the instance has loaded.
    await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'ENIs', exact: true }).click();
    await page.getByRole('button', { name: 'Bind Secondary ENI' }).click();
    const bind = page.getByRole('dialog', { name: 'Bind Secondary ENI' });
    await bind.locator(`input[type=radio][value="${secondary}"]`).check();
    await bind.getByRole('button', { name: 'OK' }).click();
    const secondaryRow = page.getByRole('row').filter({ hasText: secondary });
    await secondaryRow.getByText('InUse').waitFor();
    step(`Instances → ${instanceId} → ENIs → Bind Secondary ENI ${secondary} → OK: InUse`);

    console.log('Assign a secondary private IP address');
    await open(page, 'ENIs');
    await page.getByRole('button', { name: `Manage Secondary Private IP Address of ENI ${secondary}` }).click();
    let manage = page.getByRole('dialog', { name: /Manage Secondary Private IP Address/ });
    await manage.getByRole('button', { name: 'Assign New IP' }).click();
    await manage.getByRole('button', { name: 'Assign New IP' }).click();
    await manage.getByRole('button', { name: 'Modify' }).click();
    await manage.getByRole('status').filter({ hasText: 'Assigned' }).waitFor();
    await manage.getByRole('button', { name: 'Close' }).last().click();
    await page.getByRole('button', { name: `Manage Secondary Private IP Address of ENI ${secondary}` }).click();
    manage = page.getByRole('dialog', { name: /Manage Secondary Private IP Address/ });
    // The primary address and the two new ones, once the dialog has read them back.
    await manage.locator('tbody tr').nth(2).waitFor();
    const listed = [...(await manage.locator('table').innerText()).matchAll(/192\.168\.1\.\d+/g)].map((m) => m[0]);
    await manage.getByRole('button', { name: 'Close' }).last().click();
    step(`ENIs → Manage Secondary Private IP Address → Assign New IP ×2 → Modify: the dialog lists ${listed.join(', ')}`);

    await open(page, 'Instances');
    await page.getByRole('link', { name: instanceId }).click();
    await page.getByRole('link', { name: 'OS configuration' }).click();
    const eth1 = page
      .locator('pre')
      .filter({ hasText: listed[1] ?? '' })
      .first();
    await eth1.waitFor();
    step(
      `Instances → ${instanceId} → OS configuration: ${(await page.locator('pre').count()).toString()} files; the one for eth1 holds ${listed.slice(1).join(', ')}`,
    );

    console.log('Seen through the API and the metadata service');
    const eni = await eniNamed(`seed-secondary-${tag}`);
    const addresses = (eni.privateIpSets?.privateIpSet ?? []).map((p) => p.privateIpAddress);
    if (eni.status !== 'InUse' || eni.instanceId !== instanceId || addresses.length !== 3)
      throw new Error(`unexpected ENI through the API: ${JSON.stringify(eni)}`);
    step(`DescribeNetworkInterfaces: ${secondary} ${eni.status} on ${eni.instanceId}, ${addresses.join(', ')}`);
    const headers = { 'X-Eniplane-Instance-Id': instanceId };
    const ipv4s = await (await fetch(`${metadataUrl}/latest/meta-data/network/interfaces/macs/${eni.macAddress}/private-ipv4s`, { headers })).text();
    if (!addresses.every((a) => ipv4s.includes(a!))) throw new Error(`the metadata service lists ${ipv4s}`);
    step(`metadata network/interfaces/macs/${eni.macAddress}/private-ipv4s: ${ipv4s}`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
