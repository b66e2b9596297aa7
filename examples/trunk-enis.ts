/**
 * Trunk and member ENIs with the official SDKs, against a running eniplane: what Terway's trunk
 * mode does for a node and its pods. A VPC with a node vSwitch and a pod vSwitch in one zone, a
 * node of a type with EniTrunkSupported, then:
 *
 *   1. DescribeInstanceTypes: EniQuantity (the node's own ENIs) and EniTotalQuantity (members too);
 *   2. CreateNetworkInterface InstanceType=Trunk, attached to the node like any secondary ENI;
 *   3. two pod ENIs attached to the trunk (AttachNetworkInterface TrunkNetworkInstanceId): each
 *      shows Type=Member, the node as InstanceId, the trunk in Attachment.TrunkNetworkInterfaceId
 *      and its VLAN ID as Attachment.DeviceIndex;
 *   4. DescribeNetworkInterfaces Type=Member Status=InUse, and the trunk's members
 *      (DescribeNetworkInterfaceAttribute Attribute=attachment);
 *   5. the trunk cannot be detached while it has members (InvalidOperation.EniLinked);
 *   6. the members detached (TrunkNetworkInstanceId) and deleted, then the trunk.
 *
 *   ENIPLANE_ENDPOINT=127.0.0.1:8080 node --import tsx examples/trunk-enis.ts
 *
 * Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
 * Attach and detach are asynchronous (Attaching, then InUse; Detaching, then Available): the
 * script polls, so it works with any --delays.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as VpcSdk from '@alicloud/vpc20160428';

// The SDKs are CommonJS with `exports.default`.
const require = createRequire(import.meta.url);
const Ecs = require('@alicloud/ecs20140526') as typeof EcsSdk;
const Vpc = require('@alicloud/vpc20160428') as typeof VpcSdk;
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil as typeof import('@alicloud/openapi-core').$OpenApiUtil;

function credentials(): { accessKeyId: string; accessKeySecret: string } {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' };
  }
  const file = JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8')) as {
    accessKeyId: string;
    accessKeySecret: string;
  };
  return { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
}

const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
const NODE_TYPE = 'ecs.g7.xlarge';
const config = new Config({ ...credentials(), endpoint: process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080', protocol: 'http', regionId });
// Under require() the module's `default` is the client class itself.
const ecs = new (Ecs.default as unknown as typeof EcsSdk.default.default)(config);
const vpc = new (Vpc.default as unknown as typeof VpcSdk.default.default)(config);

async function eni(networkInterfaceId: string) {
  const res = await ecs.describeNetworkInterfaces(new Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [networkInterfaceId] }));
  return res.body!.networkInterfaceSets!.networkInterfaceSet![0]!;
}

async function waitFor(networkInterfaceId: string, status: string) {
  for (let i = 0; i < 240; i++) {
    const e = await eni(networkInterfaceId);
    if (e.status === status) return e;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${networkInterfaceId} did not become ${status}`);
}

async function waitForVpc(vpcId: string) {
  for (let i = 0; i < 240; i++) {
    const v = (await vpc.describeVpcAttribute(new Vpc.DescribeVpcAttributeRequest({ regionId, vpcId }))).body!;
    if (v.status === 'Available') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${vpcId} did not become Available`);
}

// 1. The node type's limits.
const type = (await ecs.describeInstanceTypes(new Ecs.DescribeInstanceTypesRequest({ instanceTypes: [NODE_TYPE] }))).body!.instanceTypes!.instanceType![0]!;
if (!type.eniTrunkSupported) throw new Error(`${NODE_TYPE} does not support trunk ENIs`);

// The network and the node.
const { vpcId } = (await vpc.createVpc(new Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16', vpcName: 'trunk-example' }))).body!;
await waitForVpc(vpcId!);
// The cloud creates one vSwitch of a VPC at a time: each must be Available before the next.
const vsw = async (cidrBlock: string) => {
  const vSwitchId = (await vpc.createVSwitch(new Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock }))).body!.vSwitchId!;
  for (let i = 0; i < 240; i++) {
    const v = (await vpc.describeVSwitchAttributes(new Vpc.DescribeVSwitchAttributesRequest({ regionId, vSwitchId }))).body!;
    if (v.status === 'Available') return vSwitchId;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${vSwitchId} did not become Available`);
};
const nodeVsw = await vsw('192.168.1.0/24');
const podVsw = await vsw('192.168.2.0/24');
const { securityGroupId } = (await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!;
const run = await ecs.runInstances(
  new Ecs.RunInstancesRequest({ regionId, instanceType: NODE_TYPE, imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd', vSwitchId: nodeVsw, securityGroupId }),
);
const instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
for (let i = 0; i < 240; i++) {
  const status = (await ecs.describeInstanceAttribute(new Ecs.DescribeInstanceAttributeRequest({ instanceId }))).body!.status;
  if (status === 'Running') break;
  await new Promise((r) => setTimeout(r, 250));
}

// 2. The trunk ENI.
const trunkId = (
  await ecs.createNetworkInterface(
    new Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: nodeVsw, securityGroupIds: [securityGroupId!], instanceType: 'Trunk' }),
  )
).body!.networkInterfaceId!;
await ecs.attachNetworkInterface(new Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: trunkId }));
await waitFor(trunkId, 'InUse');

// 3. Two pod ENIs as members of the trunk.
const members: string[] = [];
for (let pod = 0; pod < 2; pod++) {
  const id = (
    await ecs.createNetworkInterface(
      new Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: podVsw, securityGroupIds: [securityGroupId!], deleteOnRelease: true }),
    )
  ).body!.networkInterfaceId!;
  await ecs.attachNetworkInterface(new Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: id, trunkNetworkInstanceId: trunkId }));
  const m = await waitFor(id, 'InUse');
  console.log(
    `member ${id}: Type ${m.type}, InstanceId ${m.instanceId}, trunk ${m.attachment!.trunkNetworkInterfaceId}, VLAN ${m.attachment!.deviceIndex}, ${m.privateIpAddress}`,
  );
  members.push(id);
}

// 4. The members, listed as Terway's garbage collector lists them, and from the trunk.
const listed = await ecs.describeNetworkInterfaces(
  new Ecs.DescribeNetworkInterfacesRequest({ regionId, vpcId, type: 'Member', status: 'InUse', maxResults: 100 }),
);
const attachment = await ecs.describeNetworkInterfaceAttribute(
  new Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: trunkId, attribute: 'attachment' }),
);
const ofTrunk = attachment.body!.attachment!.memberNetworkInterfaceIds!.memberNetworkInterfaceId!;

// 5. A trunk with members stays.
let linked = '';
try {
  await ecs.detachNetworkInterface(new Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: trunkId }));
} catch (err) {
  linked = (err as { code?: string }).code ?? String(err);
}

// 6. Members first, then the trunk.
for (const id of members) {
  await ecs.detachNetworkInterface(new Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: id, trunkNetworkInstanceId: trunkId }));
  const e = await waitFor(id, 'Available');
  if (e.type !== 'Secondary') throw new Error(`${id} is ${e.type} after its detach`);
  await ecs.deleteNetworkInterface(new Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: id }));
}
await ecs.detachNetworkInterface(new Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: trunkId }));
await waitFor(trunkId, 'Available');
await ecs.deleteNetworkInterface(new Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: trunkId }));

console.log(
  `node ${instanceId} (${NODE_TYPE}: ${type.eniQuantity} ENIs of its own, ${type.eniTotalQuantity} in all): trunk ${trunkId} with ${listed.body!.totalCount} members listed by Type=Member, ${ofTrunk.length} in its attachment; detaching the trunk with members: ${linked}; members and trunk detached and deleted`,
);
