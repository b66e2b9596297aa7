import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import type { RunningServer } from '../helpers/server.ts';

/** Seeds for the instance pages' tests, made through the official SDKs as a user's automation would. */

export const REGION = 'cn-hangzhou';
export const UBUNTU = 'ubuntu_22_04_x64_20G_alibase_20240926.vhd';
/** ecs.g7.large: 3 ENIs, 6 addresses each, hot-plug. */
export const HOTPLUG_TYPE = 'ecs.g7.large';
/** ecs.s6-c1m1.small: no hot-plug (src/catalog/instance-types.json hotPlug=false), 2 ENIs. */
export const NO_HOTPLUG_TYPE = 'ecs.s6-c1m1.small';
/** ecs.g6.large: 2 ENIs, hot-plug: one secondary fills it. */
export const TWO_ENI_TYPE = 'ecs.g6.large';

export interface Network {
  vpcId: string;
  /** cn-hangzhou-i, 192.168.1.0/24. */
  vswitchI: string;
  /** cn-hangzhou-h, 192.168.2.0/24. */
  vswitchH: string;
  sg: string;
}

/** Needs vpcCreate=0 and vswitchCreate=0 delays (or none): the vSwitches are Available at once. */
export async function seedNetwork(server: RunningServer): Promise<Network> {
  const vpc = vpcClient(server);
  const ecs = ecsClient(server);
  const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '192.168.0.0/16', vpcName: 'console-vpc' }))).body!.vpcId!;
  const vswitch = async (zoneId: string, cidrBlock: string, vSwitchName: string) =>
    (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId, cidrBlock, vSwitchName }))).body!.vSwitchId!;
  const vswitchI = await vswitch('cn-hangzhou-i', '192.168.1.0/24', 'zone-i');
  const vswitchH = await vswitch('cn-hangzhou-h', '192.168.2.0/24', 'zone-h');
  const sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId, securityGroupName: 'web' }))).body!.securityGroupId!;
  return { vpcId, vswitchI, vswitchH, sg };
}

export async function runInstance(server: RunningServer, net: Network, extra: Partial<$Ecs.RunInstancesRequest> & { instanceType: string }): Promise<string> {
  const request = new $Ecs.RunInstancesRequest({ regionId: REGION, imageId: UBUNTU, vSwitchId: net.vswitchI, securityGroupIds: [net.sg], ...extra });
  return (await ecsClient(server).runInstances(request)).body!.instanceIdSets!.instanceIdSet![0]!;
}

export async function createEni(server: RunningServer, vSwitchId: string, sg: string, name: string, secondaryPrivateIpAddressCount?: number): Promise<string> {
  const request = new $Ecs.CreateNetworkInterfaceRequest({
    regionId: REGION,
    vSwitchId,
    securityGroupIds: [sg],
    networkInterfaceName: name,
    secondaryPrivateIpAddressCount,
  });
  return (await ecsClient(server).createNetworkInterface(request)).body!.networkInterfaceId!;
}

export async function describeInstance(server: RunningServer, instanceId: string) {
  const r = await ecsClient(server).describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([instanceId]) }));
  return r.body!.instances!.instance![0];
}

export async function enisOf(server: RunningServer, instanceId: string) {
  const r = await ecsClient(server).describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, instanceId, pageSize: 100 }));
  return r.body!.networkInterfaceSets!.networkInterfaceSet!;
}

export async function eni(server: RunningServer, networkInterfaceId: string) {
  const r = await ecsClient(server).describeNetworkInterfaceAttribute(
    new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: REGION, networkInterfaceId }),
  );
  return r.body!;
}

/** One item of the instance's metadata, as the guest reads it (X-Eniplane-Instance-Id: see test/api/metadata.test.ts). */
export async function metadata(server: RunningServer, instanceId: string, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${server.metadataUrl}/latest/meta-data/${path}`, { headers: { 'X-Eniplane-Instance-Id': instanceId } });
  return { status: res.status, body: await res.text() };
}

/** The delays of the instance tests: real Starting/Stopping and Attaching/Detaching, instant creation. */
export const LIVE_DELAYS = [
  '--delays',
  'realistic,instanceCreate=0,vpcCreate=0,vswitchCreate=0,instanceStart=1500,instanceStop=1500,eniAttach=1500,eniDetach=1500',
];
