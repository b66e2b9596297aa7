import type { Tx } from '../schema.ts';

/**
 * ENIs' IPv6 addresses and /80 prefixes (migration 0013). The keys make a duplicate address or
 * prefix impossible; whether an address falls in another ENI's prefix (and the reverse) is checked
 * by the allocator with the vSwitch row locked (services/ipv6-addresses.ts).
 */

export interface Ipv6Row {
  address: string;
  block80: number;
}

export async function insertIpv6Addresses(tx: Tx, vswitchId: string, eniId: string, addresses: readonly Ipv6Row[], now: number): Promise<void> {
  if (addresses.length === 0) return;
  await tx.db
    .insertInto('eni_ipv6_addresses')
    .values(addresses.map((a) => ({ vswitch_id: vswitchId, address: a.address, block80: a.block80, eni_id: eniId, created_at: now })))
    .execute();
}

export async function insertIpv6Prefixes(
  tx: Tx,
  vswitchId: string,
  eniId: string,
  prefixes: readonly { prefix: string; block80: number }[],
  now: number,
): Promise<void> {
  if (prefixes.length === 0) return;
  await tx.db
    .insertInto('eni_ipv6_prefixes')
    .values(prefixes.map((p) => ({ vswitch_id: vswitchId, block80: p.block80, prefix: p.prefix, eni_id: eniId, created_at: now })))
    .execute();
}

/** Whether an ENI of the vSwitch holds this address. */
export async function ipv6AddressTaken(tx: Tx, vswitchId: string, address: string): Promise<boolean> {
  const row = await tx.db
    .selectFrom('eni_ipv6_addresses')
    .select('eni_id')
    .where('vswitch_id', '=', vswitchId)
    .where('address', '=', address)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether any address of the vSwitch falls in the /80 `block80`. */
export async function ipv6BlockHasAddresses(tx: Tx, vswitchId: string, block80: number): Promise<boolean> {
  const row = await tx.db
    .selectFrom('eni_ipv6_addresses')
    .select('eni_id')
    .where('vswitch_id', '=', vswitchId)
    .where('block80', '=', block80)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Each ENI's IPv6 addresses, oldest first. */
export async function ipv6AddressesOf(tx: Tx, eniIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (eniIds.length === 0) return map;
  const rows = await tx.db
    .selectFrom('eni_ipv6_addresses')
    .select(['eni_id', 'address'])
    .where('eni_id', 'in', eniIds)
    .orderBy('created_at')
    .orderBy('address')
    .execute();
  for (const r of rows) map.set(r.eni_id, [...(map.get(r.eni_id) ?? []), r.address]);
  return map;
}

/** Each ENI's IPv6 /80 prefixes, oldest first. */
export async function ipv6PrefixesOf(tx: Tx, eniIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (eniIds.length === 0) return map;
  const rows = await tx.db
    .selectFrom('eni_ipv6_prefixes')
    .select(['eni_id', 'prefix'])
    .where('eni_id', 'in', eniIds)
    .orderBy('created_at')
    .orderBy('block80')
    .execute();
  for (const r of rows) map.set(r.eni_id, [...(map.get(r.eni_id) ?? []), r.prefix]);
  return map;
}

export async function deleteIpv6Addresses(tx: Tx, eniId: string, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) return;
  await tx.db.deleteFrom('eni_ipv6_addresses').where('eni_id', '=', eniId).where('address', 'in', addresses).execute();
}

export async function deleteIpv6Prefixes(tx: Tx, eniId: string, prefixes: readonly string[]): Promise<void> {
  if (prefixes.length === 0) return;
  await tx.db.deleteFrom('eni_ipv6_prefixes').where('eni_id', '=', eniId).where('prefix', 'in', prefixes).execute();
}

/** Whether any ENI holds an IPv6 address or prefix in the vSwitch. */
export async function vswitchHasIpv6InUse(tx: Tx, vswitchId: string): Promise<boolean> {
  const a = await tx.db.selectFrom('eni_ipv6_addresses').select('eni_id').where('vswitch_id', '=', vswitchId).limit(1).executeTakeFirst();
  if (a) return true;
  const p = await tx.db.selectFrom('eni_ipv6_prefixes').select('eni_id').where('vswitch_id', '=', vswitchId).limit(1).executeTakeFirst();
  return p !== undefined;
}

/** The first /80 at or after `point` holding an address of the vSwitch (index eni_ipv6_addresses_block). */
export async function addressBlockFrom(tx: Tx, vswitchId: string, point: number): Promise<number | undefined> {
  const row = await tx.db
    .selectFrom('eni_ipv6_addresses')
    .select('block80')
    .where('vswitch_id', '=', vswitchId)
    .where('block80', '>=', point)
    .orderBy('block80')
    .limit(1)
    .executeTakeFirst();
  return row?.block80;
}
