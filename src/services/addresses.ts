import type { ServiceContext } from './context.ts';
import { parseIpv4Cidr, type Ipv4Net } from '../domain/cidr.ts';
import { checkRequestedAddress, intToIpv4, IPV4_PREFIX_SIZE, randomPoint, usableSpan } from '../domain/ipam.ts';
import type { ApiError } from '../errors/api-error.ts';
import { EniErrors } from '../errors/ecs/enis.ts';
import { InstanceErrors } from '../errors/ecs/instances.ts';
import { addVSwitchUsage, deleteEniRow, deletePrivateIps, dueDeletionsIn, insertPrivateIps, privateIpsOf } from '../store/repos/enis.ts';
import { firstFreeFrom, rangeHolding, releaseAddress, releaseBlock, takeAddress } from '../store/repos/ipam.ts';
import { deleteIpv4Prefixes, ipv4PrefixRowsOf } from '../store/repos/ipv4-prefixes.ts';
import type { VSwitch } from '../domain/models/vswitch.ts';
import { releaseEniIpv6 } from './ipv6-addresses.ts';

export interface Allocated {
  address: string;
  addressInt: number;
}

/**
 * The codes an address problem answers with differ by action: CreateNetworkInterface
 * (`eni`), AssignPrivateIpAddresses (`assign`: a taken address is "already assigned") and the
 * instance actions (`instance`: RunInstances' InvalidPrivateIpAddress family).
 */
export type AddressCodes = 'eni' | 'assign' | 'instance';

export interface AddressErrors {
  invalid(ip: string, cidr: string): ApiError;
  taken(ip: string): ApiError;
  notEnough(): ApiError;
}

export const ADDRESS_ERRORS: Record<AddressCodes, AddressErrors> = {
  eni: { invalid: EniErrors.ipInvalid, taken: EniErrors.ipDuplicated, notEnough: EniErrors.ipNotEnough },
  assign: { invalid: EniErrors.ipInvalid, taken: EniErrors.ipAssigned, notEnough: EniErrors.ipNotEnough },
  instance: {
    invalid: (ip) => InstanceErrors.privateIpNotInVSwitch(ip),
    taken: InstanceErrors.privateIpDuplicated,
    notEnough: InstanceErrors.privateIpNotEnough,
  },
};

/**
 * Takes addresses from a vSwitch whose row the caller has locked: the requested ones first (each
 * checked: inside the CIDR, not reserved, free, not repeated), then `count` random free ones.
 * The (vSwitch, address) primary key of private_ips backs every pick.
 */
export async function allocateAddresses(
  ctx: ServiceContext,
  vsw: VSwitch,
  requested: readonly string[],
  count: number,
  codes: AddressCodes,
  /** Addresses a later part of the same request asks for by name: automatic picks leave them free. */
  reservedForLater: ReadonlySet<string> = new Set(),
): Promise<Allocated[]> {
  const errors = ADDRESS_ERRORS[codes];
  await purgeDueDeletions(ctx, vsw);
  const net = parseIpv4Cidr(vsw.cidrBlock) as Ipv4Net;
  const out: Allocated[] = [];
  const seen = new Set<string>();
  // Every requested address is checked for form, repetition and place before any is looked up,
  // so a malformed request gets the same answer whatever the vSwitch holds.
  const wanted: number[] = [];
  for (const text of requested) {
    if (seen.has(text)) throw EniErrors.ipRepeated(text);
    seen.add(text);
    const checked = checkRequestedAddress(text, net);
    if (checked === 'malformed') throw EniErrors.ipMalformed(text);
    if (checked === 'outside' || checked === 'reserved') throw errors.invalid(text, vsw.cidrBlock);
    wanted.push(checked);
  }
  for (const address of wanted) {
    const range = await rangeHolding(ctx.tx, vsw.id, address);
    if (!range) throw errors.taken(intToIpv4(address));
    await takeAddress(ctx.tx, vsw.id, range, address);
    out.push({ address: intToIpv4(address), addressInt: address });
  }
  const span = usableSpan(net);
  if (vsw.ipCapacity - vsw.ipUsed - out.length - reservedForLater.size < count) throw errors.notEnough();
  for (let i = 0; i < count; i++) {
    let free = await firstFreeFrom(ctx.tx, vsw.id, randomPoint(span, ctx.random));
    // Requested addresses are placed before automatic ones, even when a request names them last.
    for (let skips = 0; free && reservedForLater.has(intToIpv4(free.address)) && skips <= reservedForLater.size; skips++) {
      free = await firstFreeFrom(ctx.tx, vsw.id, free.address === span.last ? span.first : free.address + 1);
    }
    if (!free || reservedForLater.has(intToIpv4(free.address))) throw errors.notEnough();
    await takeAddress(ctx.tx, vsw.id, free.range, free.address);
    out.push({ address: intToIpv4(free.address), addressInt: free.address });
  }
  await addVSwitchUsage(ctx.tx, vsw.id, out.length);
  vsw.ipUsed += out.length;
  return out;
}

/** Records allocated addresses as an ENI's. */
export async function bindAddresses(
  ctx: ServiceContext,
  vswitchId: string,
  eniId: string,
  addresses: readonly Allocated[],
  primaryFirst: boolean,
): Promise<void> {
  await insertPrivateIps(
    ctx.tx,
    vswitchId,
    eniId,
    addresses.map((a, i) => ({ ...a, isPrimary: primaryFirst && i === 0 })),
    ctx.now,
  );
}

/** Gives addresses back to their vSwitch. */
export async function releaseAddresses(ctx: ServiceContext, vswitchId: string, addressInts: readonly number[]): Promise<void> {
  await deletePrivateIps(ctx.tx, vswitchId, addressInts);
  for (const a of addressInts) await releaseAddress(ctx.tx, vswitchId, a);
  await addVSwitchUsage(ctx.tx, vswitchId, -addressInts.length);
}

/** Gives IPv4 prefixes back to their vSwitch (whose row the caller has locked): 16 free addresses each, merged with their neighbours. */
export async function releaseIpv4Prefixes(ctx: ServiceContext, vswitchId: string, firstInts: readonly number[]): Promise<void> {
  await deleteIpv4Prefixes(ctx.tx, vswitchId, firstInts);
  for (const first of firstInts) await releaseBlock(ctx.tx, vswitchId, first);
  await addVSwitchUsage(ctx.tx, vswitchId, -firstInts.length * IPV4_PREFIX_SIZE);
}

/** Gives all of an ENI's addresses, IPv4 prefixes and IPv6 addresses and prefixes back to its vSwitch (whose row the caller has locked); answers how many addresses that frees. */
export async function releaseEniAddresses(ctx: ServiceContext, eniId: string, vswitchId: string): Promise<number> {
  await releaseEniIpv6(ctx, eniId, vswitchId);
  const ips = (await privateIpsOf(ctx.tx, [eniId])).get(eniId) ?? [];
  await releaseAddresses(
    ctx,
    vswitchId,
    ips.map((ip) => ip.addressInt),
  );
  const prefixes = (await ipv4PrefixRowsOf(ctx.tx, [eniId])).get(eniId) ?? [];
  await releaseIpv4Prefixes(
    ctx,
    vswitchId,
    prefixes.map((p) => p.firstInt),
  );
  return ips.length + prefixes.length * IPV4_PREFIX_SIZE;
}

/**
 * Finishes the deletions in a vSwitch whose due time has passed: a Deleting ENI holds its
 * addresses until it is gone (services/enis.ts destroyEni), then they go back to the free pool
 * and its rows are removed. Resolved on demand from the clock, with no background worker: called
 * with the vSwitch row locked, before its addresses are allocated and before it is deleted, so
 * every replica agrees and no address is ever on two ENIs. Readers count such addresses as free
 * (repos/enis.ts addressesAwaitingRelease).
 */
export async function purgeDueDeletions(ctx: ServiceContext, vsw: VSwitch): Promise<void> {
  for (const eniId of await dueDeletionsIn(ctx.tx, vsw.id, ctx.now)) {
    vsw.ipUsed -= await releaseEniAddresses(ctx, eniId, vsw.id);
    await deleteEniRow(ctx.tx, eniId);
  }
}
