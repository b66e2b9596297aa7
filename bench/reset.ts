/**
 * `npm run bench:reset [-- OPTIONS]`: the time ResetAccount (eniplane's own API, README
 * "Resetting state") takes to empty an account holding 10,000 ENIs, what a test suite waits for
 * between runs.
 *
 * The seed, made in-process through the API (harness/in-process.ts) with the ENI quota raised: in
 * the measured account, a VPC, a /16 vSwitch, an enterprise security group, `--enis` secondary
 * ENIs (every 4th with a second address, every 10th tagged), `--instances` instances with 2 of
 * those ENIs attached to each; in another account `--other` ENIs the reset must leave alone. Each
 * round serves a fresh copy of the seed (harness/stores.ts: the SQLite file; PostgreSQL: CREATE
 * DATABASE … TEMPLATE), then, on that server:
 *
 *  - the same-run references: a DescribeNetworkInterfaces page (MaxResults 100) and the signed
 *    no-op (DescribeRegions), each the median of `--samples` calls;
 *  - ResetAccount, signed like them (V3), timed from the request's first byte to its answer's last;
 *  - checks: the answer counts every ENI; the account then lists none; the other account still
 *    lists all of its own.
 *
 * Options: --enis 10000  --other 1000  --instances 20  --rounds 5  --samples 20
 *          --stores sqlite,postgres  --seed-parallel 8  --deadline 1800  --out FILE
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest, openStore } from '../src/store/db.ts';
import { ApiClient } from './harness/client.ts';
import { commandLine, listOption, positive } from './harness/cli.ts';
import { inProcessApi, type InProcessApi } from './harness/in-process.ts';
import { describeMachine, fmt, machine, markdownTable, writeReport } from './harness/report.ts';
import { installDeadline, runMain, startEniplane } from './harness/server.ts';
import type { BenchKey } from './harness/sign.ts';
import { median, spread } from './harness/stats.ts';
import { postgresSeed, sqliteSeed, type SeedStore } from './harness/stores.ts';

const REGION = 'cn-hangzhou';
const ECS = '2014-05-26';
const VPC = '2016-04-28';
const ENIPLANE = '2026-12-01';
/** 32 ENIs, hot-plug: room for the attached ones. */
const INSTANCE_TYPE = 'ecs.ebmg5.24xlarge';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

interface SeedShape {
  enis: number;
  other: number;
  instances: number;
  parallel: number;
}

interface Seeded {
  key: BenchKey;
  otherKey: BenchKey;
  seconds: number;
}

/** One account's network and ENIs, made through the API; answers its key. */
async function seedAccount(api: InProcessApi, name: string, enis: number, instances: number, parallel: number): Promise<BenchKey> {
  const account = await api.createAccount(name);
  const call = (action: string, version: string, params: Record<string, string>) =>
    api.call(account.accountId, action, version, { RegionId: REGION, ...params });
  const vpcId = (await call('CreateVpc', VPC, { CidrBlock: '10.0.0.0/8' })).VpcId as string;
  const vswitchId = (await call('CreateVSwitch', VPC, { VpcId: vpcId, ZoneId: 'cn-hangzhou-i', CidrBlock: '10.1.0.0/16' })).VSwitchId as string;
  // An enterprise group: a basic one holds at most 2,000 private IPs.
  const sg = (await call('CreateSecurityGroup', ECS, { VpcId: vpcId, SecurityGroupType: 'enterprise' })).SecurityGroupId as string;
  const instanceIds: string[] = [];
  for (let i = 0; i < instances; i++) {
    const body = await call('RunInstances', ECS, { InstanceType: INSTANCE_TYPE, ImageId: IMAGE, VSwitchId: vswitchId, SecurityGroupId: sg });
    instanceIds.push((body.InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0]!);
  }
  let made = 0;
  let shown = Date.now();
  const worker = async () => {
    while (made < enis) {
      const i = made++;
      const body = await call('CreateNetworkInterface', ECS, {
        VSwitchId: vswitchId,
        'SecurityGroupIds.1': sg,
        NetworkInterfaceName: `reset-${i}`,
        ...(i % 4 === 0 && { SecondaryPrivateIpAddressCount: '1' }),
        ...(i % 10 === 0 && { 'Tag.1.Key': 'team', 'Tag.1.Value': `t${i % 7}` }),
      });
      // The first ENIs go to the instances, two each.
      if (i < 2 * instanceIds.length) {
        await call('AttachNetworkInterface', ECS, { InstanceId: instanceIds[Math.floor(i / 2)]!, NetworkInterfaceId: body.NetworkInterfaceId as string });
      }
      if (Date.now() - shown > 10_000) {
        shown = Date.now();
        console.log(`  ${name}: ${fmt(made)} ENIs`);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { accessKeyId: account.accessKeyId, accessKeySecret: account.accessKeySecret };
}

async function seed(store: SeedStore, shape: SeedShape): Promise<Seeded> {
  const started = Date.now();
  const db = await openStore(store.target);
  try {
    await migrateToLatest(db);
    const api = inProcessApi(db, { quotas: { enisPerRegion: shape.enis + shape.other + 100 } });
    const key = await seedAccount(api, 'reset-bench', shape.enis, shape.instances, shape.parallel);
    const otherKey = await seedAccount(api, 'reset-bench-other', shape.other, 1, shape.parallel);
    // This machine's PostgreSQL runs without autovacuum: plan from statistics, as a server would.
    if (db.dialect === 'postgres') await sql`ANALYZE`.execute(db.db);
    return { key, otherKey, seconds: (Date.now() - started) / 1000 };
  } finally {
    await db.close();
  }
}

/** Milliseconds from sending a request to its answer. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

interface Round {
  store: string;
  round: number;
  resetMs: number;
  pageMs: number;
  noopMs: number;
  removed: Record<string, number>;
}

async function main() {
  const { values } = parseArgs({
    options: {
      enis: { type: 'string', default: '10000' },
      other: { type: 'string', default: '1000' },
      instances: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '5' },
      samples: { type: 'string', default: '20' },
      stores: { type: 'string', default: 'sqlite,postgres' },
      'seed-parallel': { type: 'string', default: '8' },
      deadline: { type: 'string', default: '1800' },
      out: { type: 'string', default: 'bench/results/reset.json' },
    },
  });
  const shape: SeedShape = {
    enis: Math.floor(positive('enis', values.enis)),
    other: Math.floor(positive('other', values.other)),
    instances: Math.floor(positive('instances', values.instances)),
    parallel: Math.floor(positive('seed-parallel', values['seed-parallel'])),
  };
  const rounds = Math.floor(positive('rounds', values.rounds));
  const samples = Math.floor(positive('samples', values.samples));
  const stores = listOption('stores', values.stores!, ['sqlite', 'postgres'] as const);
  installDeadline(positive('deadline', values.deadline) * 1000, 'bench:reset');
  const host = machine();
  console.log(`bench:reset on ${describeMachine(host)}`);

  const results: Round[] = [];
  const seeds: Record<string, number> = {};
  for (const kind of stores) {
    const store = kind === 'sqlite' ? sqliteSeed() : await postgresSeed(`reset_${process.pid}`);
    try {
      console.log(`${kind}: seeding ${fmt(shape.enis)} ENIs (${shape.instances} instances) in one account, ${fmt(shape.other)} in another…`);
      const seeded = await seed(store, shape);
      seeds[kind] = seeded.seconds;
      console.log(`  seeded in ${fmt(seeded.seconds, 1)} s, ${fmt((await store.size()) / 2 ** 20, 1)} MiB`);
      for (let round = 1; round <= rounds; round++) {
        const copy = await store.copy(`r${round}`);
        const server = await startEniplane({ name: `eniplane (${kind})`, storeArgs: copy.storeArgs });
        const client = new ApiClient(server.port);
        try {
          const page = () => client.call(seeded.key, 'DescribeNetworkInterfaces', ECS, { RegionId: REGION, MaxResults: '100' });
          const noop = () => client.call(seeded.key, 'DescribeRegions', ECS, {});
          // Warm: the first calls of a fresh process compile and load what later ones reuse. One
          // request at a time: the harness's connection carries one request in flight.
          for (let i = 0; i < 5; i++) {
            await page();
            await noop();
          }
          const pageMs: number[] = [];
          const noopMs: number[] = [];
          for (let i = 0; i < samples; i++) {
            pageMs.push((await timed(page)).ms);
            noopMs.push((await timed(noop)).ms);
          }
          const reset = await timed(() => client.call(seeded.key, 'ResetAccount', ENIPLANE, {}));
          const removed = reset.value.Removed as Record<string, number>;
          // Every secondary ENI, and the instances' primary ones.
          if (removed.NetworkInterfaces !== shape.enis + shape.instances) throw new Error(`ResetAccount removed ${JSON.stringify(removed)}`);
          const left = await client.call(seeded.key, 'DescribeNetworkInterfaces', ECS, { RegionId: REGION, MaxResults: '10' });
          if (left.TotalCount !== 0) throw new Error(`the account still lists ${String(left.TotalCount)} ENIs`);
          const other = await client.call(seeded.otherKey, 'DescribeNetworkInterfaces', ECS, { RegionId: REGION, MaxResults: '10' });
          if (other.TotalCount !== shape.other + 1) throw new Error(`the other account lists ${String(other.TotalCount)} ENIs, not ${shape.other + 1}`);
          const r: Round = { store: kind, round, resetMs: reset.ms, pageMs: median(pageMs), noopMs: median(noopMs), removed };
          results.push(r);
          console.log(
            `  round ${round}: ResetAccount ${fmt(r.resetMs, 1)} ms; DescribeNetworkInterfaces page ${fmt(r.pageMs, 2)} ms; signed no-op ${fmt(r.noopMs, 2)} ms`,
          );
        } finally {
          client.close();
          await server.stop();
          await copy.drop();
        }
      }
    } finally {
      await store.drop();
    }
  }

  const rows = stores.map((kind) => {
    const mine = results.filter((r) => r.store === kind);
    const reset = spread(mine.map((r) => r.resetMs));
    const page = median(mine.map((r) => r.pageMs));
    const noop = median(mine.map((r) => r.noopMs));
    const perPage = spread(mine.map((r) => r.resetMs / r.pageMs));
    return { kind, reset, page, noop, perPage, enisPerSecond: (shape.enis / reset.median) * 1000 };
  });
  console.log('');
  console.log(
    markdownTable(
      ['store', 'ResetAccount ms (median, range):', 'ENIs removed per s:', 'page of 100 ms:', 'signed no-op ms:', 'reset ÷ page (median, range):'],
      rows.map((r) => [
        r.kind,
        `${fmt(r.reset.median, 0)} (${fmt(r.reset.min, 0)}–${fmt(r.reset.max, 0)})`,
        fmt(r.enisPerSecond),
        fmt(r.page, 2),
        fmt(r.noop, 2),
        `${fmt(r.perPage.median, 0)} (${fmt(r.perPage.min, 0)}–${fmt(r.perPage.max, 0)})`,
      ]),
    ),
  );
  writeReport(values.out!, { command: commandLine('bench:reset'), machine: host, shape, rounds, samples, seedSeconds: seeds, results, summary: rows });
}

runMain('bench:reset', main);
