// Replays a Terway node's ENI workflow against a running eniplane, with Terway's exact calls and
// wire style (alibaba-cloud-sdk-go: POST, every parameter in the query string, V1 HMAC-SHA1
// signature with an empty SignatureType). It sets up a VPC with two vSwitches in one zone, a
// security group and a node instance, then does what Terway's node daemon and control plane do:
//
//   1. DescribeInstanceTypes for the node's limits (ENIs, addresses per ENI);
//   2. CreateNetworkInterface for the daemon: SourceDestCheck=false, Tag creator=terway, a
//      ClientToken, secondary addresses; the same call retried with the same token;
//   3. AttachNetworkInterface to the node, waiting for InUse with Terway's doubling backoff;
//   4. AssignPrivateIpAddresses / UnassignPrivateIpAddresses (InvalidIp.IpUnassigned is done);
//   5. a pod ENI in the OTHER vSwitch of the node's zone, attached to the node;
//   6. release: DetachNetworkInterface, a pause, DeleteNetworkInterface, then polling until the
//      ENI is listed no more (InvalidEniId.NotFound counts as done).
//
//   ENIPLANE_ENDPOINT=127.0.0.1:8080 node examples/terway-node.mjs
//
// Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN
// for temporary credentials), else .eniplane/credentials.json. TERWAY_TIME_SCALE (default 1: Terway's
// real waits, which fit the server's realistic delays) shortens Terway's waits, e.g. 0.1 against a
// server started with `--delays none,eniAttach=300,eniDetach=300,eniDelete=300` (keep the ratio:
// Terway sleeps 5 s between detach and delete, longer than the cloud's detach).
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const endpoint = process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080';
const RegionId = 'cn-hangzhou';
const ZoneId = 'cn-hangzhou-i';
const NODE_TYPE = 'ecs.g7.xlarge';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const scale = Number(process.env.TERWAY_TIME_SCALE ?? '1');
const sleep = (seconds) => new Promise((r) => setTimeout(r, seconds * 1000 * scale));

function credentials() {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return {
      accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
      accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      securityToken: process.env.ALIBABA_CLOUD_SECURITY_TOKEN,
    };
  }
  const file = JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8'));
  return { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
}
const key = credentials();

// RFC 3986 encoding for the string to sign; Go's url.Values.Encode (space as '+') for the URL.
const pct = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const goEscape = (s) => pct(s).replace(/%20/g, '+');

class ApiError extends Error {
  constructor(status, body) {
    super(`${body.Code}: ${body.Message}`);
    this.status = status;
    this.code = body.Code;
  }
}

/** One call as alibaba-cloud-sdk-go sends it. Lists become Name.N, lists of objects Name.N.Key; empty values are left out. */
async function call(version, Action, params = {}) {
  const q = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === 'object') for (const [k, v] of Object.entries(item)) q[`${name}.${i + 1}.${k}`] = String(v);
        else q[`${name}.${i + 1}`] = String(item);
      });
    } else q[name] = String(value);
  }
  Object.assign(q, {
    Version: version,
    Action,
    Format: 'JSON',
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    SignatureMethod: 'HMAC-SHA1',
    SignatureType: '',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID().replace(/-/g, ''),
    AccessKeyId: key.accessKeyId,
  });
  if (!q.RegionId) q.RegionId = RegionId;
  if (key.securityToken) q.SecurityToken = key.securityToken;
  const sorted = Object.keys(q).sort();
  const canonical = sorted.map((k) => `${pct(k)}=${pct(q[k])}`).join('&');
  const signature = createHmac('sha1', `${key.accessKeySecret}&`)
    .update(`POST&%2F&${pct(canonical)}`)
    .digest('base64');
  const query = [...sorted.map((k) => `${goEscape(k)}=${goEscape(q[k])}`), `Signature=${goEscape(signature)}`].join('&');
  const res = await fetch(`http://${endpoint}/?${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  const body = await res.json();
  if (res.status >= 400) throw new ApiError(res.status, body);
  return body;
}
const ecs = (action, params) => call('2014-05-26', action, params);
const vpc = (action, params) => call('2016-04-28', action, params);
const codeIs = (err, ...codes) => err instanceof ApiError && codes.includes(err.code);

/** k8s wait.ExponentialBackoff: at most `steps` tries, `duration` seconds doubling between them. */
async function backoff({ initialDelay = 0, duration, factor = 2, steps, cap = Infinity }, condition) {
  if (initialDelay) await sleep(initialDelay);
  for (let i = 1; i <= steps; i++) {
    if (await condition()) return;
    if (i < steps) await sleep(Math.min(duration * factor ** (i - 1), cap));
  }
  throw new Error('timed out waiting for the condition');
}
const describeById = async (id) =>
  (await ecs('DescribeNetworkInterfaces', { NetworkInterfaceId: [id], MaxResults: 500 })).NetworkInterfaceSets.NetworkInterfaceSet;
async function waitForStatus(id, status) {
  await backoff({ duration: 5, steps: 6 }, async () => (await describeById(id))[0]?.Status === status);
}
async function waitAvailable(read) {
  await backoff({ duration: 1, factor: 1, steps: 60 }, async () => (await read()) === 'Available');
}

// The cluster's network and one node (what the cluster installer, not Terway, creates).
const { VpcId } = await vpc('CreateVpc', { CidrBlock: '10.8.0.0/16', VpcName: 'terway-node-example' });
await waitAvailable(async () => (await vpc('DescribeVpcs', { VpcId })).Vpcs.Vpc[0].Status);
const vswitch = async (CidrBlock) => {
  const { VSwitchId } = await vpc('CreateVSwitch', { VpcId, ZoneId, CidrBlock });
  await waitAvailable(async () => (await vpc('DescribeVSwitchAttributes', { VSwitchId })).Status);
  return VSwitchId;
};
const nodeVsw = await vswitch('10.8.1.0/24');
const podVsw = await vswitch('10.8.2.0/24');
const { SecurityGroupId } = await ecs('CreateSecurityGroup', { VpcId, SecurityGroupName: 'terway-node-example' });
const instanceId = (await ecs('RunInstances', { InstanceType: NODE_TYPE, ImageId: IMAGE, VSwitchId: nodeVsw, SecurityGroupId })).InstanceIdSets
  .InstanceIdSet[0];
await backoff(
  { duration: 1, factor: 1, steps: 120 },
  async () => (await ecs('DescribeInstances', { InstanceIds: JSON.stringify([instanceId]) })).Instances.Instance[0]?.Status === 'Running',
);

// 1. Node limits (pkg/aliyun/client/limit.go).
const type = (await ecs('DescribeInstanceTypes', { InstanceTypes: [NODE_TYPE], MaxResults: 100 })).InstanceTypes.InstanceType[0];
const ipsPerEni = type.EniPrivateIpAddressQuantity;

// 2. The daemon's ENI (pkg/aliyun/client/options.go, pkg/factory/aliyun/aliyun.go).
const createParams = (VSwitchId, ipCount, extra = {}) => ({
  VSwitchId,
  InstanceType: 'Secondary',
  SecurityGroupIds: [SecurityGroupId],
  Description: 'interface create by terway',
  SecondaryPrivateIpAddressCount: ipCount > 1 ? ipCount - 1 : undefined,
  SourceDestCheck: false,
  Tag: [{ Key: 'creator', Value: 'terway' }],
  ClientToken: randomUUID(),
  ...extra,
});
const daemonParams = createParams(nodeVsw, Math.min(5, ipsPerEni));
const daemon = await ecs('CreateNetworkInterface', daemonParams);
const retried = await ecs('CreateNetworkInterface', daemonParams);
if (retried.NetworkInterfaceId !== daemon.NetworkInterfaceId) throw new Error('a retry with the same ClientToken created a second ENI');

// 3. Attach and wait (Terway's backoff: 5 s doubling, 6 tries).
await ecs('AttachNetworkInterface', { InstanceId: instanceId, NetworkInterfaceId: daemon.NetworkInterfaceId });
await waitForStatus(daemon.NetworkInterfaceId, 'InUse');

// 4. Address churn for pods.
const assigned = await ecs('AssignPrivateIpAddresses', {
  NetworkInterfaceId: daemon.NetworkInterfaceId,
  SecondaryPrivateIpAddressCount: 2,
  ClientToken: randomUUID(),
});
const [released] = assigned.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress;
await ecs('UnassignPrivateIpAddresses', { NetworkInterfaceId: daemon.NetworkInterfaceId, PrivateIpAddress: [released] });
await ecs('UnassignPrivateIpAddresses', { NetworkInterfaceId: daemon.NetworkInterfaceId, PrivateIpAddress: [released] }).catch((err) => {
  if (!codeIs(err, 'InvalidIp.IpUnassigned')) throw err;
});
const daemonIps = (await describeById(daemon.NetworkInterfaceId))[0].PrivateIpSets.PrivateIpSet.length;

// 5. A pod ENI in the other vSwitch of the node's zone (pkg/controller/pod), attached to the node.
const pod = await ecs('CreateNetworkInterface', createParams(podVsw, 1, { DeleteOnRelease: true, Tag: [{ Key: 'creator', Value: 'terway-controller' }] }));
await ecs('AttachNetworkInterface', { InstanceId: instanceId, NetworkInterfaceId: pod.NetworkInterfaceId });
await waitForStatus(pod.NetworkInterfaceId, 'InUse');

// 6. Release both (pkg/factory/aliyun/aliyun.go DeleteNetworkInterface, pkg/aliyun/client/ecs.go).
for (const id of [pod.NetworkInterfaceId, daemon.NetworkInterfaceId]) {
  await ecs('DetachNetworkInterface', { NetworkInterfaceId: id, InstanceId: instanceId });
  await sleep(5);
  try {
    await ecs('DeleteNetworkInterface', { NetworkInterfaceId: id });
  } catch (err) {
    if (!codeIs(err, 'InvalidEniId.NotFound')) throw err;
  }
  await backoff({ initialDelay: 1, duration: 2, factor: 1.5, cap: 4, steps: 4 }, async () => (await describeById(id)).length === 0);
}

console.log(
  `Terway node ${instanceId} (${NODE_TYPE}, ${ipsPerEni} addresses per ENI): daemon ENI ${daemon.NetworkInterfaceId} in ${nodeVsw} with ${daemonIps} addresses, ` +
    `pod ENI ${pod.NetworkInterfaceId} in ${podVsw}; both attached, detached and deleted`,
);
