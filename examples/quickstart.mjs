// Creates a VPC, a vSwitch and a security group on a running eniplane with the official SDKs,
// waits for them to become Available, and lists them. Nothing here is eniplane-specific but the
// endpoint: the same code runs against the real cloud.
//
//   ENIPLANE_ENDPOINT=127.0.0.1:8080 node examples/quickstart.mjs
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
const vpc = new Vpc.default(config);
const ecs = new Ecs.default(config);
const RegionId = 'cn-hangzhou';

async function waitAvailable(describe, what) {
  for (let i = 0; i < 60; i++) {
    if ((await describe()) === 'Available') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become Available`);
}

const { vpcId } = (await vpc.createVpc(new Vpc.CreateVpcRequest({ regionId: RegionId, cidrBlock: '192.168.0.0/16', vpcName: 'quickstart' }))).body;
await waitAvailable(async () => (await vpc.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: RegionId, vpcId }))).body.vpcs.vpc[0].status, vpcId);

const { vSwitchId } = (
  await vpc.createVSwitch(
    new Vpc.CreateVSwitchRequest({ regionId: RegionId, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '192.168.1.0/24', vSwitchName: 'quickstart' }),
  )
).body;
await waitAvailable(
  async () => (await vpc.describeVSwitchAttributes(new Vpc.DescribeVSwitchAttributesRequest({ regionId: RegionId, vSwitchId }))).body.status,
  vSwitchId,
);

const { securityGroupId } = (await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId: RegionId, vpcId, securityGroupName: 'quickstart' })))
  .body;

const sw = (await vpc.describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId: RegionId, vpcId }))).body.vSwitches.vSwitch[0];
console.log(`VPC ${vpcId}, vSwitch ${vSwitchId} (${sw.cidrBlock}, ${sw.availableIpAddressCount} free addresses), security group ${securityGroupId}`);
