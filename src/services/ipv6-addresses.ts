import type { ServiceContext } from './context.ts';
import {
  block80Of,
  checkRequestedIpv6,
  checkRequestedIpv6Prefix,
  formatIpv6,
  formatIpv6Cidr,
  ipv6PrefixAt,
  parseIpv6Cidr,
  randomIpv6Host,
  randomIpv6PrefixBlock,
  type Ipv6Net,
} from '../domain/ipv6.ts';
import type { VSwitch } from '../domain/models/vswitch.ts';
import { EniErrors } from '../errors/ecs/enis.ts';
import { Ipv6Errors } from '../errors/ecs/ipv6.ts';
import {
  deleteIpv6Addresses,
  deleteIpv6Prefixes,
  insertIpv6Addresses,
  insertIpv6Prefixes,
  ipv6AddressTaken,
  ipv6BlockHasAddresses,
  ipv6PrefixTaken,
  takenIpv6Blocks,
  type Ipv6Row,
} from '../store/repos/ipv6.ts';
import { purgeDueDeletions } from './addresses.ts';

/**
 * What a request asks for in IPv6: addresses by list or count, /80 prefixes by list or count
 * (CreateNetworkInterface, AssignIpv6Addresses, RunInstances' primary ENI).
 */
export interface Ipv6Request {
  addresses: string[];
  count: number;
  prefixes: string[];
  prefixCount: number;
}

export const NO_IPV6: Ipv6Request = { addresses: [], count: 0, prefixes: [], prefixCount: 0 };

export function ipv6Entries(r: Ipv6Request): number {
  return r.addresses.length + r.count + r.prefixes.length + r.prefixCount;
}

/** What was taken: addresses and prefixes in their stored (RFC 5952) spelling. */
export interface Ipv6Taken {
  addresses: string[];
  prefixes: string[];
}

/** The vSwitch's /64; refused when it has none. */
export function vswitchIpv6Net(vsw: VSwitch): Ipv6Net {
  if (vsw.ipv6CidrBlock === '') throw Ipv6Errors.vswitchIpv6Off(vsw.id);
  return parseIpv6Cidr(vsw.ipv6CidrBlock)!;
}

/**
 * Random draws before a pick looks for a free /80 by reading the taken ones. A /64 holds 2^64
 * addresses, so an address draw misses only by landing in a /80 prefix; a prefix draw misses on a
 * taken /80 of the 65,534. Draws stay cheap until the /80s are mostly taken; then one read of the
 * taken blocks (nearestFreeBlock) finds a free one, so a pick fails only when none is left.
 */
const DRAWS = 8;

/**
 * Takes IPv6 addresses and /80 prefixes in a vSwitch whose row the caller has locked (every IPv6
 * allocation in a vSwitch locks it first, so the address-in-prefix checks below cannot race).
 * Requested ones are checked (form, place, repetition, free), then random ones drawn. The
 * (vSwitch, address) and (vSwitch, block) keys back every pick.
 */
export async function allocateIpv6(ctx: ServiceContext, vsw: VSwitch, eniId: string, request: Ipv6Request): Promise<Ipv6Taken> {
  if (ipv6Entries(request) === 0) return { addresses: [], prefixes: [] };
  const net = vswitchIpv6Net(vsw);
  // A Deleting ENI whose time has come gives its addresses back first.
  await purgeDueDeletions(ctx, vsw);
  const seen = new Set<string>();
  const addresses: Ipv6Row[] = [];
  for (const text of request.addresses) {
    const checked = checkRequestedIpv6(text, net);
    if (typeof checked === 'string') throw Ipv6Errors.addressInvalid(text);
    const address = formatIpv6(checked);
    if (seen.has(address)) throw EniErrors.ipRepeated(text);
    seen.add(address);
    addresses.push({ address, block80: block80Of(checked) });
  }
  const blocks = new Set<number>();
  for (const text of request.prefixes) {
    const block = checkRequestedIpv6Prefix(text, net);
    if (typeof block === 'string') throw Ipv6Errors.addressInvalid(text);
    if (blocks.has(block)) throw EniErrors.ipRepeated(text);
    blocks.add(block);
  }
  for (const a of addresses) {
    if (blocks.has(a.block80)) throw EniErrors.ipAssigned(a.address);
    if ((await ipv6AddressTaken(ctx.tx, vsw.id, a.address)) || (await ipv6PrefixTaken(ctx.tx, vsw.id, a.block80))) throw EniErrors.ipAssigned(a.address);
  }
  for (const block of blocks) {
    if ((await ipv6PrefixTaken(ctx.tx, vsw.id, block)) || (await ipv6BlockHasAddresses(ctx.tx, vsw.id, block))) {
      throw EniErrors.ipAssigned(formatIpv6Cidr(ipv6PrefixAt(net, block)));
    }
  }
  for (let i = 0; i < request.count; i++) addresses.push(await drawAddress(ctx, vsw.id, net, seen, blocks));
  for (let i = 0; i < request.prefixCount; i++) blocks.add(await drawPrefix(ctx, vsw.id, addresses, blocks));
  const prefixes = [...blocks].map((block) => ({ block80: block, prefix: formatIpv6Cidr(ipv6PrefixAt(net, block)) }));
  await insertIpv6Addresses(ctx.tx, vsw.id, eniId, addresses, ctx.now);
  await insertIpv6Prefixes(ctx.tx, vsw.id, eniId, prefixes, ctx.now);
  return { addresses: addresses.map((a) => a.address), prefixes: prefixes.map((p) => p.prefix) };
}

async function drawAddress(ctx: ServiceContext, vswitchId: string, net: Ipv6Net, seen: Set<string>, blocks: ReadonlySet<number>): Promise<Ipv6Row> {
  let n = randomIpv6Host(net, ctx.random);
  for (let draw = 0; ; draw++) {
    const row = { address: formatIpv6(n), block80: block80Of(n) };
    const free =
      !seen.has(row.address) &&
      !blocks.has(row.block80) &&
      !(await ipv6AddressTaken(ctx.tx, vswitchId, row.address)) &&
      !(await ipv6PrefixTaken(ctx.tx, vswitchId, row.block80));
    if (free) {
      seen.add(row.address);
      return row;
    }
    if (draw < DRAWS) n = randomIpv6Host(net, ctx.random);
    else {
      // Mostly prefixes: a random address of a /80 that is none (addresses may share it).
      const block = await nearestFreeBlock(ctx, vswitchId, blocks, false);
      n = ipv6PrefixAt(net, block).base + (randomIpv6Host(net, ctx.random) & 0xffffffffffffn);
    }
    if (draw > DRAWS + 16) throw EniErrors.ipNotEnough();
  }
}

async function drawPrefix(ctx: ServiceContext, vswitchId: string, addresses: readonly Ipv6Row[], blocks: ReadonlySet<number>): Promise<number> {
  const pending = new Set([...blocks, ...addresses.map((a) => a.block80)]);
  for (let draw = 0; draw < DRAWS; draw++) {
    const block = randomIpv6PrefixBlock(ctx.random);
    if (pending.has(block)) continue;
    if ((await ipv6PrefixTaken(ctx.tx, vswitchId, block)) || (await ipv6BlockHasAddresses(ctx.tx, vswitchId, block))) continue;
    return block;
  }
  return nearestFreeBlock(ctx, vswitchId, pending, true);
}

/**
 * The first /80 at or after a random one (wrapping) that is not a prefix (and, for a prefix, holds
 * no address), nor among `pending` (this request's own). Never the first or last /80 (randomIpv6PrefixBlock).
 */
async function nearestFreeBlock(ctx: ServiceContext, vswitchId: string, pending: ReadonlySet<number>, forPrefix: boolean): Promise<number> {
  const taken = await takenIpv6Blocks(ctx.tx, vswitchId, forPrefix);
  const start = randomIpv6PrefixBlock(ctx.random);
  for (let i = 0; i < USABLE_BLOCKS; i++) {
    const block = 1 + ((start - 1 + i) % USABLE_BLOCKS);
    if (!taken.has(block) && !pending.has(block)) return block;
  }
  throw EniErrors.ipNotEnough();
}

/** The /80s a prefix may take: all but the first and the last of the /64. */
const USABLE_BLOCKS = 65534;

/**
 * UnassignIpv6Addresses: each named address or prefix must be the ENI's (in any spelling of it).
 */
export async function releaseIpv6(ctx: ServiceContext, eniId: string, held: Ipv6Taken, release: { addresses: string[]; prefixes: string[] }): Promise<void> {
  const heldAddresses = new Set(held.addresses);
  const heldPrefixes = new Set(held.prefixes);
  const addresses = canonical(release.addresses, (t) => {
    const net = parseIpv6Cidr(`${t}/128`);
    return net ? formatIpv6(net.base) : null;
  });
  const prefixes = canonical(release.prefixes, (t) => {
    const net = parseIpv6Cidr(t);
    return net ? formatIpv6Cidr(net) : null;
  });
  for (const [text, a] of addresses) if (a === null || !heldAddresses.has(a)) throw EniErrors.ipUnassigned(text);
  for (const [text, p] of prefixes) if (p === null || !heldPrefixes.has(p)) throw EniErrors.ipUnassigned(text);
  await deleteIpv6Addresses(ctx.tx, eniId, [...addresses.values()] as string[]);
  await deleteIpv6Prefixes(ctx.tx, eniId, [...prefixes.values()] as string[]);
}

/** Each text with its canonical spelling (null: malformed); a repeated one is refused. */
function canonical(texts: readonly string[], spell: (t: string) => string | null): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const spelled = new Set<string>();
  for (const t of texts) {
    const s = spell(t);
    if (out.has(t) || (s !== null && spelled.has(s))) throw EniErrors.ipRepeated(t);
    if (s !== null) spelled.add(s);
    out.set(t, s);
  }
  return out;
}
