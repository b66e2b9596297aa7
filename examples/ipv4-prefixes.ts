/**
 * IPv4 prefixes on an ENI with the official SDKs, as Terway's prefix mode uses them: an ENI
 * created with two automatic /28 prefixes, one more named explicitly, the prefixes read back from
 * DescribeNetworkInterfaces, one given back, and the vSwitch's free count along the way (each
 * prefix holds 16 of its addresses). Nothing here is eniplane-specific but the endpoint.
 *
 *   ENIPLANE_ENDPOINT=127.0.0.1:8080 node --import tsx examples/ipv4-prefixes.ts
 *
 * Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';

// The SDKs are CommonJS with `exports.default`: require() reaches the client classes.
const require = createRequire(import.meta.url);
const EcsClient = require('@alicloud/ecs20140526').default as typeof $Ecs.default.default;
const VpcClient = require('@alicloud/vpc20160428').default as typeof $Vpc.default.default;
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
const config = new Config({ ...credentials(), endpoint: process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080', protocol: 'http', regionId });
const ecs = new EcsClient(config);
const vpc = new VpcClient(config);

async function until(read: () => Promise<string | undefined>, want: string): Promise<void> {
  for (let i = 0; i < 120 && (await read()) !== want; i++) await new Promise((r) => setTimeout(r, 250));
}

const { vpcId } = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16' }))).body!;
await until(async () => (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId, vpcId }))).body!.vpcs!.vpc![0]!.status, 'Available');
const { vSwitchId } = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock: '192.168.1.0/24', zoneId: 'cn-hangzhou-i' }))).body!;
const vswitch = async () => (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId, vSwitchId }))).body!;
await until(async () => (await vswitch()).status, 'Available');
const { securityGroupId } = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!;
console.log(`vSwitch ${vSwitchId} (192.168.1.0/24): ${(await vswitch()).availableIpAddressCount} free addresses`);

// CreateNetworkInterface with Ipv4PrefixCount: the ENI's primary address and two /28s carved from the vSwitch.
const created = (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, ipv4PrefixCount: 2 }))).body!;
const eniId = created.networkInterfaceId!;
const prefixesOf = (e: { ipv4PrefixSets?: { ipv4PrefixSet?: { ipv4Prefix?: string }[] } }) => (e.ipv4PrefixSets?.ipv4PrefixSet ?? []).map((p) => p.ipv4Prefix!);
console.log(`created ${eniId} with ${created.privateIpAddress} and prefixes ${prefixesOf(created).join(', ')}`);

// AssignPrivateIpAddresses with Ipv4Prefix.N: a prefix chosen by the caller (a standard /28 that is
// wholly free: here the highest one clear of the ENI's address and prefixes; .240/28 holds the reserved tail).
const last = (ip: string) => Number(ip.split('.')[3]);
const taken = [last(created.privateIpAddress!), ...prefixesOf(created).flatMap((p) => Array.from({ length: 16 }, (_, i) => last(p.split('/')[0]!) + i))];
const start = [224, 208, 192, 176].find((s) => !taken.some((t) => t >= s && t < s + 16))!;
const named = `192.168.1.${start}/28`;
const assigned = (await ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eniId, ipv4Prefix: [named] })))
  .body!.assignedPrivateIpAddressesSet!;
console.log(`assigned ${assigned.ipv4PrefixSet!.ipv4Prefixes!.join(', ')}`);

// A prefix that is not a standard CIDR block is refused as the cloud refuses it.
try {
  await ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eniId, ipv4Prefix: ['192.168.1.17/28'] }));
} catch (err) {
  const e = err as { code?: string; statusCode?: number };
  console.log(`192.168.1.17/28 refused: ${e.statusCode} ${e.code}`);
}

const listed = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [eniId] }))).body!;
const held = prefixesOf(listed.networkInterfaceSets!.networkInterfaceSet![0]!);
console.log(`DescribeNetworkInterfaces: ${held.length} prefixes; vSwitch: ${(await vswitch()).availableIpAddressCount} free addresses`);

// UnassignPrivateIpAddresses with Ipv4Prefix.N gives a prefix's 16 addresses back.
await ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eniId, ipv4Prefix: [named] }));
console.log(`unassigned ${named}; vSwitch: ${(await vswitch()).availableIpAddressCount} free addresses`);
await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: eniId }));
