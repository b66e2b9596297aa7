/**
 * Models to store in contract tests: complete, valid ones, each field overridable. Fixtures of
 * resources outside the VPC side (ENIs, their addresses) are raw rows (eniFixture).
 */
import type { SecurityGroup, SecurityGroupRule } from '../../../src/domain/models/security-group.ts';
import type { Vpc } from '../../../src/domain/models/vpc.ts';
import type { VSwitch } from '../../../src/domain/models/vswitch.ts';
import type { Tx } from '../../../src/store/schema.ts';
import { ACCOUNT_ID, REGION_ID } from './backends.ts';

export function vpcFixture(id: string, over: Partial<Vpc> = {}): Vpc {
  return {
    id,
    accountId: ACCOUNT_ID,
    regionId: REGION_ID,
    cidrBlock: '10.0.0.0/16',
    name: '',
    description: '',
    status: 'Available',
    nextStatus: null,
    transitionAt: null,
    isDefault: false,
    vrouterId: `vrt-of-${id}`,
    routeTableId: `vtb-of-${id}`,
    resourceGroupId: 'rg-default',
    createdAt: 100,
    ipv6CidrBlock: '',
    ipv6Isp: '',
    ...over,
  };
}

export function vswitchFixture(id: string, vpcId: string, over: Partial<VSwitch> = {}): VSwitch {
  return {
    id,
    accountId: ACCOUNT_ID,
    regionId: REGION_ID,
    vpcId,
    zoneId: 'cn-hangzhou-h',
    cidrBlock: '10.0.1.0/24',
    name: '',
    description: '',
    status: 'Available',
    nextStatus: null,
    transitionAt: null,
    isDefault: false,
    ipCapacity: 252,
    ipUsed: 0,
    createdAt: 100,
    ipv6CidrBlock: '',
    ...over,
  };
}

export function securityGroupFixture(id: string, vpcId: string, over: Partial<SecurityGroup> = {}): SecurityGroup {
  return {
    id,
    accountId: ACCOUNT_ID,
    regionId: REGION_ID,
    vpcId,
    name: '',
    description: '',
    type: 'normal',
    innerAccessPolicy: 'Accept',
    resourceGroupId: 'rg-default',
    createdAt: 100,
    ...over,
  };
}

export function ruleFixture(id: string, securityGroupId: string, over: Partial<SecurityGroupRule> = {}): SecurityGroupRule {
  return {
    id,
    securityGroupId,
    direction: 'ingress',
    ipProtocol: 'TCP',
    portRange: '22/22',
    sourcePortRange: '',
    sourceCidrIp: '0.0.0.0/0',
    sourceGroupId: '',
    sourceGroupOwnerAccount: '',
    destCidrIp: '',
    destGroupId: '',
    destGroupOwnerAccount: '',
    ipv6SourceCidrIp: '',
    ipv6DestCidrIp: '',
    sourcePrefixListId: '',
    destPrefixListId: '',
    policy: 'Accept',
    priority: 1,
    nicType: 'intranet',
    description: '',
    createdAt: 100,
    ...over,
  };
}

/** An ENI row (models-a's side of the store), in the given vSwitch, with `addresses` private IPs. */
export async function eniFixture(tx: Tx, id: string, vsw: VSwitch, addresses: readonly string[]): Promise<void> {
  await tx.db
    .insertInto('network_interfaces')
    .values({
      id,
      account_id: vsw.accountId,
      region_id: vsw.regionId,
      zone_id: vsw.zoneId,
      vpc_id: vsw.vpcId,
      vswitch_id: vsw.id,
      type: 'Secondary',
      name: '',
      description: '',
      mac_address: `00:16:3e:00:00:${id.slice(-2)}`,
      primary_ip: addresses[0] ?? '',
      status: 'Available',
      next_status: null,
      transition_at: null,
      instance_id: null,
      device_index: null,
      delete_on_release: 1,
      resource_group_id: 'rg-default',
      created_at: 100,
      source_dest_check: 0,
      queue_number: null,
      traffic_mode: 'Standard',
    })
    .execute();
  for (const [i, address] of addresses.entries()) {
    const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
    await tx.db
      .insertInto('private_ips')
      .values({
        vswitch_id: vsw.id,
        address_int: a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d,
        address,
        eni_id: id,
        is_primary: i === 0 ? 1 : 0,
        created_at: 100,
      })
      .execute();
  }
}
