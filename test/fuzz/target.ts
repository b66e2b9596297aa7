import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pino } from 'pino';
import { buildApp } from '../../src/app/build-app.ts';
import { buildMetadataApp } from '../../src/app/build-metadata-app.ts';
import { defaultServerConfig, parseDelays } from '../../src/config.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { createAccount, ensureRootAccount } from '../../src/services/accounts.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';
import { TEST_KEY } from '../helpers/server.ts';
import type { Key } from '../helpers/clients.ts';
import { buildRpcRequest, plainRpcCall } from './rpc-requests.ts';

/**
 * The API and metadata listeners of one server, in this process (buildApp, buildMetadataApp,
 * reached through app.inject), on an in-memory SQLite store with a seeded fixture, a clock the
 * fuzzer moves, and the means to tell whether a request changed the store.
 */

/** Starts at a fixed instant so a replayed run sees the same times; moved forward by the fuzzer. */
export class FuzzClock implements Clock {
  private ms = Date.UTC(2025, 0, 1);
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** What the fixture made, by account: IDs and values the generators pick from. */
export interface Fixture {
  regionId: string;
  zoneId: string;
  /** The fuzzing account: TEST_KEY. */
  main: AccountFixture;
  /** Another account's resources: never visible to the first one's key. */
  other: AccountFixture;
  /** Every ID the fixture made, of both accounts. */
  ids: string[];
  /** Every private IP address the fixture holds. */
  addresses: string[];
  macs: string[];
}

export interface TemporaryKey extends Key {
  securityToken: string;
}

export interface AccountFixture {
  key: Key;
  accountId: string;
  vpcId: string;
  vswitchId: string;
  securityGroupId: string;
  instanceId: string;
  /** The instance's primary ENI, an attached secondary one and an Available one. */
  eniIds: string[];
  eipId: string;
  resourceGroupId: string;
}

/** The nonce tables: a request whose signature is valid spends its nonce whatever the action answers (README "Fuzzing"). */
export const NONCE_TABLES = ['signature_nonces', 'signature_nonce_log'];

export interface TableState {
  rows: number;
  sha256: string;
}

/** Every table's row count and a hash of its rows, read through Kysely. */
export type StoreSnapshot = Record<string, TableState>;

export interface FuzzTarget {
  api: FastifyInstance;
  metadata: FastifyInstance;
  store: Store;
  clock: FuzzClock;
  fixture: Fixture;
  /**
   * Committed row writes (insert, update, delete) so far, counted by temporary triggers on every
   * table: outside the nonce tables, and in them. A write rolled back is not counted.
   */
  writes(): Promise<{ state: number; nonces: number }>;
  snapshot(): Promise<StoreSnapshot>;
  /**
   * Temporary credentials of the main account's instance RAM role, as its metadata serves them
   * (an STS.… AccessKeyId, its secret and SecurityToken); fetched again once an hour of clock time.
   */
  temporaryKey(): Promise<TemporaryKey>;
  /** Lines the server logged at level error (an unexpected error is one). */
  errorLog: string[];
  close(): Promise<void>;
}

const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-h';
const INSTANCE_TYPE = 'ecs.g7.large';
export const IMAGE_ID = 'aliyun_3_x64_20G_alibase_20240819.vhd';

/**
 * Calls an action as the given account, with its parameters as they travel on the wire (flat
 * names, text values), and answers the success body; the fixture is made through the API only.
 */
export type WireCall = (
  key: Key,
  product: 'Ecs' | 'Vpc' | 'ResourceManager',
  action: string,
  params: Record<string, string>,
) => Promise<Record<string, unknown>>;

async function makeAccountFixture(call: WireCall, key: Key, accountId: string, cidr: string): Promise<AccountFixture> {
  const as = (product: 'Ecs' | 'Vpc' | 'ResourceManager', action: string, params: Record<string, string>) =>
    call(key, product, action, { RegionId: REGION, ...params });
  const vpc = await as('Vpc', 'CreateVpc', { CidrBlock: `${cidr}.0.0/16`, VpcName: 'fuzz' });
  const vpcId = String(vpc.VpcId);
  const vsw = await as('Vpc', 'CreateVSwitch', { VpcId: vpcId, ZoneId: ZONE, CidrBlock: `${cidr}.1.0/24` });
  const vswitchId = String(vsw.VSwitchId);
  const securityGroupId = String((await as('Ecs', 'CreateSecurityGroup', { VpcId: vpcId })).SecurityGroupId);
  const run = await as('Ecs', 'RunInstances', {
    InstanceType: INSTANCE_TYPE,
    ImageId: IMAGE_ID,
    VSwitchId: vswitchId,
    SecurityGroupId: securityGroupId,
    RamRoleName: 'FuzzRole',
  });
  const instanceId = (run.InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0]!;
  const eni = async (extra: Record<string, string>) =>
    String((await as('Ecs', 'CreateNetworkInterface', { VSwitchId: vswitchId, SecurityGroupId: securityGroupId, ...extra })).NetworkInterfaceId);
  const attached = await eni({ SecondaryPrivateIpAddressCount: '2' });
  await as('Ecs', 'AttachNetworkInterface', { NetworkInterfaceId: attached, InstanceId: instanceId });
  const available = await eni({});
  await as('Ecs', 'TagResources', { ResourceType: 'eni', 'ResourceId.1': available, 'Tag.1.Key': 'fuzz', 'Tag.1.Value': 'yes' });
  const eip = await as('Vpc', 'AllocateEipAddress', {});
  const group = await as('ResourceManager', 'CreateResourceGroup', { Name: 'fuzz-group', DisplayName: 'fuzz' });
  const described = await as('Ecs', 'DescribeNetworkInterfaces', { InstanceId: instanceId });
  const eniIds = (described.NetworkInterfaceSets as { NetworkInterfaceSet: { NetworkInterfaceId: string }[] }).NetworkInterfaceSet.map(
    (e) => e.NetworkInterfaceId,
  );
  return {
    key,
    accountId,
    vpcId,
    vswitchId,
    securityGroupId,
    instanceId,
    eniIds: [...eniIds, available],
    eipId: String(eip.AllocationId),
    resourceGroupId: String((group.ResourceGroup as { Id: string }).Id),
  };
}

/** Two accounts' resources (fixture.main, fixture.other), made through `call`. */
export async function makeFixture(call: WireCall, main: { key: Key; accountId: string }, other: { key: Key; accountId: string }): Promise<Fixture> {
  const first = await makeAccountFixture(call, main.key, main.accountId, '192.168');
  const second = await makeAccountFixture(call, other.key, other.accountId, '10.20');
  const addresses: string[] = [];
  const macs: string[] = [];
  for (const a of [first, second]) {
    const enis = await call(a.key, 'Ecs', 'DescribeNetworkInterfaces', { RegionId: REGION, VpcId: a.vpcId });
    for (const eni of (enis.NetworkInterfaceSets as { NetworkInterfaceSet: Record<string, unknown>[] }).NetworkInterfaceSet) {
      macs.push(String(eni.MacAddress));
      for (const ip of (eni.PrivateIpSets as { PrivateIpSet: { PrivateIpAddress: string }[] }).PrivateIpSet) addresses.push(ip.PrivateIpAddress);
    }
  }
  const ids = [first, second].flatMap((a) => [a.accountId, a.vpcId, a.vswitchId, a.securityGroupId, a.instanceId, ...a.eniIds, a.eipId, a.resourceGroupId]);
  return { regionId: REGION, zoneId: ZONE, main: first, other: second, ids, addresses, macs };
}

/** What would betray the other account's instance in an answer about the main one: its IDs and addresses. */
export function foreignValues(fixture: Fixture): string[] {
  const { other } = fixture;
  return [other.instanceId, other.vpcId, other.vswitchId, ...other.eniIds, ...fixture.addresses.filter((a) => a.startsWith('10.20.'))];
}

/** The account an AccessKeyId belongs to, from the store. */
export async function accountOfKey(store: Store, accessKeyId: string): Promise<string> {
  const rows = await sql<{ id: string }>`select account_id as id from access_keys where access_key_id = ${accessKeyId}`.execute(store.db);
  if (!rows.rows[0]) throw new Error(`no account for ${accessKeyId}`);
  return rows.rows[0].id;
}

/** Every table's row count and a hash of its rows, read through Kysely. */
export async function snapshotStore(store: Store): Promise<StoreSnapshot> {
  const out: StoreSnapshot = {};
  for (const table of await tableNames(store)) {
    const rows = await store.db
      .selectFrom(table as never)
      .selectAll()
      .execute();
    // Row order is not part of the state: hash the sorted rows.
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    out[table] = { rows: rows.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return out;
}

/** Counts committed writes per kind of table with TEMP triggers: nothing is added to the store's own schema. */
async function installWriteCounters(store: Store): Promise<void> {
  await sql`create temp table fuzz_writes (kind text primary key, n integer not null)`.execute(store.db);
  await sql`insert into temp.fuzz_writes (kind, n) values ('state', 0), ('nonces', 0)`.execute(store.db);
  for (const table of await tableNames(store)) {
    const kind = NONCE_TABLES.includes(table) ? 'nonces' : 'state';
    for (const event of ['insert', 'update', 'delete']) {
      await sql
        .raw(
          `create temp trigger "fuzz_${table}_${event}" after ${event} on main."${table}" begin update fuzz_writes set n = n + 1 where kind = '${kind}'; end`,
        )
        .execute(store.db);
    }
  }
}

async function tableNames(store: Store): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(store.db);
  return rows.rows.map((r) => r.name);
}

/** A line-per-entry stream for pino: what the server logs at error level. */
function errorCollector(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString().trim());
      done();
    },
  });
}

export async function startFuzzTarget(name: string): Promise<FuzzTarget> {
  const store = await openStore({ kind: 'memory' }, { checkQueries: true });
  await migrateToLatest(store);
  const clock = new FuzzClock();
  const random = seededRandom(`fuzz-${name}`);
  const settings = { ...defaultServerConfig, delays: parseDelays('none'), checkResults: true };
  await ensureRootAccount(store, TEST_KEY, clock, random);
  const other = await createAccount(store, 'fuzz-other', clock, random);
  const errorLog: string[] = [];
  const log = pino({ level: 'error', base: undefined }, errorCollector(errorLog));
  const api = buildApp({ store, config: settings, clock, random: seededRandom(`fuzz-${name}-requests`), log });
  const metadata = buildMetadataApp({ store, clock, log, lagMs: 0 });
  await api.ready();
  await metadata.ready();
  let setupCalls = 0;
  const call: WireCall = async (key, product, action, params) => {
    const req = buildRpcRequest(plainRpcCall(product, action, params, 'v3-query'), {
      key,
      now: clock.now(),
      nonce: `setup-${++setupCalls}`,
      host: 'localhost:80',
    });
    const res = await api.inject(req);
    if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${res.body}`);
    return JSON.parse(res.body) as Record<string, unknown>;
  };
  const fixture = await makeFixture(
    call,
    { key: TEST_KEY, accountId: await accountOfKey(store, TEST_KEY.accessKeyId) },
    { key: { accessKeyId: other.accessKeyId, accessKeySecret: other.secret }, accountId: other.accountId },
  );
  const { main } = fixture;

  let temporary: { key: TemporaryKey; at: number } | undefined;
  const temporaryKey = async (): Promise<TemporaryKey> => {
    if (temporary && clock.now() - temporary.at < 3600_000) return temporary.key;
    const res = await metadata.inject({ method: 'GET', url: `/${main.instanceId}/latest/meta-data/ram/security-credentials/FuzzRole` });
    if (res.statusCode !== 200) throw new Error(`no RAM credentials from the metadata service: ${res.statusCode} ${res.body}`);
    const c = JSON.parse(res.body) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
    temporary = { key: { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken }, at: clock.now() };
    return temporary.key;
  };
  // The server's own secrets (metadata tokens, temporary credentials) are made on their first use,
  // whatever that request's answer: made here, before any fuzzed request, they are not mistaken
  // for a change made by a refused request.
  await temporaryKey();
  const token = await metadata.inject({
    method: 'PUT',
    url: `/${main.instanceId}/latest/api/token`,
    headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' },
  });
  if (token.statusCode !== 200) throw new Error(`no metadata token: ${token.statusCode} ${token.body}`);
  await installWriteCounters(store);

  return {
    temporaryKey,
    api,
    metadata,
    store,
    clock,
    fixture,
    errorLog,
    async writes() {
      const rows = await sql<{ kind: string; n: number }>`select kind, n from temp.fuzz_writes`.execute(store.db);
      const of = (kind: string) => rows.rows.find((r) => r.kind === kind)?.n ?? 0;
      return { state: of('state'), nonces: of('nonces') };
    },
    snapshot: () => snapshotStore(store),
    async close() {
      await api.close();
      await metadata.close();
      await store.close();
    },
  };
}

/** The tables whose state differs between two snapshots, nonce tables left out unless asked for. */
export function changedTables(before: StoreSnapshot, after: StoreSnapshot, withNonces: boolean): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((t) => (withNonces || !NONCE_TABLES.includes(t)) && JSON.stringify(before[t]) !== JSON.stringify(after[t]));
}
