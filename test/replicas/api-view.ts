import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient, type Key } from '../helpers/clients.ts';
import type { RunningServer } from '../helpers/server.ts';
import type { ApiView } from '../../src/store/check/invariants.ts';
import { patient } from './traffic.ts';

const regionId = 'cn-hangzhou';

/** Everything the invariants compare, as one surviving replica answers it through the official SDKs, for every account given. */
export async function readApiView(server: RunningServer, keys: readonly Key[]): Promise<ApiView> {
  const views = await Promise.all(keys.map((key) => readAccountView(server, key)));
  return { enis: views.flatMap((v) => v.enis), instances: views.flatMap((v) => v.instances), vswitches: views.flatMap((v) => v.vswitches) };
}

async function readAccountView(server: RunningServer, key: Key): Promise<ApiView> {
  const { ecs, vpc } = patient({ ecs: ecsClient(server, { key }), vpc: vpcClient(server, { key }) });

  const enis: ApiView['enis'] = [];
  for (let nextToken: string | undefined; ;) {
    const body = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, maxResults: 500, nextToken }))).body!;
    for (const e of body.networkInterfaceSets?.networkInterfaceSet ?? []) {
      enis.push({
        id: e.networkInterfaceId!,
        status: e.status!,
        instanceId: e.instanceId ?? '',
        ips: (e.privateIpSets?.privateIpSet ?? []).map((p) => p.privateIpAddress!),
        mac: e.macAddress!,
        prefixes: (e.ipv4PrefixSets?.ipv4PrefixSet ?? []).map((p) => p.ipv4Prefix!),
        trunkId: e.attachment?.trunkNetworkInterfaceId ?? '',
        ipv6: (e.ipv6Sets?.ipv6Set ?? []).map((s) => s.ipv6Address!),
        ipv6Prefixes: (e.ipv6PrefixSets?.ipv6PrefixSet ?? []).map((s) => s.ipv6Prefix!),
      });
    }
    if (!body.nextToken) break;
    nextToken = body.nextToken;
  }

  const instances: ApiView['instances'] = [];
  for (let page = 1; ; page++) {
    const body = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, pageNumber: page, pageSize: 100 }))).body!;
    const rows = body.instances?.instance ?? [];
    for (const i of rows) instances.push({ id: i.instanceId!, eniIds: (i.networkInterfaces?.networkInterface ?? []).map((n) => n.networkInterfaceId!) });
    if (rows.length < 100) break;
  }

  const vswitches: ApiView['vswitches'] = [];
  for (let page = 1; ; page++) {
    const body = (await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId, pageNumber: page, pageSize: 50 }))).body!;
    const rows = body.vSwitches?.vSwitch ?? [];
    for (const v of rows) vswitches.push({ id: v.vSwitchId!, available: Number(v.availableIpAddressCount) });
    if (rows.length < 50) break;
  }
  return { enis, instances, vswitches };
}
