/**
 * A new surface in a few lines: the seed document's flow (a VPC, a vSwitch, a security group, an
 * instance, a secondary ENI attached to it, two secondary private IPs) called through the seam
 * every surface uses, src/api/invoke.ts, with no HTTP and no signature: the same validation,
 * rules, error codes and transactions as the RPC API. A console, a data plane or a test harness
 * reaches the actions this way (docs/architecture.md).
 *
 *   node --import tsx examples/in-process.ts            # a throwaway SQLite store
 *   ENIPLANE_DB=postgres://postgres@127.0.0.1:5432/mydb node --import tsx examples/in-process.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInvoker } from '../src/api/invoke.ts';
import { defaultServerConfig, parseDelays } from '../src/config.ts';
import { ApiError } from '../src/errors/api-error.ts';
import { systemClock } from '../src/lib/clock.ts';
import { cryptoRandom } from '../src/lib/random.ts';
import { createAccount } from '../src/services/accounts.ts';
import { migrateToLatest, openStore, sqliteFileIn } from '../src/store/db.ts';

const dir = mkdtempSync(join(tmpdir(), 'eniplane-in-process-'));
const store = await openStore(process.env.ENIPLANE_DB ? { kind: 'postgres', url: process.env.ENIPLANE_DB } : { kind: 'sqlite', file: sqliteFileIn(dir) });
try {
  await migrateToLatest(store);
  const { accountId } = await createAccount(store, `in-process-${Date.now()}`, systemClock, cryptoRandom);

  // The three lines a surface needs: an invoker, a caller, a call.
  const api = createInvoker({ store, settings: { ...defaultServerConfig, delays: parseDelays('none') }, clock: systemClock, random: cryptoRandom });
  const caller = { accountId };
  const call = async (product: 'Ecs' | 'Vpc', action: string, params: Record<string, unknown>) =>
    (await api.invoke(product, action, { RegionId: 'cn-hangzhou', ...params }, caller)).body;

  const { VpcId } = await call('Vpc', 'CreateVpc', { CidrBlock: '192.168.0.0/16' });
  const { VSwitchId } = await call('Vpc', 'CreateVSwitch', { VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.1.0/24' });
  const { SecurityGroupId } = await call('Ecs', 'CreateSecurityGroup', { VpcId });
  const { InstanceIdSets } = await call('Ecs', 'RunInstances', {
    InstanceType: 'ecs.g7.large',
    ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
    VSwitchId,
    SecurityGroupId,
  });
  const instanceId = (InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0]!;
  const { NetworkInterfaceId } = await call('Ecs', 'CreateNetworkInterface', { VSwitchId, SecurityGroupId });
  await call('Ecs', 'AttachNetworkInterface', { NetworkInterfaceId, InstanceId: instanceId });
  await call('Ecs', 'AssignPrivateIpAddresses', { NetworkInterfaceId, SecondaryPrivateIpAddressCount: 2 });
  const eni = await call('Ecs', 'DescribeNetworkInterfaceAttribute', { NetworkInterfaceId });
  const ips = (eni.PrivateIpSets as { PrivateIpSet: { PrivateIpAddress: string; Primary: boolean }[] }).PrivateIpSet;
  console.log(`${NetworkInterfaceId} ${eni.Status} on ${instanceId}: ${ips.map((ip) => ip.PrivateIpAddress + (ip.Primary ? ' (primary)' : '')).join(', ')}`);

  // The rules are the API's: a detach from an instance that does not exist answers the cloud's code, as over HTTP.
  await call('Ecs', 'DetachNetworkInterface', { NetworkInterfaceId, InstanceId: 'i-bp1doesnotexist0000' }).catch((err: unknown) => {
    if (!(err instanceof ApiError)) throw err;
    console.log(`refused as the cloud refuses it: ${err.httpStatus} ${err.code}`);
  });
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
