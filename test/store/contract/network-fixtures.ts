/**
 * Fixtures of the ENI / instance / EIP contract tests. What the repos under test own is built
 * through them (as models); the rows they only refer to (VPCs, vSwitches, security groups, tags)
 * are inserted raw, so these tests do not depend on other repos' signatures.
 */
import type { Eip } from '../../../src/domain/models/eip.ts';
import type { Eni } from '../../../src/domain/models/eni.ts';
import type { Instance } from '../../../src/domain/models/instance.ts';
import type { Tx } from '../../../src/store/schema.ts';
import { ACCOUNT_ID, REGION_ID } from './backends.ts';

export const ZONE_ID = 'cn-hangzhou-i';
export const RESOURCE_GROUP_ID = 'rg-contract';

export async function insertVpcRow(tx: Tx, id: string, accountId = ACCOUNT_ID): Promise<void> {
  await tx.db
    .insertInto('vpcs')
    .values({
      id,
      account_id: accountId,
      region_id: REGION_ID,
      cidr_block: '10.0.0.0/8',
      name: '',
      description: '',
      status: 'Available',
      next_status: null,
      transition_at: null,
      is_default: 0,
      vrouter_id: `vrt-${id}`,
      route_table_id: `vtb-${id}`,
      resource_group_id: RESOURCE_GROUP_ID,
      created_at: 1,
    })
    .execute();
}

export async function insertVSwitchRow(tx: Tx, id: string, vpcId: string, cidr: string, accountId = ACCOUNT_ID): Promise<void> {
  await tx.db
    .insertInto('vswitches')
    .values({
      id,
      account_id: accountId,
      region_id: REGION_ID,
      vpc_id: vpcId,
      zone_id: ZONE_ID,
      cidr_block: cidr,
      name: '',
      description: '',
      status: 'Available',
      next_status: null,
      transition_at: null,
      is_default: 0,
      ip_capacity: 252,
      ip_used: 0,
      created_at: 1,
    })
    .execute();
}

export async function insertSecurityGroupRow(tx: Tx, id: string, vpcId: string): Promise<void> {
  await tx.db
    .insertInto('security_groups')
    .values({
      id,
      account_id: ACCOUNT_ID,
      region_id: REGION_ID,
      vpc_id: vpcId,
      name: '',
      description: '',
      type: 'normal',
      inner_access_policy: 'Accept',
      resource_group_id: RESOURCE_GROUP_ID,
      created_at: 1,
    })
    .execute();
}

export async function insertTagRow(tx: Tx, resourceType: string, resourceId: string, key: string, value: string): Promise<void> {
  await tx.db
    .insertInto('tags')
    .values({
      account_id: ACCOUNT_ID,
      region_id: REGION_ID,
      resource_type: resourceType,
      resource_id: resourceId,
      tag_key: key,
      tag_value: value,
      created_at: 1,
    })
    .execute();
}

/** An Available secondary ENI with every field set to a value of its type; `over` changes some. */
export function eniModel(id: string, vpcId: string, vswitchId: string, over: Partial<Eni> = {}): Eni {
  // A MAC of the ID's hash: unique per ENI, as the column requires.
  const hex = [...id]
    .reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)
    .toString(16)
    .padStart(8, '0');
  return {
    id,
    accountId: ACCOUNT_ID,
    regionId: REGION_ID,
    zoneId: ZONE_ID,
    vpcId,
    vswitchId,
    type: 'Secondary',
    name: `name-${id}`,
    description: `about ${id}`,
    macAddress: `00:16:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`,
    primaryIp: '10.1.0.10',
    status: 'Available',
    nextStatus: null,
    transitionAt: null,
    instanceId: null,
    deviceIndex: null,
    deleteOnRelease: true,
    resourceGroupId: RESOURCE_GROUP_ID,
    createdAt: 1_700_000_000_000,
    sourceDestCheck: false,
    queueNumber: null,
    trafficMode: 'Standard',
    ...over,
  };
}

/** A Running instance with every field set; `over` changes some. */
export function instanceModel(id: string, vpcId: string, vswitchId: string, over: Partial<Instance> = {}): Instance {
  return {
    id,
    accountId: ACCOUNT_ID,
    regionId: REGION_ID,
    zoneId: ZONE_ID,
    vpcId,
    vswitchId,
    instanceType: 'ecs.g7.large',
    imageId: 'aliyun_3_x64_20G_alibase_20240528.vhd',
    name: `name-${id}`,
    hostName: `host-${id}`,
    description: '',
    status: 'Running',
    nextStatus: null,
    transitionAt: null,
    finalStatus: null,
    finalAt: null,
    deletionProtection: false,
    httpEndpoint: 'enabled',
    httpTokens: 'optional',
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: 'disabled',
    attributes: { SystemDiskCategory: 'cloud_essd', SystemDiskSize: 40, InternetMaxBandwidthOut: 0, UserData: '' },
    createdAt: 1_700_000_000_000,
    startedAt: 1_700_000_000_500,
    publicIp: null,
    resourceGroupId: RESOURCE_GROUP_ID,
    ...over,
  };
}

/** An Available EIP bound to nothing; `over` changes some fields. */
export function eipModel(id: string, ipAddress: string, over: Partial<Eip> = {}): Eip {
  return {
    id,
    accountId: ACCOUNT_ID,
    regionId: REGION_ID,
    ipAddress,
    status: 'Available',
    nextStatus: null,
    transitionAt: null,
    name: '',
    description: '',
    bandwidth: 5,
    internetChargeType: 'PayByBandwidth',
    instanceChargeType: 'PostPaid',
    isp: 'BGP',
    instanceId: null,
    instanceType: null,
    privateIp: null,
    mode: null,
    vpcId: null,
    createdAt: 1_700_000_000_000,
    resourceGroupId: RESOURCE_GROUP_ID,
    ...over,
  };
}
