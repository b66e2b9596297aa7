import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from './clients.ts';
import type { RunningServer } from './server.ts';

/**
 * What every Terway replay (test/api/clients-terway*.test.ts) sets up first: Terway's constants
 * and a node, i.e. a VPC with the node's vSwitch and a pod vSwitch in one zone, a security group
 * and a running node instance. Terway itself creates none of these; a cluster has them.
 */
export const TERWAY_REGION = 'cn-hangzhou';
export const TERWAY_ZONE = 'cn-hangzhou-i';
export const TERWAY_IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
/** A node type with trunk and IPv6 support (EniQuantity 4, EniTotalQuantity 20). */
export const TERWAY_NODE_TYPE = 'ecs.g7.xlarge';
/** pkg/aliyun/client/types.go eniDescription. */
export const TERWAY_DESCRIPTION = 'interface create by terway';
/** Short but real attach, detach and delete delays, so Terway's waits see the intermediate states. */
export const TERWAY_DELAYS = ['--delays', 'none,eniAttach=300,eniDetach=300,eniDelete=300'];

export interface TerwayNode {
  vpcId: string;
  /** The node's vSwitch. */
  nodeVsw: string;
  /** Another vSwitch of the node's zone, where pod ENIs go. */
  podVsw: string;
  sg: string;
  instanceId: string;
}

export async function terwayNode(server: RunningServer, opts: { podCidr?: string } = {}): Promise<TerwayNode> {
  const vpc = vpcClient(server);
  const ecs = ecsClient(server);
  const regionId = TERWAY_REGION;
  const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/16' }))).body!.vpcId!;
  const vsw = async (cidrBlock: string) =>
    (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId: TERWAY_ZONE, cidrBlock }))).body!.vSwitchId!;
  const nodeVsw = await vsw('10.0.1.0/24');
  const podVsw = await vsw(opts.podCidr ?? '10.0.2.0/24');
  const sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
  const run = await ecs.runInstances(
    new $Ecs.RunInstancesRequest({ regionId, instanceType: TERWAY_NODE_TYPE, imageId: TERWAY_IMAGE, vSwitchId: nodeVsw, securityGroupId: sg }),
  );
  return { vpcId, nodeVsw, podVsw, sg, instanceId: run.body!.instanceIdSets!.instanceIdSet![0]! };
}
