import type { Kysely } from 'kysely';

/**
 * Instances, ENIs, their security groups and private addresses, the vSwitch free-address ranges,
 * and EIPs. Uniqueness the cloud guarantees is a constraint here: one row per (vSwitch, address),
 * one ENI per MAC, one EIP per public address.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instances')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('zone_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('vpc_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('instance_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('image_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('host_name', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'varchar(256)', (c) => c.notNull())
    // Two-stage asynchronous state: Pending → Starting → Running needs two due times.
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('next_status', 'varchar(16)')
    .addColumn('transition_at', 'bigint')
    .addColumn('final_status', 'varchar(16)')
    .addColumn('final_at', 'bigint')
    .addColumn('deletion_protection', 'integer', (c) => c.notNull())
    .addColumn('http_endpoint', 'varchar(16)', (c) => c.notNull())
    .addColumn('http_tokens', 'varchar(16)', (c) => c.notNull())
    .addColumn('http_put_response_hop_limit', 'integer', (c) => c.notNull())
    /** Attributes eniplane stores and echoes but does not act on (charge types, disks, key pair...), as JSON. */
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .execute();
  await db.schema.createIndex('instances_owner').on('instances').columns(['account_id', 'region_id', 'created_at']).execute();
  await db.schema.createIndex('instances_vswitch').on('instances').column('vswitch_id').execute();

  await db.schema
    .createTable('network_interfaces')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('zone_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('vpc_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull().references('vswitches.id'))
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'varchar(256)', (c) => c.notNull())
    .addColumn('mac_address', 'varchar(17)', (c) => c.notNull().unique())
    .addColumn('primary_ip', 'varchar(15)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('next_status', 'varchar(16)')
    .addColumn('transition_at', 'bigint')
    .addColumn('instance_id', 'varchar(32)')
    .addColumn('device_index', 'integer')
    .addColumn('delete_on_release', 'integer', (c) => c.notNull())
    .addColumn('resource_group_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('enis_owner').on('network_interfaces').columns(['account_id', 'region_id', 'created_at']).execute();
  await db.schema.createIndex('enis_instance').on('network_interfaces').column('instance_id').execute();
  await db.schema.createIndex('enis_vswitch').on('network_interfaces').columns(['vswitch_id', 'created_at']).execute();

  await db.schema
    .createTable('eni_security_groups')
    .addColumn('eni_id', 'varchar(32)', (c) => c.notNull().references('network_interfaces.id'))
    .addColumn('security_group_id', 'varchar(32)', (c) => c.notNull().references('security_groups.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('eni_security_groups_pk', ['eni_id', 'security_group_id'])
    .execute();
  await db.schema.createIndex('eni_security_groups_group').on('eni_security_groups').column('security_group_id').execute();

  await db.schema
    .createTable('private_ips')
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull().references('vswitches.id'))
    .addColumn('address_int', 'bigint', (c) => c.notNull())
    .addColumn('address', 'varchar(15)', (c) => c.notNull())
    .addColumn('eni_id', 'varchar(32)', (c) => c.notNull().references('network_interfaces.id'))
    .addColumn('is_primary', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('private_ips_pk', ['vswitch_id', 'address_int'])
    .execute();
  await db.schema.createIndex('private_ips_eni').on('private_ips').column('eni_id').execute();

  // Free address ranges of each vSwitch: picking a random free address costs the same when the
  // vSwitch is empty and when it is 99% full.
  await db.schema
    .createTable('ip_free_ranges')
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('first_int', 'bigint', (c) => c.notNull())
    .addColumn('last_int', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ip_free_ranges_pk', ['vswitch_id', 'first_int'])
    .execute();

  // vSwitches created before this migration start with their whole usable range free.
  const existing = (await db.selectFrom('vswitches').select(['id', 'cidr_block']).execute()) as { id: string; cidr_block: string }[];
  for (const v of existing) {
    const r = usableRange(v.cidr_block);
    await db.insertInto('ip_free_ranges').values({ vswitch_id: v.id, first_int: r.firstUsable, last_int: r.lastUsable }).execute();
  }

  await db.schema
    .createTable('eips')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('ip_address', 'varchar(15)', (c) => c.notNull().unique())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('next_status', 'varchar(16)')
    .addColumn('transition_at', 'bigint')
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'varchar(256)', (c) => c.notNull())
    .addColumn('bandwidth', 'integer', (c) => c.notNull())
    .addColumn('internet_charge_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('instance_charge_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('isp', 'varchar(32)', (c) => c.notNull())
    .addColumn('instance_id', 'varchar(32)')
    .addColumn('instance_type', 'varchar(32)')
    .addColumn('private_ip', 'varchar(15)')
    .addColumn('mode', 'varchar(16)')
    .addColumn('vpc_id', 'varchar(32)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eips_owner').on('eips').columns(['account_id', 'region_id', 'created_at']).execute();
  await db.schema.createIndex('eips_instance').on('eips').column('instance_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['eips', 'ip_free_ranges', 'private_ips', 'eni_security_groups', 'network_interfaces', 'instances']) {
    await db.schema.dropTable(t).execute();
  }
}

// ---- frozen copies (a migration must not change when live domain code does) ----

/**
 * The usable addresses of a stored vSwitch CIDR as domain/cidr.ts reserved them when this
 * migration was written: the network address and the last three are the cloud's. The CIDR was
 * validated and normalised on creation, so `a.b.c.d/n` parses here without checks.
 */
function usableRange(cidr: string): { firstUsable: number; lastUsable: number } {
  const [address, prefix] = cidr.split('/') as [string, string];
  const octets = address.split('.').map(Number) as [number, number, number, number];
  const first = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - Number(prefix));
  return { firstUsable: first + 1, lastUsable: first + size - 4 };
}
