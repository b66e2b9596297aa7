import type { ServiceContext } from './context.ts';
import { assertCanChangeIps } from '../domain/eni-rules.ts';
import { assertIpv6Room } from '../domain/ipv6-rules.ts';
import { ipv6AddressesOf, ipv6PrefixesOf } from '../store/repos/ipv6.ts';
import { lockEniWithInstance, requireVSwitchForEni } from './enis.ts';
import { allocateIpv6, ipv6Entries, releaseIpv6, vswitchIpv6Net, type Ipv6Request, type Ipv6Taken } from './ipv6-addresses.ts';

async function heldIpv6(ctx: ServiceContext, eniId: string): Promise<Ipv6Taken> {
  const [a, p] = await Promise.all([ipv6AddressesOf(ctx.tx, [eniId]), ipv6PrefixesOf(ctx.tx, [eniId])]);
  return { addresses: a.get(eniId) ?? [], prefixes: p.get(eniId) ?? [] };
}

/**
 * AssignIpv6Addresses: the ENI Available or InUse (a primary ENI's instance Running or Stopped,
 * the same rule as IPv4), its vSwitch with IPv6, and room under the ENI's IPv6 limit.
 */
export async function assignIpv6(ctx: ServiceContext, eniId: string, request: Ipv6Request): Promise<{ eniId: string } & Ipv6Taken> {
  const { eni, instance } = await lockEniWithInstance(ctx, eniId);
  assertCanChangeIps(eni.status, eni.type, instance?.status);
  // Locked: the address-in-prefix checks of the allocation read the whole vSwitch.
  const vsw = await requireVSwitchForEni(ctx, eni.vswitchId);
  vswitchIpv6Net(vsw);
  const held = await heldIpv6(ctx, eni.id);
  assertIpv6Room(eni.id, eni.status, instance?.type, held.addresses.length + held.prefixes.length, ipv6Entries(request));
  return { eniId: eni.id, ...(await allocateIpv6(ctx, vsw, eni.id, request)) };
}

/** UnassignIpv6Addresses: the same state rules; every address and prefix named must be the ENI's. */
export async function unassignIpv6(ctx: ServiceContext, eniId: string, release: { addresses: string[]; prefixes: string[] }): Promise<void> {
  const { eni, instance } = await lockEniWithInstance(ctx, eniId);
  assertCanChangeIps(eni.status, eni.type, instance?.status);
  await requireVSwitchForEni(ctx, eni.vswitchId);
  await releaseIpv6(ctx, eni.vswitchId, eni.id, await heldIpv6(ctx, eni.id), release);
}
