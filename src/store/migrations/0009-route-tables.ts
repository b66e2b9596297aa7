import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

// ---- frozen copies (a migration must not change when live domain code or the catalog does) ----

/** The cloud-service destination of every system route table (domain/route-tables.ts when this was written). */
const CLOUD_SERVICE_CIDR = '100.64.0.0/10';

/** Each region's resource-ID prefix, as src/catalog/regions.json had them when this was written. */
const REGION_ID_PREFIXES: Readonly<Record<string, string>> = {
  'cn-qingdao': 'm5e',
  'cn-beijing': '2ze',
  'cn-zhangjiakou': '8vb',
  'cn-huhehaote': 'hp3',
  'cn-wulanchabu': '0jl',
  'cn-hangzhou': 'bp1',
  'cn-shanghai': 'uf6',
  'cn-shenzhen': 'wz9',
  'cn-heyuan': 'f8z',
  'cn-guangzhou': '7xv',
  'cn-chengdu': '2vc',
  'cn-hongkong': 'j6c',
  'ap-northeast-1': '6we',
  'ap-northeast-2': 'mj7',
  'ap-southeast-1': 't4n',
  'ap-southeast-3': '8ps',
  'ap-southeast-5': 'k1a',
  'ap-southeast-6': '5ts',
  'ap-southeast-7': '0jo',
  'us-east-1': '0xi',
  'us-west-1': 'rj9',
  'eu-west-1': 'd7o',
  'eu-central-1': 'gw8',
  'me-east-1': 'eb3',
  'me-central-1': 'l4s',
};

/** An `rte-` ID shaped like the ones services/route-tables.ts makes (domain/ids.ts). */
function entryId(regionId: string): string {
  const prefix = REGION_ID_PREFIXES[regionId] ?? '';
  const bytes = randomBytes(20 - prefix.length);
  let body = '';
  for (const b of bytes) body += ALNUM[b % ALNUM.length];
  return `rte-${prefix}${body}`;
}

/**
 * The system route table's entries. The table itself needs no row: every VPC has carried its
 * route_table_id and vrouter_id since 0001. Existing VPCs get the cloud-service entry and one
 * System entry per vSwitch that is not being deleted, as the cloud shows them.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('route_entries')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('route_table_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('destination_cidr_block', 'varchar(43)', (c) => c.notNull())
    .addColumn('entry_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('next_hop_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One entry per destination in a table, as the cloud enforces; it also orders a table's listing.
  await db.schema.createIndex('route_entries_destination').on('route_entries').columns(['route_table_id', 'destination_cidr_block']).unique().execute();
  await db.schema.createIndex('route_entries_vswitch').on('route_entries').column('vswitch_id').execute();

  const vpcs = await db.selectFrom('vpcs').select(['id', 'account_id', 'region_id', 'route_table_id', 'created_at']).execute();
  const byVpc = new Map<string, { account_id: string; region_id: string; route_table_id: string }>();
  for (const v of vpcs) {
    byVpc.set(v.id, v);
    await db
      .insertInto('route_entries')
      .values({
        id: entryId(v.region_id),
        account_id: v.account_id,
        route_table_id: v.route_table_id,
        destination_cidr_block: CLOUD_SERVICE_CIDR,
        entry_type: 'System',
        next_hop_type: 'service',
        vswitch_id: '',
        created_at: v.created_at,
      })
      .execute();
  }
  const vswitches = await db.selectFrom('vswitches').select(['id', 'vpc_id', 'cidr_block', 'next_status', 'created_at']).execute();
  for (const s of vswitches) {
    const vpc = byVpc.get(s.vpc_id);
    // A vSwitch being deleted has already lost its entry (services/vpcs.ts deleteVSwitch).
    if (!vpc || s.next_status === 'Gone') continue;
    await db
      .insertInto('route_entries')
      .values({
        id: entryId(vpc.region_id),
        account_id: vpc.account_id,
        route_table_id: vpc.route_table_id,
        destination_cidr_block: s.cidr_block,
        entry_type: 'System',
        next_hop_type: 'local',
        vswitch_id: s.id,
        created_at: s.created_at,
      })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('route_entries').execute();
}
