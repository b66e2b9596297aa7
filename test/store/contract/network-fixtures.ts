/**
 * Fixtures of the ENI / instance / EIP contract tests: models of what those repos own, and the
 * VPCs, vSwitches and security groups they refer to, stored through their own repos with the
 * VPC side's fixtures (fixtures.ts). Tags are inserted raw: no repo inserts a bare tag row.
 */
import type { Eip } from '../../../src/domain/models/eip.ts';
import type { Eni } from '../../../src/domain/models/eni.ts';
import type { Instance } from '../../../src/domain/models/instance.ts';
import { insertSecurityGroup } from '../../../src/store/repos/security-groups.ts';
import { insertVpc } from '../../../src/store/repos/vpcs.ts';
import { insertVSwitch } from '../../../src/store/repos/vswitches.ts';
import type { Tx } from '../../../src/store/schema.ts';
import { ACCOUNT_ID, REGION_ID } from './backends.ts';
import { securityGroupFixture, vpcFixture, vswitchFixture } from './fixtures.ts';

export const ZONE_ID = 'cn-hangzhou-i';
export const RESOURCE_GROUP_ID = 'rg-contract';

export async function insertVpcRow(tx: Tx, id: string, accountId = ACCOUNT_ID): Promise<void> {
  await insertVpc(
    tx,
    vpcFixture(id, { accountId, cidrBlock: '10.0.0.0/8', vrouterId: `vrt-${id}`, routeTableId: `vtb-${id}`, resourceGroupId: RESOURCE_GROUP_ID, createdAt: 1 }),
  );
}

export async function insertVSwitchRow(tx: Tx, id: string, vpcId: string, cidr: string, accountId = ACCOUNT_ID): Promise<void> {
  await insertVSwitch(tx, vswitchFixture(id, vpcId, { accountId, zoneId: ZONE_ID, cidrBlock: cidr, createdAt: 1 }));
}

export async function insertSecurityGroupRow(tx: Tx, id: string, vpcId: string): Promise<void> {
  await insertSecurityGroup(tx, securityGroupFixture(id, vpcId, { resourceGroupId: RESOURCE_GROUP_ID, createdAt: 1 }));
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
    trunkEniId: null,
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
