// Address picks in a /16 vSwitch, empty and 99% full, on the real store (SQLite file, WAL):
// the cost of one automatic pick must stay flat as the vSwitch fills (docs/decisions/0002).
// The same for IPv4 prefixes: an automatic /28 pick (carve) in an empty /16 and in one 99% full
// whose last free addresses are a few whole blocks among block-less fragments.
//
//   node --import tsx bench/ipam.ts [--picks 300]   (npm run bench:ipam)
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseIpv4Cidr, type Ipv4Net } from '../src/domain/cidr.ts';
import { IPV4_PREFIX_SIZE, randomBlockPoint, randomPoint, usableSpan } from '../src/domain/ipam.ts';
import { seededRandom } from '../src/lib/random.ts';
import { migrateToLatest, openStore, sqliteFileIn } from '../src/store/db.ts';
import { firstFreeFrom, freeBlockFrom, initFreeRanges, releaseBlock, takeAddress, takeBlock } from '../src/store/repos/ipam.ts';
import { inOneTransaction, readerOf } from '../src/store/tx.ts';
import { describeMachine, machine } from './harness/report.ts';
import { benchIpv6 } from './ipam-ipv6.ts';

const flag = process.argv.indexOf('--picks');
const picks = flag >= 0 ? Number(process.argv[flag + 1]) : 300;
if (!Number.isInteger(picks) || picks < 1) throw new Error('--picks takes a positive integer');
console.log(`bench:ipam: ${describeMachine(machine())}`);
const dir = mkdtempSync(join(tmpdir(), 'eniplane-ipam-bench-'));
const store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) });
const random = seededRandom('ipam-bench');
try {
  await migrateToLatest(store);
  const net = parseIpv4Cidr('10.0.0.0/16') as Ipv4Net;
  const span = usableSpan(net);
  const tx = readerOf(store);
  await initFreeRanges(tx, 'vsw-bench', span);
  const capacity = span.last - span.first + 1;

  /** Mean microseconds per pick over `n` picks, each in its own transaction as in the server. */
  async function measure(n: number, vswitchId = 'vsw-bench'): Promise<number> {
    const t = performance.now();
    for (let i = 0; i < n; i++)
      await inOneTransaction(store, async (t) => {
        const free = await firstFreeFrom(t, vswitchId, randomPoint(span, random));
        await takeAddress(t, vswitchId, free!.range, free!.address);
      });
    return ((performance.now() - t) * 1000) / n;
  }

  // Warm-up on another vSwitch, so the first measurement does not pay for JIT compilation.
  await initFreeRanges(tx, 'vsw-warmup', span);
  await measure(picks, 'vsw-warmup');
  const empty = await measure(picks);
  let used = picks;
  const target = Math.floor(capacity * 0.99);
  // Fill in large transactions (not measured).
  while (used < target) {
    const batch = Math.min(5000, target - used);
    await inOneTransaction(store, async (t2) => {
      for (let i = 0; i < batch; i++) {
        const free = await firstFreeFrom(t2, 'vsw-bench', randomPoint(span, random));
        await takeAddress(t2, 'vsw-bench', free!.range, free!.address);
      }
    });
    used += batch;
  }
  const ranges = (await store.db
    .selectFrom('ip_free_ranges')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst())!.n;
  // At 99% full only 1% (655 addresses) is left: measure fewer picks than that.
  const fullPicks = Math.min(picks, Math.floor((capacity - target) / 2));
  const full = await measure(fullPicks);
  console.log('| vSwitch | filled while measuring | free ranges | picks | µs per pick (mean) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| 10.0.0.0/16 (${capacity} usable) | 0–${((picks / capacity) * 100).toFixed(1)}% | up to ${picks + 1} | ${picks} | ${empty.toFixed(1)} |`);
  console.log(`| 10.0.0.0/16 | ${((target / capacity) * 100).toFixed(1)}% | ${ranges} | ${fullPicks} | ${full.toFixed(1)} |`);
  console.log(`\nratio 99% full / empty: ${(full / empty).toFixed(2)}x (target: within 2x)`);

  // --- IPv4 prefixes (/28) ---
  /**
   * Mean microseconds per automatic prefix pick (a random aligned point, the index lookups, the
   * carve), each in its own transaction as in the server; each carved block is given back in an
   * untimed transaction, so every pick sees the same fill.
   */
  async function measurePrefix(n: number, vswitchId: string): Promise<number> {
    let spent = 0;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const first = await inOneTransaction(store, async (t) => {
        const block = await freeBlockFrom(t, vswitchId, randomBlockPoint(span, random));
        if (!block) throw new Error('no free /28 left');
        await takeBlock(t, vswitchId, block.range, block.first);
        return block.first;
      });
      spent += performance.now() - t0;
      await inOneTransaction(store, (t) => releaseBlock(t, vswitchId, first));
    }
    return (spent * 1000) / n;
  }
  const count = async (sqlWhere: 'all' | 'blocks', vswitchId: string) => {
    let q = store.db
      .selectFrom('ip_free_ranges')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('vswitch_id', '=', vswitchId);
    if (sqlWhere === 'blocks') q = q.where('block_start', 'is not', null);
    return Number((await q.executeTakeFirst())!.n);
  };
  await initFreeRanges(tx, 'vsw-prefix-warmup', span);
  await measurePrefix(picks, 'vsw-prefix-warmup');
  await initFreeRanges(tx, 'vsw-prefix', span);
  // Each measurement starts from an empty write-ahead log: the large fill transactions (and the
  // address bench before) leave one behind whose checkpoints would otherwise land in the picks.
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
  const prefixEmpty = await measurePrefix(picks, 'vsw-prefix');
  // Fill to 99%: carve random blocks until 41 whole blocks are left, then take the first address of
  // 20 of them (block-less fragments the pick's index skips) and 8 of the unaligned edge addresses.
  const blocksInSpan = Math.floor((span.last + 1 - Math.ceil(span.first / IPV4_PREFIX_SIZE) * IPV4_PREFIX_SIZE) / IPV4_PREFIX_SIZE);
  let prefixUsed = 0;
  let carved = 0;
  while (carved < blocksInSpan - 41) {
    const batch = Math.min(1000, blocksInSpan - 41 - carved);
    await inOneTransaction(store, async (t2) => {
      for (let i = 0; i < batch; i++) {
        const block = await freeBlockFrom(t2, 'vsw-prefix', randomBlockPoint(span, random));
        await takeBlock(t2, 'vsw-prefix', block!.range, block!.first);
      }
    });
    carved += batch;
  }
  prefixUsed = carved * IPV4_PREFIX_SIZE;
  await inOneTransaction(store, async (t2) => {
    for (let i = 0; i < 20; i++) {
      const block = await freeBlockFrom(t2, 'vsw-prefix', randomBlockPoint(span, random));
      await takeAddress(t2, 'vsw-prefix', block!.range, block!.first);
    }
    for (let i = 0; i < 8; i++) {
      const free = await firstFreeFrom(t2, 'vsw-prefix', span.first);
      await takeAddress(t2, 'vsw-prefix', free!.range, free!.address);
    }
  });
  prefixUsed += 28;
  const prefixRanges = await count('all', 'vsw-prefix');
  const prefixBlocks = await count('blocks', 'vsw-prefix');
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
  const prefixFull = await measurePrefix(picks, 'vsw-prefix');
  console.log('\n| vSwitch (IPv4 prefix picks) | filled | free ranges (with a whole /28) | picks | µs per pick (mean) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| 10.0.0.0/16 (${capacity} usable) | 0% | 1 (1) | ${picks} | ${prefixEmpty.toFixed(1)} |`);
  console.log(`| 10.0.0.0/16 | ${((prefixUsed / capacity) * 100).toFixed(1)}% | ${prefixRanges} (${prefixBlocks}) | ${picks} | ${prefixFull.toFixed(1)} |`);
  console.log(`\nprefix ratio 99% full / empty: ${(prefixFull / prefixEmpty).toFixed(2)}x (target: within 2x)`);

  // IPv6: a /64's /80s at 99% taken (bench/ipam-ipv6.ts).
  console.log('\n| IPv6 pick in a /64 | picks | µs per pick, empty | µs per pick, /80s 99% taken | ratio (target: within 2x) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of await benchIpv6(store, picks, random)) {
    console.log(`| ${r.what} | ${r.picks} | ${r.emptyUs.toFixed(1)} | ${r.fullUs.toFixed(1)} | ${(r.fullUs / r.emptyUs).toFixed(2)}x |`);
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
