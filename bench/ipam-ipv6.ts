// IPv6 picks in a vSwitch's /64, through the allocator the API uses (services/ipv6-addresses.ts),
// on the real store: an automatic address and an automatic /80 prefix, in an empty /64 and in one
// whose /80s are 99% taken by prefixes. A /64 cannot be 99% full of addresses (2^64 of them);
// what can fill is its 65,534 /80s, which prefixes take whole. Part of bench:ipam.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { defaultServerConfig, parseDelays } from '../src/config.ts';
import { randomIpv6PrefixBlock } from '../src/domain/ipv6.ts';
import type { VSwitch } from '../src/domain/models/vswitch.ts';
import type { Random } from '../src/lib/random.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { NO_IPV6, USABLE_BLOCKS, allocateIpv6 } from '../src/services/ipv6-addresses.ts';
import type { Store } from '../src/store/db.ts';
import { firstFreeBlockFrom, initFreeBlocks, takeBlock } from '../src/store/repos/ipv6-blocks.ts';
import type { Tx } from '../src/store/schema.ts';
import { inOneTransaction } from '../src/store/tx.ts';

function vswitch(id: string, index: number): VSwitch {
  return {
    id,
    accountId: 'bench',
    regionId: 'cn-hangzhou',
    vpcId: 'vpc-bench',
    zoneId: 'cn-hangzhou-h',
    cidrBlock: '10.0.0.0/16',
    name: '',
    description: '',
    status: 'Available',
    nextStatus: null,
    transitionAt: null,
    isDefault: false,
    ipCapacity: 65532,
    ipUsed: 0,
    createdAt: 0,
    ipv6CidrBlock: `2001:db8:0:${index.toString(16)}::/64`,
  };
}

export interface Ipv6BenchRow {
  what: string;
  picks: number;
  emptyUs: number;
  fullUs: number;
}

export async function benchIpv6(store: Store, picks: number, random: Random): Promise<Ipv6BenchRow[]> {
  const settings = { ...defaultServerConfig, delays: parseDelays('none') };
  const ctxOf = (tx: Tx): ServiceContext => ({ tx, accountId: 'bench', regionId: 'cn-hangzhou', now: Date.now(), random, settings });
  const vsws = [vswitch('vsw-v6-warmup', 1), vswitch('vsw-v6-empty', 2), vswitch('vsw-v6-full', 3)];
  await inOneTransaction(store, async (tx) => {
    for (const v of vsws) await initFreeBlocks(tx, v.id, USABLE_BLOCKS);
  });

  /** Mean microseconds per pick, each in its own transaction as in the server. */
  async function measure(vsw: VSwitch, kind: 'address' | 'prefix', n: number): Promise<number> {
    // From an empty write-ahead log, so checkpoints of earlier writes (the fill) are not billed here.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
    const request = kind === 'address' ? { ...NO_IPV6, count: 1 } : { ...NO_IPV6, prefixCount: 1 };
    const t = performance.now();
    for (let i = 0; i < n; i++) await inOneTransaction(store, (tx) => allocateIpv6(ctxOf(tx), vsw, `eni-bench-${kind}`, request));
    return ((performance.now() - t) * 1000) / n;
  }

  await measure(vsws[0]!, 'address', picks);
  await measure(vsws[0]!, 'prefix', picks);
  // Take 99% of the full vSwitch's /80s (as prefixes take them), in large transactions, not measured.
  const target = Math.floor((USABLE_BLOCKS.last - USABLE_BLOCKS.first + 1) * 0.99);
  for (let taken = 0; taken < target;) {
    const batch = Math.min(5000, target - taken);
    await inOneTransaction(store, async (tx) => {
      for (let i = 0; i < batch; i++) {
        const free = await firstFreeBlockFrom(tx, vsws[2]!.id, randomIpv6PrefixBlock(random));
        await takeBlock(tx, vsws[2]!.id, free!.range, free!.block);
      }
    });
    taken += batch;
  }
  // 1% (655 /80s) is left: the prefix picks measured must not use it all up.
  const fullPicks = Math.min(picks, 300);
  const rows: Ipv6BenchRow[] = [];
  for (const kind of ['address', 'prefix'] as const) {
    const emptyUs = await measure(vsws[1]!, kind, fullPicks);
    const fullUs = await measure(vsws[2]!, kind, fullPicks);
    rows.push({ what: kind === 'address' ? 'IPv6 address (/128)' : 'IPv6 prefix (/80)', picks: fullPicks, emptyUs, fullUs });
  }
  return rows;
}
