import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { callV3 } from '../helpers/raw-client.ts';
import { freshPostgresDatabase, startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { readApiView } from '../replicas/api-view.ts';
import { isoSeconds } from '../../src/lib/clock.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { instanceTypeLimits } from '../../src/store/check/check-store.ts';
import { checkInvariants } from '../../src/store/check/invariants.ts';
import { readStoreSnapshot } from '../../src/store/check/snapshot.ts';
import { openSqliteReadOnly } from '../../src/store/transfer/store-source.ts';
import { describeState, reconcile, sameState, type EniState, type ModelEni } from './model.ts';

/**
 * The crash harness: concurrent clients (the official ECS SDK) write while the server is killed
 * with SIGKILL, again and again; after each restart on the same data every acknowledged write (a
 * 200 answer a client received) must be there, every unanswered call must have taken effect whole
 * or not at all, a spent SignatureNonce must still be refused, and every invariant must hold (the
 * checker of src/store/check on the database, and on what the API shows). On SQLite one server is
 * killed; on PostgreSQL two replicas serve one database and one of them is killed each round while
 * the clients go on through the other.
 *
 * Writes: CreateNetworkInterface (with a ClientToken: an unanswered one is sent again after the
 * restart, and answers with the ENI it made, if it made one), AssignPrivateIpAddresses,
 * UnassignPrivateIpAddresses, AttachNetworkInterface, DetachNetworkInterface, TagResources,
 * DeleteNetworkInterface. Each client owns its ENIs and one instance, so the harness knows the
 * exact state every answered call leaves.
 */

const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
/** 32 ENIs (31 secondary, hot-plug), 10 addresses each: room for every client's attachments. */
const INSTANCE_TYPE = 'ecs.ebmg5.24xlarge';
const MAX_IPS = 10;
const MAX_SECONDARY_ATTACHED = 31;
/** Enough ENIs per client to exercise every call without the verification growing round after round. */
const MAX_ENIS_PER_CLIENT = 40;
const SERVER_ARGS = ['--delays', 'none', '--quotas', 'max-elastic-network-interfaces=1000000,max-private-ips-per-security-group=1000000'];
/** The same quotas, for the checker. */
const QUOTAS = { secondaryEnisPerRegion: 1_000_000, ipsPerBasicGroup: 1_000_000 };

export interface CrashOptions {
  store: 'sqlite' | 'postgres';
  kills: number;
  /** Concurrent clients. */
  clients: number;
  /** How long the clients write before each kill: a random time in this range (ms). */
  windowMs: [number, number];
  /** PostgreSQL: how long the clients go on through the surviving replica after the kill (ms). */
  survivorMs?: number;
  /** PostgreSQL server URL (postgres://USER@HOST:PORT); a fresh database is made and dropped. */
  pgServer?: string;
  progress?: (line: string) => void;
}

export interface CrashResult {
  store: string;
  replicas: number;
  kills: number;
  /** Writes answered 200: each must survive every later kill. */
  acknowledged: number;
  /** Writes left without an answer by a kill: each must have happened whole or not at all. */
  unanswered: number;
  /** Acknowledged writes a restarted server did not show, and unanswered ones half applied. */
  lost: string[];
  /** Invariant violations, 5xx answers, spent nonces accepted again. */
  violations: string[];
  /** Milliseconds from each restart to the server listening. */
  restartMs: number[];
  seconds: number;
}

type Outcome<T> = { kind: 'ok'; value: T } | { kind: 'refused'; status: number; code: string } | { kind: 'unknown'; error: string };

/** The servers of one run: one on a SQLite data directory, or two replicas on one PostgreSQL database. */
interface Deployment {
  servers: RunningServer[];
  alive: Set<number>;
  /** The replica killed in `round`. */
  victim(round: number): number;
  restart(index: number): Promise<number>;
  openStore(): Promise<Store>;
  dispose(): Promise<void>;
}

async function deploy(opts: CrashOptions): Promise<Deployment> {
  let starts = 0;
  // A seed of its own at every start: a seeded sequence begun again would draw the IDs and MACs it already drew.
  const args = () => [...SERVER_ARGS, '--seed', `crash-${process.pid}-${starts++}`];
  if (opts.store === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-crash-'));
    const start = () => startServer({ dataDir, args: args() });
    const d: Deployment = {
      servers: [await start()],
      alive: new Set([0]),
      victim: () => 0,
      async restart(i) {
        const t0 = performance.now();
        d.servers[i] = await start();
        d.alive.add(i);
        return performance.now() - t0;
      },
      openStore: async () => openSqliteReadOnly(join(dataDir, 'eniplane.sqlite')),
      async dispose() {
        for (const s of d.servers) await s.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
    return d;
  }
  const db = await freshPostgresDatabase(opts.pgServer);
  const start = () => startServer({ dbUrl: db.url, args: args() });
  const d: Deployment = {
    servers: [await start(), await start()],
    alive: new Set([0, 1]),
    victim: (round) => round % 2,
    async restart(i) {
      const t0 = performance.now();
      d.servers[i] = await start();
      d.alive.add(i);
      return performance.now() - t0;
    },
    openStore: () => openStore({ kind: 'postgres', url: db.url }),
    async dispose() {
      for (const s of d.servers) await s.stop();
      await db.drop();
    },
  };
  return d;
}

const random = (n: number) => Math.floor(Math.random() * n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function eniStateOf(e: $Ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet): EniState {
  return {
    status: e.status!,
    instanceId: e.instanceId ?? '',
    ips: (e.privateIpSets?.privateIpSet ?? []).map((p) => p.privateIpAddress!),
    tags: Object.fromEntries((e.tags?.tag ?? []).map((t) => [t.tagKey!, t.tagValue!])),
  };
}

export async function runCrash(opts: CrashOptions): Promise<CrashResult> {
  const started = performance.now();
  const say = opts.progress ?? (() => {});
  const d = await deploy(opts);
  const result: CrashResult = {
    store: opts.store,
    replicas: d.servers.length,
    kills: 0,
    acknowledged: 0,
    unanswered: 0,
    lost: [],
    violations: [],
    restartMs: [],
    seconds: 0,
  };
  try {
    // SDK clients per server process (a restarted replica listens on a new port).
    const clients = new Map<RunningServer, ReturnType<typeof ecsClient>>();
    const ecsOf = (server: RunningServer) => {
      let c = clients.get(server);
      if (!c) {
        c = ecsClient(server);
        // Patient: on a loaded machine a call may wait seconds; one that gives up has an unknown outcome.
        c._readTimeout = 30_000;
        c._connectTimeout = 10_000;
        clients.set(server, c);
      }
      return c;
    };
    let turn = 0;
    const nextServer = () => {
      const live = [...d.alive];
      return d.servers[live.length > 0 ? live[turn++ % live.length]! : 0]!;
    };
    const call = async <T>(label: string, fn: (ecs: ReturnType<typeof ecsClient>) => Promise<T>, server = nextServer()): Promise<Outcome<T>> => {
      try {
        return { kind: 'ok', value: await fn(ecsOf(server)) };
      } catch (err) {
        const e = err as { statusCode?: number; code?: string; data?: { Code?: string }; message?: string };
        if (typeof e.statusCode !== 'number') return { kind: 'unknown', error: String(e.code ?? e.message) };
        const code = e.data?.Code ?? e.code ?? '';
        if (e.statusCode >= 500) result.violations.push(`${label} answered HTTP ${e.statusCode} ${code}`);
        return { kind: 'refused', status: e.statusCode, code };
      }
    };

    // Fixtures: a VPC, a /16 vSwitch, a security group, one instance per client.
    const first = d.servers[0]!;
    const vpc = vpcClient(first);
    const { vpcId } = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }))).body!;
    const { vSwitchId } = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '10.0.0.0/16' }))).body!;
    const { securityGroupId } = (await ecsOf(first).createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!;
    const instances = (
      await ecsOf(first).runInstances(
        new $Ecs.RunInstancesRequest({ regionId, instanceType: INSTANCE_TYPE, imageId: IMAGE, vSwitchId, securityGroupId, amount: opts.clients }),
      )
    ).body!.instanceIdSets!.instanceIdSet!;

    let model: ModelEni[] = [];
    /** Creations left unanswered: sent again (same ClientToken) after the restart. */
    let pendingCreates: { owner: number; request: $Ecs.CreateNetworkInterfaceRequest }[] = [];
    const createRequest = (owner: number) =>
      new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, clientToken: randomUUID(), networkInterfaceName: `client-${owner}` });
    const created = (owner: number, body: $Ecs.CreateNetworkInterfaceResponseBody): ModelEni => {
      const ips = (body.privateIpSets?.privateIpSet ?? []).map((p) => p.privateIpAddress!);
      return { id: body.networkInterfaceId!, owner, primaryIp: body.privateIpAddress!, state: { status: 'Available', instanceId: '', ips, tags: {} } };
    };

    /** One call of client `owner` on its ENIs, chosen among those its ENIs allow; the model follows the answer. */
    const step = async (owner: number): Promise<void> => {
      const mine = model.filter((e) => e.owner === owner && !e.pending);
      const available = mine.filter((e) => e.state.status === 'Available');
      const inUse = mine.filter((e) => e.state.status === 'InUse');
      const options: string[] = [];
      if (mine.length + pendingCreates.filter((p) => p.owner === owner).length < MAX_ENIS_PER_CLIENT) options.push('create', 'create');
      if (mine.some((e) => e.state.ips.length < MAX_IPS)) options.push('assign', 'assign');
      if (mine.some((e) => e.state.ips.length > 1)) options.push('unassign');
      if (available.length > 0 && inUse.length < MAX_SECONDARY_ATTACHED) options.push('attach');
      if (inUse.length > 0) options.push('detach');
      if (mine.length > 0) options.push('tag');
      if (available.length > 0 && mine.length > MAX_ENIS_PER_CLIENT / 2) options.push('delete');
      const op = options[random(options.length)] ?? 'create';
      const pick = <T>(list: T[]) => list[random(list.length)]!;

      if (op === 'create') {
        const request = createRequest(owner);
        const entry = { owner, request };
        pendingCreates.push(entry);
        const r = await call('CreateNetworkInterface', (ecs) => ecs.createNetworkInterface(request));
        if (r.kind === 'unknown') return void result.unanswered++;
        pendingCreates = pendingCreates.filter((p) => p !== entry);
        if (r.kind === 'ok') {
          result.acknowledged++;
          model.push(created(owner, r.value.body!));
        }
        return;
      }
      const eni =
        op === 'assign'
          ? pick(mine.filter((e) => e.state.ips.length < MAX_IPS))
          : op === 'unassign'
            ? pick(mine.filter((e) => e.state.ips.length > 1))
            : op === 'attach' || op === 'delete'
              ? pick(available)
              : op === 'detach'
                ? pick(inUse)
                : pick(mine);
      const before = eni.state;
      let label: string;
      let expected: string;
      let after: (actual: EniState | undefined) => boolean;
      let send: () => Promise<Outcome<EniState | undefined>>;
      const ok = <T>(o: Outcome<T>, next: (value: T) => EniState | undefined): Outcome<EniState | undefined> =>
        o.kind === 'ok' ? { kind: 'ok', value: next(o.value) } : o;
      if (op === 'assign') {
        label = 'AssignPrivateIpAddresses';
        expected = `${describeState(before)} and one address more`;
        after = (a) =>
          !!a && sameState({ ...a, ips: before.ips }, before) && a.ips.length === before.ips.length + 1 && before.ips.every((ip) => a.ips.includes(ip));
        send = async () =>
          ok(
            await call(label, (ecs) =>
              ecs.assignPrivateIpAddresses(
                new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eni.id, secondaryPrivateIpAddressCount: 1 }),
              ),
            ),
            (v) => ({ ...before, ips: [...before.ips, ...v.body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress!] }),
          );
      } else if (op === 'unassign') {
        const ip = pick(before.ips.filter((a) => a !== eni.primaryIp));
        const next = { ...before, ips: before.ips.filter((a) => a !== ip) };
        label = `UnassignPrivateIpAddresses ${ip}`;
        expected = describeState(next);
        after = (a) => sameState(a, next);
        send = async () =>
          ok(
            await call(label, (ecs) =>
              ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eni.id, privateIpAddress: [ip] })),
            ),
            () => next,
          );
      } else if (op === 'attach' || op === 'detach') {
        const next = op === 'attach' ? { ...before, status: 'InUse', instanceId: instances[owner]! } : { ...before, status: 'Available', instanceId: '' };
        label = op === 'attach' ? 'AttachNetworkInterface' : 'DetachNetworkInterface';
        expected = describeState(next);
        after = (a) => sameState(a, next);
        const request =
          op === 'attach'
            ? (ecs: ReturnType<typeof ecsClient>) =>
                ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, networkInterfaceId: eni.id, instanceId: instances[owner]! }))
            : (ecs: ReturnType<typeof ecsClient>) =>
                ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId, networkInterfaceId: eni.id, instanceId: instances[owner]! }));
        send = async () => ok(await call(label, request), () => next);
      } else if (op === 'tag') {
        const key = `k${random(3)}`;
        const value = randomUUID().slice(0, 8);
        const next = { ...before, tags: { ...before.tags, [key]: value } };
        label = `TagResources ${key}=${value}`;
        expected = describeState(next);
        after = (a) => sameState(a, next);
        send = async () =>
          ok(
            await call(label, (ecs) =>
              ecs.tagResources(
                new $Ecs.TagResourcesRequest({ regionId, resourceType: 'eni', resourceId: [eni.id], tag: [new $Ecs.TagResourcesRequestTag({ key, value })] }),
              ),
            ),
            () => next,
          );
      } else {
        label = 'DeleteNetworkInterface';
        expected = 'deleted';
        after = (a) => a === undefined;
        send = async () =>
          ok(
            await call(label, (ecs) => ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: eni.id }))),
            () => undefined,
          );
      }
      eni.pending = { label, expected, after };
      const r = await send();
      if (r.kind === 'unknown') return void result.unanswered++;
      delete eni.pending;
      if (r.kind === 'refused') {
        result.violations.push(`${label} on ${eni.id} (${describeState(before)}) was refused: ${r.status} ${r.code}`);
        return;
      }
      result.acknowledged++;
      if (r.value) eni.state = r.value;
      else model = model.filter((e) => e !== eni);
    };

    /** A signed request answered before the kill: after the restart, the same request is a replay. */
    let spentNonce: { nonce: string; date: string } | undefined;

    /** After a restart: unanswered creations resolved, every ENI held to the model, the nonce refused, the invariants checked. */
    const verify = async (round: number) => {
      const server = () => d.servers[[...d.alive][0]!]!;
      for (const p of pendingCreates) {
        const r = await call('CreateNetworkInterface (again, same ClientToken)', (ecs) => ecs.createNetworkInterface(p.request), server());
        if (r.kind !== 'ok')
          result.violations.push(`round ${round}: an unanswered creation sent again got ${r.kind === 'refused' ? `${r.status} ${r.code}` : 'no answer'}`);
        else if (!model.some((e) => e.id === r.value.body!.networkInterfaceId)) model.push(created(p.owner, r.value.body!));
      }
      pendingCreates = [];
      const shown = new Map<string, EniState>();
      for (let nextToken: string | undefined; ;) {
        const r = await call(
          'DescribeNetworkInterfaces',
          (ecs) => ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, type: 'Secondary', maxResults: 500, nextToken })),
          server(),
        );
        if (r.kind !== 'ok') throw new Error(`round ${round}: DescribeNetworkInterfaces failed: ${JSON.stringify(r)}`);
        for (const e of r.value.body!.networkInterfaceSets?.networkInterfaceSet ?? []) shown.set(e.networkInterfaceId!, eniStateOf(e));
        nextToken = r.value.body!.nextToken || undefined;
        if (!nextToken) break;
      }
      const reconciled = reconcile(model, shown);
      model = reconciled.enis;
      result.lost.push(...reconciled.violations.map((v) => `round ${round}: ${v}`));
      if (spentNonce) {
        const replay = await callV3(server().endpoint, 'DescribeRegions', '2014-05-26', {}, spentNonce);
        if (replay.status !== 400 || replay.json().Code !== 'SignatureNonceUsed')
          result.violations.push(`round ${round}: a nonce spent before the kill was answered ${replay.status} ${replay.text.slice(0, 100)}`);
        spentNonce = undefined;
      }
      const store = await d.openStore();
      try {
        const snapshot = await readStoreSnapshot(store, Date.now());
        const api = await readApiView(server(), [TEST_KEY]);
        result.violations.push(...checkInvariants({ snapshot, api, types: instanceTypeLimits(), quotas: QUOTAS }).map((v) => `round ${round}: ${v}`));
      } finally {
        await store.close();
      }
    };

    for (let round = 1; round <= opts.kills; round++) {
      let running = true;
      const workers = Array.from({ length: opts.clients }, async (_, owner) => {
        while (running) await step(owner);
      });
      const window = opts.windowMs[0] + random(opts.windowMs[1] - opts.windowMs[0] + 1);
      await sleep(window / 2);
      const nonce = { nonce: randomUUID(), date: isoSeconds(Date.now()) };
      if ((await callV3(nextServer().endpoint, 'DescribeRegions', '2014-05-26', {}, nonce)).status === 200) spentNonce = nonce;
      await sleep(window / 2);
      const victim = d.victim(round);
      d.alive.delete(victim);
      const exited = d.servers[victim]!.stop('SIGKILL');
      // With no survivor the clients stop at once (their calls in flight fail); else they go on through it a while.
      if (d.alive.size === 0) running = false;
      await exited;
      result.kills++;
      if (d.alive.size > 0) await sleep(opts.survivorMs ?? 300);
      running = false;
      await Promise.all(workers);
      result.restartMs.push(await d.restart(victim));
      await verify(round);
      say(
        `  ${opts.store} round ${round}/${opts.kills}: killed ${d.servers.length > 1 ? `replica ${victim}` : 'the server'} after ${window} ms; ${result.acknowledged} acknowledged, ${result.unanswered} unanswered so far; ${model.length} ENIs; lost ${result.lost.length}, violations ${result.violations.length}`,
      );
    }
  } finally {
    await d.dispose();
    result.seconds = Math.round((performance.now() - started) / 100) / 10;
  }
  return result;
}
