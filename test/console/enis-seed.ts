import type { Page } from 'playwright-core';
import { consoleCall } from './harness.ts';

/** Seeding for the ENIs page tests, through the console API (the same invoker as the RPC API). */

export const ZONE = 'cn-hangzhou-i';
export const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

/** consoleCall that fails loudly on a refusal. */
export async function call<T = Record<string, unknown>>(page: Page, product: string, action: string, params: Record<string, unknown> = {}): Promise<T> {
  const answer = await consoleCall<T & { Code?: string; Message?: string }>(page, product, action, params);
  if (answer.Code) throw new Error(`${product}:${action} refused: ${answer.Code}: ${answer.Message}`);
  return answer;
}

export interface Network {
  vpcId: string;
  vswitchA: string;
  vswitchB: string;
  sg: string;
  sg2: string;
}

export async function seedNetwork(page: Page): Promise<Network> {
  const { VpcId: vpcId } = await call<{ VpcId: string }>(page, 'Vpc', 'CreateVpc', { CidrBlock: '192.168.0.0/16', VpcName: 'console-vpc' });
  const { VSwitchId: vswitchA } = await call<{ VSwitchId: string }>(page, 'Vpc', 'CreateVSwitch', {
    VpcId: vpcId,
    ZoneId: ZONE,
    CidrBlock: '192.168.1.0/24',
    VSwitchName: 'vsw-a',
  });
  const { VSwitchId: vswitchB } = await call<{ VSwitchId: string }>(page, 'Vpc', 'CreateVSwitch', {
    VpcId: vpcId,
    ZoneId: ZONE,
    CidrBlock: '192.168.2.0/24',
    VSwitchName: 'vsw-b',
  });
  const { SecurityGroupId: sg } = await call<{ SecurityGroupId: string }>(page, 'Ecs', 'CreateSecurityGroup', { VpcId: vpcId, SecurityGroupName: 'web' });
  const { SecurityGroupId: sg2 } = await call<{ SecurityGroupId: string }>(page, 'Ecs', 'CreateSecurityGroup', { VpcId: vpcId, SecurityGroupName: 'admin' });
  return { vpcId, vswitchA, vswitchB, sg, sg2 };
}

export async function createEni(page: Page, params: Record<string, unknown>): Promise<{ NetworkInterfaceId: string; PrivateIpAddress: string }> {
  return call(page, 'Ecs', 'CreateNetworkInterface', params);
}

/** The table's rows on screen. */
export function rows(page: Page) {
  return page.locator('table.eni-table tbody tr[data-eni]');
}

export function row(page: Page, eniId: string) {
  return page.locator(`table.eni-table tbody tr[data-eni="${eniId}"]`);
}
