import type { ServiceContext } from './context.ts';
import { parseIpv4Cidr, type Ipv4Net } from '../domain/cidr.ts';
import { checkRequestedPrefix, IPV4_PREFIX_SIZE, ipv4PrefixText, randomBlockPoint, usableSpan, type PrefixProblem } from '../domain/ipam.ts';
import type { VSwitch } from '../domain/models/vswitch.ts';
import { EniErrors } from '../errors/ecs/enis.ts';
import { addVSwitchUsage } from '../store/repos/enis.ts';
import { freeBlockFrom, rangeHoldingBlock, takeBlock } from '../store/repos/ipam.ts';
import { insertIpv4Prefixes, type Ipv4PrefixRow } from '../store/repos/ipv4-prefixes.ts';
import { ADDRESS_ERRORS, purgeDueDeletions, type AddressCodes } from './addresses.ts';

const FORM_PROBLEMS: Partial<Record<PrefixProblem, string>> = {
  malformed: 'is not an IPv4 CIDR block.',
  length: 'is not a /28: an IPv4 prefix is 16 addresses.',
  unaligned: 'is not a standard CIDR block: its address must be the network address of the /28.',
};

/**
 * Carves IPv4 prefixes (/28 blocks) out of a vSwitch whose row the caller has locked: the
 * requested ones (each checked for form, place and repetition before any is looked up; all 16
 * addresses must be free), then `count` automatic ones, each an aligned block drawn at random
 * (repos/ipam.ts freeBlockFrom). A prefix takes its 16 addresses out of the free ranges, so it can
 * overlap no address and no other prefix; the vSwitch's used count grows by 16 per prefix.
 */
export async function allocateIpv4Prefixes(
  ctx: ServiceContext,
  vsw: VSwitch,
  requested: readonly string[],
  count: number,
  codes: AddressCodes,
): Promise<Ipv4PrefixRow[]> {
  if (requested.length === 0 && count === 0) return [];
  const errors = ADDRESS_ERRORS[codes];
  await purgeDueDeletions(ctx, vsw);
  const net = parseIpv4Cidr(vsw.cidrBlock) as Ipv4Net;
  const wanted: number[] = [];
  const seen = new Set<number>();
  for (const text of requested) {
    const checked = checkRequestedPrefix(text, net);
    if (typeof checked === 'number') {
      if (seen.has(checked)) throw EniErrors.ipRepeated(text);
      seen.add(checked);
      wanted.push(checked);
      continue;
    }
    const why = FORM_PROBLEMS[checked];
    if (why) throw EniErrors.ipv4PrefixInvalid(text, why);
    // Outside the vSwitch CIDR, or over its network address or its last three (reserved) ones.
    throw errors.invalid(text, vsw.cidrBlock);
  }
  const out: Ipv4PrefixRow[] = [];
  for (const first of wanted) {
    const range = await rangeHoldingBlock(ctx.tx, vsw.id, first);
    if (!range) throw errors.taken(ipv4PrefixText(first));
    await takeBlock(ctx.tx, vsw.id, range, first);
    out.push({ prefix: ipv4PrefixText(first), firstInt: first });
  }
  if (vsw.ipCapacity - vsw.ipUsed - out.length * IPV4_PREFIX_SIZE < count * IPV4_PREFIX_SIZE) throw errors.notEnough();
  const span = usableSpan(net);
  for (let i = 0; i < count; i++) {
    // Free addresses may remain with no whole aligned /28 among them: that is "not enough" too.
    const block = await freeBlockFrom(ctx.tx, vsw.id, randomBlockPoint(span, ctx.random));
    if (!block) throw errors.notEnough();
    await takeBlock(ctx.tx, vsw.id, block.range, block.first);
    out.push({ prefix: ipv4PrefixText(block.first), firstInt: block.first });
  }
  await addVSwitchUsage(ctx.tx, vsw.id, out.length * IPV4_PREFIX_SIZE);
  vsw.ipUsed += out.length * IPV4_PREFIX_SIZE;
  return out;
}

/** Records carved prefixes as an ENI's. */
export async function bindIpv4Prefixes(ctx: ServiceContext, vswitchId: string, eniId: string, prefixes: readonly Ipv4PrefixRow[]): Promise<void> {
  await insertIpv4Prefixes(ctx.tx, vswitchId, eniId, prefixes, ctx.now);
}
