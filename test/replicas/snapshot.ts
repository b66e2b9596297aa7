import pg from 'pg';
import type { Snapshot } from './invariants.ts';

type AsyncRow = { status: string; next_status: string | null; transition_at: string | number | null };

/** The status a row shows at `now`, from its stored (status, next status, due time). */
function shownStatus(row: AsyncRow, now: number): string {
  return row.next_status !== null && row.transition_at !== null && Number(row.transition_at) <= now ? row.next_status : row.status;
}

const GONE = 'Gone';

/**
 * Reads the whole state the invariants are about straight from PostgreSQL, in one REPEATABLE
 * READ transaction so every table is seen at the same instant, with statuses as they show at `now`.
 */
export async function readSnapshot(dbUrl: string, now: number): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = await snapshotFrom(async <T>(text: string) => (await client.query(text)).rows as T[], now);
    await client.query('commit');
    return snapshot;
  } finally {
    await client.end();
  }
}

/** Runs one query and answers its rows. */
export type SnapshotQuery = <T>(text: string) => Promise<T[]>;

/**
 * The snapshot, read through `q` (plain SQL both dialects run) inside a read transaction the
 * caller holds open: PostgreSQL above, SQLite in test/helpers/store-invariants.ts.
 */
export async function snapshotFrom(q: SnapshotQuery, now: number): Promise<Snapshot> {
  const vswitches = await q<{ id: string; cidr_block: string; ip_capacity: number; ip_used: number } & AsyncRow>(
    'select id, cidr_block, ip_capacity, ip_used, status, next_status, transition_at from vswitches',
  );
  const freeRanges = await q<{ vswitch_id: string; first_int: string; last_int: string }>('select vswitch_id, first_int, last_int from ip_free_ranges');
  const ips = await q<{ vswitch_id: string; address_int: string; address: string; eni_id: string }>(
    'select vswitch_id, address_int, address, eni_id from private_ips',
  );
  const prefixes = await q<{ vswitch_id: string; first_int: string; prefix: string; eni_id: string }>(
    'select vswitch_id, first_int, prefix, eni_id from eni_ipv4_prefixes',
  );
  const vswitchBlocks = await q<{ id: string; ipv6_cidr_block: string } & AsyncRow>(
    "select id, ipv6_cidr_block, status, next_status, transition_at from vswitches where ipv6_cidr_block <> ''",
  );
  const ipv6Addresses = await q<{ vswitch_id: string; address: string; block80: number; eni_id: string }>(
    'select vswitch_id, address, block80, eni_id from eni_ipv6_addresses',
  );
  const ipv6Prefixes = await q<{ vswitch_id: string; block80: number; prefix: string; eni_id: string }>(
    'select vswitch_id, block80, prefix, eni_id from eni_ipv6_prefixes',
  );
  const freeBlocks = await q<{ vswitch_id: string; first_block: number; last_block: number }>(
    'select vswitch_id, first_block, last_block from ipv6_free_blocks',
  );
  const enis = await q<
    {
      id: string;
      account_id: string;
      mac_address: string;
      type: string;
      instance_id: string | null;
      vswitch_id: string;
      name: string;
      trunk_eni_id: string | null;
      device_index: number | null;
    } & AsyncRow
  >(
    'select id, account_id, mac_address, type, instance_id, vswitch_id, name, trunk_eni_id, device_index, status, next_status, transition_at from network_interfaces',
  );
  const instances = await q<{ id: string; instance_type: string }>('select id, instance_type from instances');
  const eniGroups = await q<{ eni_id: string; security_group_id: string }>('select eni_id, security_group_id from eni_security_groups');
  const groups = await q<{ id: string; account_id: string; type: string }>('select id, account_id, type from security_groups');
  const vpcs = await q<{ id: string; account_id: string } & AsyncRow>('select id, account_id, status, next_status, transition_at from vpcs');
  const accounts = await q<{ id: string; name: string }>('select id, name from accounts');
  const tokens = await q<{ account_id: string; action: string; token: string; response: string }>(
    'select account_id, action, token, response from client_tokens',
  );
  return {
    accounts,
    vswitches: vswitches
      .filter((v) => shownStatus(v, now) !== GONE)
      .map((v) => ({ id: v.id, cidr: v.cidr_block, capacity: Number(v.ip_capacity), used: Number(v.ip_used) })),
    freeRanges: freeRanges.map((r) => ({ vswitchId: r.vswitch_id, first: Number(r.first_int), last: Number(r.last_int) })),
    privateIps: ips.map((r) => ({ vswitchId: r.vswitch_id, addressInt: Number(r.address_int), address: r.address, eniId: r.eni_id })),
    ipv4Prefixes: prefixes.map((r) => ({ vswitchId: r.vswitch_id, firstInt: Number(r.first_int), prefix: r.prefix, eniId: r.eni_id })),
    ipv6: {
      vswitchBlocks: vswitchBlocks.filter((v) => shownStatus(v, now) !== GONE).map((v) => ({ vswitchId: v.id, block: v.ipv6_cidr_block })),
      addresses: ipv6Addresses.map((a) => ({ vswitchId: a.vswitch_id, address: a.address, block80: Number(a.block80), eniId: a.eni_id })),
      prefixes: ipv6Prefixes.map((p) => ({ vswitchId: p.vswitch_id, block80: Number(p.block80), prefix: p.prefix, eniId: p.eni_id })),
      freeBlocks: freeBlocks.map((r) => ({ vswitchId: r.vswitch_id, first: Number(r.first_block), last: Number(r.last_block) })),
    },
    releasing: enis.filter((e) => shownStatus(e, now) === GONE).map((e) => ({ eniId: e.id, vswitchId: e.vswitch_id })),
    enis: enis.flatMap((e) => {
      const status = shownStatus(e, now);
      if (status === GONE) return [];
      // A finished detach leaves the instance column behind; the ENI belongs to nothing.
      return [
        {
          id: e.id,
          accountId: e.account_id,
          mac: e.mac_address,
          type: e.type,
          status,
          instanceId: status === 'Available' ? null : e.instance_id,
          vswitchId: e.vswitch_id,
          name: e.name,
          trunkEniId: status === 'Available' ? null : e.trunk_eni_id,
          deviceIndex: status === 'Available' ? null : e.device_index,
        },
      ];
    }),
    instances: instances.map((i) => ({ id: i.id, instanceType: i.instance_type })),
    eniGroups: eniGroups.map((m) => ({ eniId: m.eni_id, groupId: m.security_group_id })),
    groups: groups.map((g) => ({ id: g.id, accountId: g.account_id, type: g.type })),
    vpcs: vpcs.filter((v) => shownStatus(v, now) !== GONE).map((v) => ({ id: v.id, accountId: v.account_id })),
    clientTokens: tokens.map((t) => ({ accountId: t.account_id, action: t.action, token: t.token, response: t.response })),
  };
}
