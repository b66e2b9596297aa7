// Dual stack with the official SDKs: an IPv6 VPC (a /56), a vSwitch with its /64, an instance
// whose primary ENI has IPv6 addresses, and a secondary ENI created with IPv6 addresses and an
// IPv6 /80 prefix, then topped up (AssignIpv6Addresses) and trimmed (UnassignIpv6Addresses),
// attached, and read back from the metadata service as a guest would (ipv6s, ipv6-gateway,
// vswitch-ipv6-cidr-block). Nothing here is eniplane-specific but the endpoints.
//
//   ENIPLANE_ENDPOINT=127.0.0.1:8080 ENIPLANE_METADATA=http://127.0.0.1:8081 node examples/ipv6-dual-stack.mjs
//
// Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ecs = require('@alicloud/ecs20140526');
const Vpc = require('@alicloud/vpc20160428');
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil;

function credentials() {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET };
  }
  const file = JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8'));
  return { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
}

const config = new Config({ ...credentials(), endpoint: process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080', protocol: 'http', regionId: 'cn-hangzhou' });
const metadataUrl = process.env.ENIPLANE_METADATA ?? 'http://127.0.0.1:8081';
const vpc = new Vpc.default(config);
const ecs = new Ecs.default(config);
const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, check) {
  for (let i = 0; i < 120; i++) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// 1. An IPv6 VPC and a vSwitch with the /64 at index 1 of the VPC's /56.
const { vpcId } = (await vpc.createVpc(new Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16', enableIpv6: true }))).body;
await until('the VPC', async () => (await vpc.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId, vpcId }))).body.vpcs.vpc[0].status === 'Available');
const vpcBlock = (await vpc.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId, vpcId }))).body.vpcs.vpc[0].ipv6CidrBlock;
const { vSwitchId } = (await vpc.createVSwitch(new Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '192.168.1.0/24', ipv6CidrBlock: 1 }))).body;
await until('the vSwitch', async () => {
  const v = (await vpc.describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId, vSwitchId }))).body.vSwitches.vSwitch[0];
  return v.status === 'Available';
});
const vswitchBlock = (await vpc.describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId, vSwitchId }))).body.vSwitches.vSwitch[0].ipv6CidrBlock;
const { securityGroupId } = (await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body;

// 2. An instance whose primary ENI gets two IPv6 addresses.
const [instanceId] = (
  await ecs.runInstances(
    new Ecs.RunInstancesRequest({
      regionId,
      instanceType: 'ecs.g7.xlarge',
      imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
      vSwitchId,
      securityGroupId,
      ipv6AddressCount: 2,
    }),
  )
).body.instanceIdSets.instanceIdSet;
await until('the instance', async () => {
  const res = await ecs.describeInstances(new Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }));
  return res.body.instances.instance[0]?.status === 'Running';
});

// 3. A secondary ENI with two IPv6 addresses and a /80 prefix; one more address, then one fewer.
const eni = (
  await ecs.createNetworkInterface(new Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, ipv6AddressCount: 2, ipv6PrefixCount: 1 }))
).body;
const added = (await ecs.assignIpv6Addresses(new Ecs.AssignIpv6AddressesRequest({ regionId, networkInterfaceId: eni.networkInterfaceId, ipv6AddressCount: 1 })))
  .body.ipv6Sets.ipv6Address;
await ecs.unassignIpv6Addresses(
  new Ecs.UnassignIpv6AddressesRequest({ regionId, networkInterfaceId: eni.networkInterfaceId, ipv6Address: [eni.ipv6Sets.ipv6Set[0].ipv6Address] }),
);

// 4. Attach it and read what the guest sees.
await ecs.attachNetworkInterface(new Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: eni.networkInterfaceId }));
const attr = async () =>
  (await ecs.describeNetworkInterfaceAttribute(new Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: eni.networkInterfaceId })))
    .body;
await until('the ENI to be InUse', async () => (await attr()).status === 'InUse');
const md = async (item) => {
  const res = await fetch(`${metadataUrl}/latest/meta-data/network/interfaces/macs/${eni.macAddress}/${item}`, {
    headers: { 'X-Eniplane-Instance-Id': instanceId },
  });
  return res.ok ? await res.text() : `(HTTP ${res.status})`;
};
const shown = await attr();
console.log(`VPC ${vpcId} ${vpcBlock}, vSwitch ${vSwitchId} ${vswitchBlock}, instance ${instanceId}`);
console.log(
  `ENI ${eni.networkInterfaceId}: IPv6 ${shown.ipv6Sets.ipv6Set.map((s) => s.ipv6Address).join(' ')}; prefix ${shown.ipv6PrefixSets.ipv6PrefixSet.map((p) => p.ipv6Prefix).join(' ')}; added ${added.join(' ')}`,
);
console.log(
  `metadata ipv6s ${await md('ipv6s')}, ipv6-gateway ${await md('ipv6-gateway')}, vswitch-ipv6-cidr-block ${await md('vswitch-ipv6-cidr-block')}, ipv6-prefixes ${await md('ipv6-prefixes')}`,
);
