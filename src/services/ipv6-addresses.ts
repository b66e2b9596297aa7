import type { ServiceContext } from './context.ts';
import {
  block80Of,
  checkRequestedIpv6,
  checkRequestedIpv6Prefix,
  formatIpv6,
  formatIpv6Cidr,
  ipv6PrefixAt,
  parseIpv6,
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
  ipv6AddressesOf,
  ipv6PrefixesOf,
  ipv6AddressTaken,
  ipv6BlockHasAddresses,
  addressBlockFrom,
  type Ipv6Row,
} from '../store/repos/ipv6.ts';
import { firstFreeBlockFrom, freeRangeHolding, releaseBlock, takeBlock } from '../store/repos/ipv6-blocks.ts';
import type { FreeRange } from '../domain/ipam.ts';
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

/** Tries of an automatic address pick; a try misses only on an address already taken, which a 48-bit random host makes vanishingly rare. */
const DRAWS = 8;

/**
 * The /80s of the /64 kept in the free ranges: all that may be a prefix, i.e. all but the first
 * and the last, which hold the reserved addresses (domain/ipv6.ts). Those two only ever hold
 * addresses, so they are never in the ranges.
 */
export const USABLE_BLOCKS: FreeRange = { first: 1, last: 65534 };

function neverPrefix(block: number): boolean {
  return block < USABLE_BLOCKS.first || block > USABLE_BLOCKS.last;
}

/**
 * Takes IPv6 addresses and /80 prefixes in a vSwitch whose row the caller has locked. The /80s
 * holding nothing are kept as free ranges (repos/ipv6-blocks.ts): a prefix takes a free /80; an
 * address goes into a /80 that already holds addresses, or opens a free one; so no address is
 * ever inside a prefix. Requested ones are checked (form, place, repetition, free), then random
 * ones drawn. The (vSwitch, address) and (vSwitch, block) keys back every pick.
 */
export async function allocateIpv6(ctx: ServiceContext, vsw: VSwitch, eniId: string, request: Ipv6Request): Promise<Ipv6Taken> {
  if (ipv6Entries(request) === 0) return { addresses: [], prefixes: [] };
  const net = vswitchIpv6Net(vsw);
  // A Deleting ENI whose time has come gives its addresses back first.
  await purgeDueDeletions(ctx, vsw);
  const seen = new Set<string>();
  const wanted: Ipv6Row[] = [];
  for (const text of request.addresses) {
    const checked = checkRequestedIpv6(text, net);
    if (typeof checked === 'string') throw Ipv6Errors.addressInvalid(text);
    const address = formatIpv6(checked);
    if (seen.has(address)) throw EniErrors.ipRepeated(text);
    seen.add(address);
    wanted.push({ address, block80: block80Of(checked) });
  }
  const prefixBlocks: number[] = [];
  for (const text of request.prefixes) {
    const block = checkRequestedIpv6Prefix(text, net);
    if (typeof block === 'string') throw Ipv6Errors.addressInvalid(text);
    if (prefixBlocks.includes(block)) throw EniErrors.ipRepeated(text);
    prefixBlocks.push(block);
  }
  const picker = new BlockPicker(ctx, vsw.id);
  for (const block of prefixBlocks) {
    if (!(await picker.takeFree(block))) throw EniErrors.ipAssigned(formatIpv6Cidr(ipv6PrefixAt(net, block)));
  }
  for (const a of wanted) {
    if ((await ipv6AddressTaken(ctx.tx, vsw.id, a.address)) || !(await picker.mayHoldAddress(a.block80))) throw EniErrors.ipAssigned(a.address);
  }
  const addresses = [...wanted];
  for (let i = 0; i < request.count; i++) addresses.push(await drawAddress(ctx, picker, net, seen));
  for (let i = 0; i < request.prefixCount; i++) {
    const free = await firstFreeBlockFrom(ctx.tx, vsw.id, randomIpv6PrefixBlock(ctx.random));
    if (!free) throw EniErrors.ipNotEnough();
    await picker.take(free.block, free.range);
    prefixBlocks.push(free.block);
  }
  const prefixes = prefixBlocks.map((block) => ({ block80: block, prefix: formatIpv6Cidr(ipv6PrefixAt(net, block)) }));
  await insertIpv6Addresses(ctx.tx, vsw.id, eniId, addresses, ctx.now);
  await insertIpv6Prefixes(ctx.tx, vsw.id, eniId, prefixes, ctx.now);
  return { addresses: addresses.map((a) => a.address), prefixes: prefixes.map((p) => p.prefix) };
}

/**
 * The /80 bookkeeping of one allocation: blocks it takes from the free ranges (as prefixes, or
 * opened for addresses), remembered so that a second address of the same request in a block it
 * opened is accepted before any row is written.
 */
class BlockPicker {
  private readonly opened = new Set<number>();
  private readonly prefixes = new Set<number>();
  constructor(
    private readonly ctx: ServiceContext,
    readonly vswitchId: string,
  ) {}

  /** Takes a free block as a prefix; false when it is not free. */
  async takeFree(block: number): Promise<boolean> {
    const range = await freeRangeHolding(this.ctx.tx, this.vswitchId, block);
    if (!range) return false;
    await takeBlock(this.ctx.tx, this.vswitchId, range, block);
    this.prefixes.add(block);
    return true;
  }

  async take(block: number, range: FreeRange): Promise<void> {
    await takeBlock(this.ctx.tx, this.vswitchId, range, block);
    this.prefixes.add(block);
  }

  /** Whether an address may go into `block` (opening it if free): it must not be a prefix. */
  async mayHoldAddress(block: number): Promise<boolean> {
    if (this.prefixes.has(block)) return false;
    if (this.opened.has(block) || neverPrefix(block)) return true;
    const range = await freeRangeHolding(this.ctx.tx, this.vswitchId, block);
    if (range) {
      await takeBlock(this.ctx.tx, this.vswitchId, range, block);
      this.opened.add(block);
      return true;
    }
    return ipv6BlockHasAddresses(this.ctx.tx, this.vswitchId, block);
  }

  /** A /80 for an automatic address: the first free one at or after `point` (opened), else one holding addresses. */
  async blockForAddress(point: number): Promise<number | undefined> {
    const free = await firstFreeBlockFrom(this.ctx.tx, this.vswitchId, point);
    if (free) {
      await takeBlock(this.ctx.tx, this.vswitchId, free.range, free.block);
      this.opened.add(free.block);
      return free.block;
    }
    return (await addressBlockFrom(this.ctx.tx, this.vswitchId, point)) ?? [...this.opened][0];
  }
}

/**
 * An automatic address: a random host of a /80 found from a random point (a free one, opened; when
 * none is free, one already holding addresses), so a pick costs the same few index look-ups
 * whether the /64's /80s are free or nearly all prefixes. Each address thus opens its own /80, as
 * uniformly random addresses in a /64 would.
 */
async function drawAddress(ctx: ServiceContext, picker: BlockPicker, net: Ipv6Net, seen: Set<string>): Promise<Ipv6Row> {
  for (let draw = 0; draw < DRAWS; draw++) {
    const block = await picker.blockForAddress(randomIpv6PrefixBlock(ctx.random));
    if (block === undefined) break;
    const n = ipv6PrefixAt(net, block).base + (randomIpv6Host(net, ctx.random) & 0xffffffffffffn);
    const row = { address: formatIpv6(n), block80: block };
    if (seen.has(row.address) || (await ipv6AddressTaken(ctx.tx, picker.vswitchId, row.address))) continue;
    seen.add(row.address);
    return row;
  }
  throw EniErrors.ipNotEnough();
}

/**
 * UnassignIpv6Addresses: each named address or prefix must be the ENI's (in any spelling of it).
 */
export async function releaseIpv6(
  ctx: ServiceContext,
  vswitchId: string,
  eniId: string,
  held: Ipv6Taken,
  release: { addresses: string[]; prefixes: string[] },
): Promise<void> {
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
  await freeIpv6(ctx, vswitchId, eniId, [...addresses.values()] as string[], [...prefixes.values()] as string[]);
}

/**
 * Removes addresses and prefixes of an ENI (in a vSwitch whose row the caller has locked) and
 * gives back to the free ranges every /80 left holding nothing.
 */
async function freeIpv6(ctx: ServiceContext, vswitchId: string, eniId: string, addresses: readonly string[], prefixes: readonly string[]): Promise<void> {
  await deleteIpv6Addresses(ctx.tx, eniId, addresses);
  await deleteIpv6Prefixes(ctx.tx, eniId, prefixes);
  const emptied = new Set<number>();
  for (const p of prefixes) emptied.add(block80Of(parseIpv6Cidr(p)!.base));
  for (const a of addresses) {
    const block = block80Of(parseIpv6(a)!);
    if (!(await ipv6BlockHasAddresses(ctx.tx, vswitchId, block))) emptied.add(block);
  }
  for (const block of emptied) if (!neverPrefix(block)) await releaseBlock(ctx.tx, vswitchId, block);
}

/** Every IPv6 address and prefix of an ENI back to its vSwitch (whose row the caller has locked): the ENI is going away. */
export async function releaseEniIpv6(ctx: ServiceContext, eniId: string, vswitchId: string): Promise<void> {
  const [a, p] = await Promise.all([ipv6AddressesOf(ctx.tx, [eniId]), ipv6PrefixesOf(ctx.tx, [eniId])]);
  await freeIpv6(ctx, vswitchId, eniId, a.get(eniId) ?? [], p.get(eniId) ?? []);
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
