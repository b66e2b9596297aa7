import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { pollUntil } from '../helpers/poll.ts';
import { freshPostgresDatabase, startServer, type RunningServer } from '../helpers/server.ts';

const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const MAC = /^00:16:3e(:[0-9a-f]{2}){3}$/;

interface Answer {
  status: number;
  body: string;
  type: string | null;
  headers: Headers;
}

/** A plain HTTP request to the metadata service, as a guest's curl would make it. */
async function md(server: RunningServer, path: string, opts: { instance?: string; headers?: Record<string, string>; method?: string } = {}): Promise<Answer> {
  const res = await fetch(`${server.metadataUrl}${path}`, {
    method: opts.method ?? 'GET',
    headers: { ...(opts.instance && { 'X-Eniplane-Instance-Id': opts.instance }), ...opts.headers },
  });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type'), headers: res.headers };
}

/** The body of an item that must exist. */
async function item(server: RunningServer, instance: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  const a = await md(server, `/latest/meta-data/${path}`, { instance, headers });
  assert.equal(a.status, 200, `${path}: HTTP ${a.status} ${a.body}`);
  return a.body;
}

async function listing(server: RunningServer, instance: string, path: string): Promise<string[]> {
  return (await item(server, instance, path)).split('\n');
}

async function token(server: RunningServer, instance: string, ttl = '21600'): Promise<string> {
  const a = await md(server, '/latest/api/token', { instance, method: 'PUT', headers: { 'X-aliyun-ecs-metadata-token-ttl-seconds': ttl } });
  assert.equal(a.status, 200, a.body);
  return a.body;
}

/** Network fixtures and SDK shorthands over one server. */
function world(server: RunningServer) {
  const ecs = ecsClient(server);
  const vpc = vpcClient(server);
  let net = 0;
  const w = {
    ecs,
    vpc,
    async network() {
      const n = net++;
      const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: `10.${n}.0.0/16` }))).body!.vpcId!;
      const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: `10.${n}.1.0/24` }))).body!.vSwitchId!;
      const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
      return { vpcId, vSwitchId, securityGroupId, vpcCidr: `10.${n}.0.0/16`, vswitchCidr: `10.${n}.1.0/24`, gateway: `10.${n}.1.253` };
    },
    async instance(n: { vSwitchId: string; securityGroupId: string }, extra: Partial<$Ecs.RunInstancesRequest> = {}) {
      const run = await ecs.runInstances(
        new $Ecs.RunInstancesRequest({
          regionId,
          instanceType: 'ecs.g7.large',
          imageId: IMAGE,
          vSwitchId: n.vSwitchId,
          securityGroupId: n.securityGroupId,
          ...extra,
        }),
      );
      return run.body!.instanceIdSets!.instanceIdSet![0]!;
    },
    async describe(instanceId: string) {
      return (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }))).body!.instances!
        .instance![0]!;
    },
    async primary(instanceId: string) {
      return (await w.describe(instanceId)).networkInterfaces!.networkInterface!.find((e) => e.type === 'Primary')!;
    },
    async eni(n: { vSwitchId: string; securityGroupId: string }) {
      const id = (
        await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: n.vSwitchId, securityGroupId: n.securityGroupId }))
      ).body!.networkInterfaceId!;
      const attr = (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: id }))).body!;
      return { id, mac: attr.macAddress!, ip: attr.privateIpAddress! };
    },
    attach: (instanceId: string, networkInterfaceId: string) =>
      ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId })),
    detach: (instanceId: string, networkInterfaceId: string) =>
      ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId })),
    async eniStatus(networkInterfaceId: string) {
      return (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId }))).body!.status!;
    },
    metadataOptions: (instanceId: string, extra: Partial<$Ecs.ModifyInstanceMetadataOptionsRequest>) =>
      ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId, instanceId, ...extra })),
  };
  return w;
}

describe('metadata service', () => {
  let server: RunningServer;
  let w: ReturnType<typeof world>;
  let net: Awaited<ReturnType<ReturnType<typeof world>['network']>>;
  before(async () => {
    server = await startServer();
    w = world(server);
    // One network for the suite: the VPC quota is 10 per region.
    net = await w.network();
  });
  after(() => server.dispose());

  test('meta-data: the instance-level items describe the instance and its primary ENI, as plain text', async () => {
    const n = net;
    const id = await w.instance(n, { instanceName: 'web-1', hostName: 'web-1-host' });
    const primary = await w.primary(id);
    assert.match(primary.macAddress!, MAC);

    const top = await md(server, '/latest/meta-data/', { instance: id });
    assert.equal(top.status, 200);
    assert.match(top.type!, /^text\/plain/);
    assert.deepEqual(top.body.split('\n'), [
      'dns-conf/',
      'hostname',
      'image-id',
      'instance/',
      'instance-id',
      'mac',
      'network/',
      'network-type',
      'owner-account-id',
      'private-ipv4',
      'region-id',
      'vpc-cidr-block',
      'vpc-id',
      'vswitch-cidr-block',
      'vswitch-id',
      'zone-id',
    ]);
    const expected: Record<string, string> = {
      'instance-id': id,
      hostname: 'web-1-host',
      'instance/instance-name': 'web-1',
      'instance/instance-type': 'ecs.g7.large',
      'image-id': IMAGE,
      'region-id': regionId,
      'zone-id': zoneId,
      mac: primary.macAddress!,
      'private-ipv4': primary.primaryIpAddress!,
      'vpc-id': n.vpcId,
      'vpc-cidr-block': n.vpcCidr,
      'vswitch-id': n.vSwitchId,
      'vswitch-cidr-block': n.vswitchCidr,
      'network-type': 'vpc',
      'dns-conf/nameservers': '100.100.2.136\n100.100.2.138',
    };
    for (const [path, value] of Object.entries(expected)) assert.equal(await item(server, id, path), value, path);
    assert.match(await item(server, id, 'owner-account-id'), /^\d{16}$/);
    assert.deepEqual(await listing(server, id, 'instance/'), ['instance-name', 'instance-type']);
    // A directory answers with or without its trailing slash; cloud-init asks under 2016-01-01.
    assert.deepEqual(await listing(server, id, 'instance'), ['instance-name', 'instance-type']);
    const old = await md(server, '/2016-01-01/meta-data/instance-id', { instance: id });
    assert.deepEqual([old.status, old.body], [200, id]);
    assert.deepEqual((await md(server, '/latest/', { instance: id })).body.split('\n'), ['meta-data/']);
    assert.deepEqual((await md(server, '/')).body.split('\n'), ['latest/', '2016-01-01/']);
  });

  test('network/interfaces/macs: one directory per attached ENI with its addresses, mask, gateway, vSwitch and VPC', async () => {
    const n = net;
    const id = await w.instance(n);
    const primary = await w.primary(id);
    const mac = primary.macAddress!;
    assert.deepEqual(await listing(server, id, 'network/'), ['interfaces/']);
    assert.deepEqual(await listing(server, id, 'network/interfaces/macs/'), [`${mac}/`]);
    assert.deepEqual(await listing(server, id, `network/interfaces/macs/${mac}/`), [
      'gateway',
      'netmask',
      'network-interface-id',
      'primary-ip-address',
      'private-ipv4s',
      'vpc-cidr-block',
      'vpc-id',
      'vswitch-cidr-block',
      'vswitch-id',
    ]);
    const base = `network/interfaces/macs/${mac}`;
    assert.equal(await item(server, id, `${base}/network-interface-id`), primary.networkInterfaceId);
    assert.equal(await item(server, id, `${base}/primary-ip-address`), primary.primaryIpAddress);
    assert.equal(await item(server, id, `${base}/private-ipv4s`), JSON.stringify([primary.primaryIpAddress]));
    assert.equal(await item(server, id, `${base}/netmask`), '255.255.255.0');
    assert.equal(await item(server, id, `${base}/gateway`), n.gateway);
    assert.equal(await item(server, id, `${base}/vswitch-id`), n.vSwitchId);
    assert.equal(await item(server, id, `${base}/vswitch-cidr-block`), n.vswitchCidr);
    assert.equal(await item(server, id, `${base}/vpc-id`), n.vpcId);
    assert.equal(await item(server, id, `${base}/vpc-cidr-block`), n.vpcCidr);
  });

  test('network/interfaces/macs: attach, Assign/UnassignPrivateIpAddresses and detach show on the very next read', async () => {
    const n = net;
    const id = await w.instance(n);
    const primaryMac = (await w.primary(id)).macAddress!;
    const eni = await w.eni(n);
    await w.attach(id, eni.id);
    assert.deepEqual(await listing(server, id, 'network/interfaces/macs/'), [`${primaryMac}/`, `${eni.mac}/`]);
    const base = `network/interfaces/macs/${eni.mac}`;
    assert.equal(await item(server, id, `${base}/network-interface-id`), eni.id);
    assert.equal(await item(server, id, `${base}/primary-ip-address`), eni.ip);
    // The top-level items stay the primary ENI's.
    assert.equal(await item(server, id, 'mac'), primaryMac);

    const assigned = (
      await w.ecs.assignPrivateIpAddresses(
        new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eni.id, secondaryPrivateIpAddressCount: 2 }),
      )
    ).body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress!;
    assert.equal(assigned.length, 2);
    const apiOrder = async () =>
      (
        await w.ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: eni.id }))
      ).body!.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!);
    const ipv4s = JSON.parse(await item(server, id, `${base}/private-ipv4s`)) as string[];
    assert.deepEqual([ipv4s[0], [...ipv4s.slice(1)].sort()], [eni.ip, [...assigned].sort()], 'primary first');
    assert.deepEqual(ipv4s, await apiOrder(), 'the order the API lists them in');
    await w.ecs.unassignPrivateIpAddresses(
      new $Ecs.UnassignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eni.id, privateIpAddress: [assigned[0]!] }),
    );
    assert.deepEqual(JSON.parse(await item(server, id, `${base}/private-ipv4s`)), [eni.ip, assigned[1]]);
    assert.deepEqual(JSON.parse(await item(server, id, `${base}/private-ipv4s`)), await apiOrder());

    await w.detach(id, eni.id);
    assert.deepEqual(await listing(server, id, 'network/interfaces/macs/'), [`${primaryMac}/`]);
    assert.equal((await md(server, `/latest/meta-data/${base}/network-interface-id`, { instance: id })).status, 404);
  });

  test('meta-data/all: the whole tree as one JSON object', async () => {
    const n = net;
    const id = await w.instance(n);
    const primary = await w.primary(id);
    const a = await md(server, '/2016-01-01/meta-data/all', { instance: id });
    assert.equal(a.status, 200);
    assert.match(a.type!, /^application\/json/);
    const all = JSON.parse(a.body) as Record<string, any>;
    assert.equal(all['instance-id'], id);
    assert.deepEqual(all['dns-conf'], { nameservers: ['100.100.2.136', '100.100.2.138'] });
    assert.equal(all.instance['instance-type'], 'ecs.g7.large');
    const mac = all.network.interfaces.macs[primary.macAddress!];
    assert.equal(mac.gateway, n.gateway);
    assert.equal(mac['network-interface-id'], primary.networkInterfaceId);
    assert.deepEqual(mac['private-ipv4s'], [primary.primaryIpAddress]);
  });

  test('eipv4 and public-ipv4: present while an EIP is on the primary address, 404 otherwise', async () => {
    const n = net;
    const id = await w.instance(n);
    assert.equal((await md(server, '/latest/meta-data/eipv4', { instance: id })).status, 404);
    const eip = (await w.vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId }))).body!;
    await w.vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId, allocationId: eip.allocationId, instanceId: id }));
    assert.equal(await item(server, id, 'eipv4'), eip.eipAddress);
    assert.equal(await item(server, id, 'public-ipv4'), eip.eipAddress);
    await w.vpc.unassociateEipAddress(new $Vpc.UnassociateEipAddressRequest({ regionId, allocationId: eip.allocationId }));
    assert.equal((await md(server, '/latest/meta-data/public-ipv4', { instance: id })).status, 404);
  });

  test('404: unknown items, IPv6 items, other versions, no instance named, an unknown or deleted instance', async () => {
    const n = net;
    const id = await w.instance(n);
    const mac = (await w.primary(id)).macAddress!;
    for (const path of [
      '/latest/meta-data/nothing',
      `/latest/meta-data/network/interfaces/macs/${mac}/ipv6s`,
      `/latest/meta-data/network/interfaces/macs/00:16:3e:00:00:00/`,
      '/latest/meta-data/instance-id/more',
      '/2009-04-04/meta-data/',
      '/latest/vendor-data',
    ]) {
      assert.equal((await md(server, path, { instance: id })).status, 404, path);
    }
    const anonymous = await md(server, '/latest/meta-data/instance-id');
    assert.equal(anonymous.status, 404);
    assert.match(anonymous.body, /X-Eniplane-Instance-Id/);
    const unknown = await md(server, '/latest/meta-data/instance-id', { instance: 'i-bp1doesnotexist0000' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /No instance i-bp1doesnotexist0000/);

    await w.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    const gone = await md(server, '/latest/meta-data/instance-id', { instance: id });
    assert.equal(gone.status, 404);
    assert.match(gone.body, new RegExp(`No instance ${id}`));
  });

  test('identification: a path prefix works like the header; naming two different instances is refused', async () => {
    const n = net;
    const [a, b] = [await w.instance(n), await w.instance(n)];
    const byPath = await md(server, `/${a}/latest/meta-data/instance-id`);
    assert.deepEqual([byPath.status, byPath.body], [200, a]);
    assert.equal((await md(server, `/${b}/2016-01-01/meta-data/mac`)).body, (await w.primary(b)).macAddress);
    const both = await md(server, `/${a}/latest/meta-data/instance-id`, { instance: a });
    assert.deepEqual([both.status, both.body], [200, a]);
    const clash = await md(server, `/${a}/latest/meta-data/instance-id`, { instance: b });
    assert.equal(clash.status, 400);
    // The token endpoint takes the prefix too.
    const t = await md(server, `/${a}/latest/api/token`, { method: 'PUT', headers: { 'X-aliyun-ecs-metadata-token-ttl-seconds': '60' } });
    assert.equal(t.status, 200);
    assert.equal((await md(server, '/latest/meta-data/instance-id', { instance: a, headers: { 'X-aliyun-ecs-metadata-token': t.body } })).status, 200);
  });

  test('user-data: RunInstances UserData, decoded; 404 when none was given', async () => {
    const n = net;
    const script = '#!/bin/sh\necho hello\n';
    const withData = await w.instance(n, { userData: Buffer.from(script).toString('base64') });
    const a = await md(server, '/2016-01-01/user-data', { instance: withData });
    assert.deepEqual([a.status, a.body], [200, script]);
    assert.deepEqual((await md(server, '/latest/', { instance: withData })).body.split('\n'), ['meta-data/', 'user-data']);
    const without = await w.instance(n);
    assert.equal((await md(server, '/2016-01-01/user-data', { instance: without })).status, 404);
  });

  test('api/token: TTL 1..21600, 400 outside; 403 with X-Forwarded-For; PUT only', async () => {
    const n = net;
    const id = await w.instance(n);
    const put = (headers: Record<string, string>) => md(server, '/latest/api/token', { instance: id, method: 'PUT', headers });
    for (const ttl of ['0', '21601', '21700', '-5', '1.5', 'abc', '']) {
      const a = await put({ 'X-aliyun-ecs-metadata-token-ttl-seconds': ttl });
      assert.equal(a.status, 400, `TTL "${ttl}"`);
      assert.match(a.body, /Missing or Invalid Parameters/);
    }
    assert.equal((await put({})).status, 400, 'no TTL header');
    for (const ttl of ['1', '21600']) {
      const a = await put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': ttl });
      assert.equal(a.status, 200, `TTL ${ttl}`);
      assert.ok(a.body.length > 20);
      assert.equal(a.headers.get('x-aliyun-ecs-metadata-token-ttl-seconds'), ttl);
    }
    const proxied = await put({ 'X-aliyun-ecs-metadata-token-ttl-seconds': '60', 'X-Forwarded-For': '10.0.0.9' });
    assert.equal(proxied.status, 403);
    const get = await md(server, '/latest/api/token', { instance: id });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'PUT');
    assert.equal((await md(server, '/latest/meta-data/instance-id', { instance: id, method: 'PUT' })).status, 405);
  });

  test("tokens: a valid token reads; an invalid, expired or other instance's token is 401", async () => {
    const n = net;
    const [a, b] = [await w.instance(n), await w.instance(n)];
    const ta = await token(server, a);
    const read = (instance: string, t: string) => md(server, '/latest/meta-data/instance-id', { instance, headers: { 'X-aliyun-ecs-metadata-token': t } });
    assert.deepEqual([(await read(a, ta)).status, (await read(a, ta)).body], [200, a], 'reusable until it expires');
    assert.equal((await read(a, 'not-a-token')).status, 401);
    assert.equal((await read(a, ta.slice(0, -2) + (ta.endsWith('AA') ? 'BB' : 'AA'))).status, 401, 'tampered');
    assert.equal((await read(b, ta)).status, 401, 'bound to the instance that asked for it');
    const short = await token(server, a, '1');
    assert.equal((await read(a, short)).status, 200);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await read(a, short)).status, 401, 'expired');
  });

  test('HttpTokens=required: token-less reads are 403, token reads work; ModifyInstanceMetadataOptions switches it, DescribeInstances shows it', async () => {
    const n = net;
    const id = await w.instance(n, { httpTokens: 'required' });
    const plain = await md(server, '/latest/meta-data/instance-id', { instance: id });
    assert.equal(plain.status, 403);
    const t = await token(server, id);
    assert.equal(await item(server, id, 'instance-id', { 'X-aliyun-ecs-metadata-token': t }), id);
    assert.deepEqual(
      (await w.describe(id)).metadataOptions,
      new $Ecs.DescribeInstancesResponseBodyInstancesInstanceMetadataOptions({
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      }),
    );

    await w.metadataOptions(id, { httpTokens: 'optional' });
    assert.equal(await item(server, id, 'instance-id'), id);
    assert.equal((await w.describe(id)).metadataOptions!.httpTokens, 'optional');
    await w.metadataOptions(id, { httpTokens: 'required', httpPutResponseHopLimit: 3 });
    assert.equal((await md(server, '/latest/meta-data/instance-id', { instance: id })).status, 403);
    const opts = (await w.describe(id)).metadataOptions!;
    assert.deepEqual([opts.httpTokens, opts.httpEndpoint, opts.httpPutResponseHopLimit], ['required', 'enabled', 3], 'what is left out stays');
  });

  test('HttpEndpoint=disabled: reads and token requests are 403 until it is enabled again', async () => {
    const n = net;
    const id = await w.instance(n, { httpEndpoint: 'disabled' });
    assert.equal((await md(server, '/latest/meta-data/instance-id', { instance: id })).status, 403);
    const put = await md(server, '/latest/api/token', { instance: id, method: 'PUT', headers: { 'X-aliyun-ecs-metadata-token-ttl-seconds': '60' } });
    assert.equal(put.status, 403);
    assert.match(put.body, /HttpEndpoint=disabled/);
    await w.metadataOptions(id, { httpEndpoint: 'enabled' });
    assert.equal(await item(server, id, 'instance-id'), id);
  });

  test('ModifyInstanceMetadataOptions: InstanceMetadataTags=enabled shows tags/instance/; bad values and unknown instances are refused', async () => {
    const n = net;
    const id = await w.instance(n, {
      tag: [new $Ecs.RunInstancesRequestTag({ key: 'team', value: 'net' }), new $Ecs.RunInstancesRequestTag({ key: 'empty', value: '' })],
    });
    assert.equal((await md(server, '/latest/meta-data/tags/instance/team', { instance: id })).status, 404, 'off by default');
    await w.metadataOptions(id, { instanceMetadataTags: 'enabled' });
    assert.deepEqual((await listing(server, id, 'tags/instance/')).sort(), ['empty', 'team']);
    assert.equal(await item(server, id, 'tags/instance/team'), 'net');
    assert.equal((await w.describe(id)).metadataOptions!.instanceMetadataTags, 'enabled');

    await expectApiError(w.metadataOptions(id, { httpTokens: 'always' }), 'InvalidParameter', 400);
    await expectApiError(w.metadataOptions('i-bp1doesnotexist0000', { httpTokens: 'required' }), 'InvalidInstanceId.NotFound', 404);
  });
});

describe('metadata service: asynchronous states', () => {
  let server: RunningServer;
  let w: ReturnType<typeof world>;
  before(async () => {
    server = await startServer({ args: ['--delays', 'none,eniAttach=1500,eniDetach=1500'] });
    w = world(server);
  });
  after(() => server.dispose());

  test('network/interfaces/macs: an Attaching ENI is not there yet, a Detaching one is already gone', async () => {
    const n = await w.network();
    const id = await w.instance(n);
    const primaryMac = (await w.primary(id)).macAddress!;
    const eni = await w.eni(n);
    await w.attach(id, eni.id);
    assert.equal(await w.eniStatus(eni.id), 'Attaching');
    assert.deepEqual(await listing(server, id, 'network/interfaces/macs/'), [`${primaryMac}/`], 'Attaching');
    await pollUntil(async () => (await listing(server, id, 'network/interfaces/macs/')).join(' '), `${primaryMac}/ ${eni.mac}/`);
    assert.equal(await w.eniStatus(eni.id), 'InUse', 'it appears once the ENI is InUse');
    await w.detach(id, eni.id);
    assert.equal(await w.eniStatus(eni.id), 'Detaching');
    assert.deepEqual(await listing(server, id, 'network/interfaces/macs/'), [`${primaryMac}/`], 'Detaching');
  });
});

describe('metadata service: --metadata-lag', () => {
  let server: RunningServer;
  let w: ReturnType<typeof world>;
  before(async () => {
    server = await startServer({ args: ['--metadata-lag', '600'] });
    w = world(server);
  });
  after(() => server.dispose());

  test('--metadata-lag: a change shows only after the lag, so a wait loop has something to wait for', async () => {
    const n = await w.network();
    const id = await w.instance(n);
    const primaryMac = (await w.primary(id)).macAddress!;
    assert.deepEqual(await listing(server, id, 'network/interfaces/macs/'), [`${primaryMac}/`]);
    const eni = await w.eni(n);
    await w.attach(id, eni.id);
    const attachedAt = Date.now();
    // The API says InUse at once; the metadata service still shows the old list.
    assert.deepEqual(await listing(server, id, 'network/interfaces/macs/'), [`${primaryMac}/`]);
    for (;;) {
      const macs = await listing(server, id, 'network/interfaces/macs/');
      if (macs.includes(`${eni.mac}/`)) break;
      assert.ok(Date.now() - attachedAt < 5000, 'the new MAC never appeared');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(Date.now() - attachedAt >= 550, `appeared after ${Date.now() - attachedAt} ms`);
  });
});

// Several servers on one database: on PostgreSQL only (SQLite is one process). This file runs
// again on PostgreSQL (scripts/run-tests.js), where this test is not skipped, and CI requires that run.
describe('metadata service: replicas', { skip: !process.env.ENIPLANE_TEST_PG && 'needs PostgreSQL (runs in the PostgreSQL pass)' }, () => {
  test('api/token: a token issued by one replica is accepted by another', async () => {
    const db = await freshPostgresDatabase();
    const [a, b] = [await startServer({ dbUrl: db.url }), await startServer({ dbUrl: db.url })];
    try {
      const w = world(a);
      const n = await w.network();
      const id = await w.instance(n, { httpTokens: 'required' });
      const t = await token(a, id);
      assert.equal(await item(b, id, 'instance-id', { 'X-aliyun-ecs-metadata-token': t }), id);
      // And the other way round, with a token the second replica issued.
      assert.equal(await item(a, id, 'instance-id', { 'X-aliyun-ecs-metadata-token': await token(b, id) }), id);
    } finally {
      await a.dispose();
      await b.dispose();
      await db.drop();
    }
  });
});
