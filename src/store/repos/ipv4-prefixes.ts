import { GONE } from '../../domain/async-state.ts';
import type { Tx } from '../schema.ts';
import { present, queryTemplate } from '../query-template.ts';

/** One IPv4 prefix of an ENI: its text (`10.0.0.16/28`) and first address. */
export interface Ipv4PrefixRow {
  prefix: string;
  firstInt: number;
}

const insertTemplate = queryTemplate(
  (v: { rows: { vswitch_id: string; first_int: number; prefix: string; eni_id: string; created_at: number }[] }) => present(v.rows),
  (tx, v) => tx.db.insertInto('eni_ipv4_prefixes').values(v.rows),
);

/**
 * Records prefixes as an ENI's. The (vSwitch, first address) key backs the free-range carving: a
 * block taken twice would collide here.
 */
export async function insertIpv4Prefixes(tx: Tx, vswitchId: string, eniId: string, prefixes: readonly Ipv4PrefixRow[], now: number): Promise<void> {
  if (prefixes.length === 0) return;
  await insertTemplate(tx, {
    rows: prefixes.map((p) => ({ vswitch_id: vswitchId, first_int: p.firstInt, prefix: p.prefix, eni_id: eniId, created_at: now })),
  });
}

export async function deleteIpv4Prefixes(tx: Tx, vswitchId: string, firstInts: readonly number[]): Promise<void> {
  if (firstInts.length === 0) return;
  await tx.db.deleteFrom('eni_ipv4_prefixes').where('vswitch_id', '=', vswitchId).where('first_int', 'in', firstInts).execute();
}

/** Prefixes per ENI, in the order they were assigned. */
const prefixesTemplate = queryTemplate(
  (v: { eniIds: readonly string[] }) => present(v.eniIds),
  (tx, v) =>
    tx.db
      .selectFrom('eni_ipv4_prefixes')
      .select(['eni_id', 'prefix', 'first_int'])
      .where('eni_id', 'in', v.eniIds)
      .orderBy('eni_id')
      .orderBy('created_at')
      .orderBy('first_int'),
);

export async function ipv4PrefixRowsOf(tx: Tx, eniIds: readonly string[]): Promise<Map<string, Ipv4PrefixRow[]>> {
  const map = new Map<string, Ipv4PrefixRow[]>();
  if (eniIds.length === 0) return map;
  for (const r of await prefixesTemplate(tx, { eniIds })) {
    const list = map.get(r.eni_id) ?? [];
    list.push({ prefix: r.prefix, firstInt: Number(r.first_int) });
    map.set(r.eni_id, list);
  }
  return map;
}

/** The IPv4 prefixes (`10.0.0.16/28`) of each of these ENIs, in the order they were assigned; ENIs with none are absent. */
export async function ipv4PrefixesOf(tx: Tx, eniIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await ipv4PrefixRowsOf(tx, eniIds);
  return new Map([...rows].map(([id, list]) => [id, list.map((p) => p.prefix)]));
}

/**
 * Per vSwitch, the addresses that the prefixes of gone (not yet purged) ENIs still hold, 16 per
 * prefix: readers count them as free, as they do those ENIs' single addresses.
 */
export async function prefixAddressesAwaitingRelease(tx: Tx, vswitchIds: readonly string[], now: number, size: number): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  if (vswitchIds.length === 0) return map;
  const rows = await tx.db
    .selectFrom('network_interfaces')
    .innerJoin('eni_ipv4_prefixes', 'eni_ipv4_prefixes.eni_id', 'network_interfaces.id')
    .select(['network_interfaces.vswitch_id as vswitch_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('network_interfaces.vswitch_id', 'in', vswitchIds)
    .where('network_interfaces.next_status', '=', GONE)
    .where('network_interfaces.transition_at', '<=', now)
    .groupBy('network_interfaces.vswitch_id')
    .execute();
  for (const r of rows) map.set(r.vswitch_id, Number(r.n) * size);
  return map;
}
