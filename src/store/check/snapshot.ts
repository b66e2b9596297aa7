import type { Store } from '../db.ts';
import { inReadSnapshot, type Reader } from '../read-snapshot.ts';
import type { Snapshot } from './invariants.ts';

type AsyncRow = { status: string; next_status: string | null; transition_at: number | null };

/**
 * The status a row shows at `now`, from its stored (status, next status, due time). Written out
 * here rather than imported from domain/async-state.ts: the checker does not borrow the rules of
 * the code it checks.
 */
function shownStatus(row: AsyncRow, now: number): string {
  return row.next_status !== null && row.transition_at !== null && Number(row.transition_at) <= now ? row.next_status : row.status;
}

const GONE = 'Gone';

/** Reads the state the invariants are about, with statuses as they show at `now`, in one read snapshot of the store. */
export function readStoreSnapshot(store: Store, now: number): Promise<Snapshot> {
  return inReadSnapshot(store, (db) => readSnapshotWith(db, now));
}

async function readSnapshotWith(db: Reader, now: number): Promise<Snapshot> {
  const vswitches = await db
    .selectFrom('vswitches')
    .select(['id', 'cidr_block', 'ip_capacity', 'ip_used', 'ipv6_cidr_block', 'status', 'next_status', 'transition_at'])
    .execute();
  const freeRanges = await db.selectFrom('ip_free_ranges').select(['vswitch_id', 'first_int', 'last_int']).execute();
  const ips = await db.selectFrom('private_ips').select(['vswitch_id', 'address_int', 'address', 'eni_id']).execute();
  const prefixes = await db.selectFrom('eni_ipv4_prefixes').select(['vswitch_id', 'first_int', 'prefix', 'eni_id']).execute();
  const ipv6Addresses = await db.selectFrom('eni_ipv6_addresses').select(['vswitch_id', 'address', 'block80', 'eni_id']).execute();
  const ipv6Prefixes = await db.selectFrom('eni_ipv6_prefixes').select(['vswitch_id', 'block80', 'prefix', 'eni_id']).execute();
  const freeBlocks = await db.selectFrom('ipv6_free_blocks').select(['vswitch_id', 'first_block', 'last_block']).execute();
  const enis = await db
    .selectFrom('network_interfaces')
    .select([
      'id',
      'account_id',
      'region_id',
      'mac_address',
      'type',
      'instance_id',
      'vswitch_id',
      'name',
      'trunk_eni_id',
      'device_index',
      'status',
      'next_status',
      'transition_at',
    ])
    .execute();
  const instances = await db.selectFrom('instances').select(['id', 'instance_type']).execute();
  const eniGroups = await db.selectFrom('eni_security_groups').select(['eni_id', 'security_group_id']).execute();
  const groups = await db.selectFrom('security_groups').select(['id', 'account_id', 'region_id', 'type']).execute();
  const vpcs = await db.selectFrom('vpcs').select(['id', 'account_id', 'region_id', 'status', 'next_status', 'transition_at']).execute();
  const accounts = await db.selectFrom('accounts').select(['id', 'name']).execute();
  const tokens = await db.selectFrom('client_tokens').select(['account_id', 'action', 'token', 'response']).execute();

  const liveVSwitches = vswitches.filter((v) => shownStatus(v, now) !== GONE);
  return {
    accounts,
    vswitches: liveVSwitches.map((v) => ({ id: v.id, cidr: v.cidr_block, capacity: Number(v.ip_capacity), used: Number(v.ip_used) })),
    freeRanges: freeRanges.map((r) => ({ vswitchId: r.vswitch_id, first: Number(r.first_int), last: Number(r.last_int) })),
    privateIps: ips.map((r) => ({ vswitchId: r.vswitch_id, addressInt: Number(r.address_int), address: r.address, eniId: r.eni_id })),
    ipv4Prefixes: prefixes.map((r) => ({ vswitchId: r.vswitch_id, firstInt: Number(r.first_int), prefix: r.prefix, eniId: r.eni_id })),
    ipv6: {
      vswitchBlocks: liveVSwitches.filter((v) => v.ipv6_cidr_block !== '').map((v) => ({ vswitchId: v.id, block: v.ipv6_cidr_block })),
      addresses: ipv6Addresses.map((a) => ({ vswitchId: a.vswitch_id, address: a.address, block80: Number(a.block80), eniId: a.eni_id })),
      prefixes: ipv6Prefixes.map((p) => ({ vswitchId: p.vswitch_id, block80: Number(p.block80), prefix: p.prefix, eniId: p.eni_id })),
      freeBlocks: freeBlocks.map((r) => ({ vswitchId: r.vswitch_id, first: Number(r.first_block), last: Number(r.last_block) })),
    },
    releasing: enis.filter((e) => shownStatus(e, now) === GONE).map((e) => ({ eniId: e.id, vswitchId: e.vswitch_id })),
    enis: enis.flatMap((e) => {
      const status = shownStatus(e, now);
      if (status === GONE) return [];
      // A finished detach leaves the instance column behind; the ENI belongs to nothing.
      const detached = status === 'Available';
      return [
        {
          id: e.id,
          accountId: e.account_id,
          regionId: e.region_id,
          mac: e.mac_address,
          type: e.type,
          status,
          instanceId: detached ? null : e.instance_id,
          vswitchId: e.vswitch_id,
          name: e.name,
          trunkEniId: detached ? null : e.trunk_eni_id,
          deviceIndex: detached ? null : e.device_index,
        },
      ];
    }),
    instances: instances.map((i) => ({ id: i.id, instanceType: i.instance_type })),
    eniGroups: eniGroups.map((m) => ({ eniId: m.eni_id, groupId: m.security_group_id })),
    groups: groups.map((g) => ({ id: g.id, accountId: g.account_id, regionId: g.region_id, type: g.type })),
    vpcs: vpcs.filter((v) => shownStatus(v, now) !== GONE).map((v) => ({ id: v.id, accountId: v.account_id, regionId: v.region_id })),
    clientTokens: tokens.map((t) => ({ accountId: t.account_id, action: t.action, token: t.token, response: t.response })),
  };
}
