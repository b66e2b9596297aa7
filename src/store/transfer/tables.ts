import type { Schema } from '../schema.ts';

/**
 * Every table the migrations create, in an order where each table comes after the tables its
 * foreign keys name (the order a copy inserts in; it deletes in reverse), with the columns that
 * identify a row (its primary key), which a copy reads in order, a batch at a time, resuming after
 * the last row it read. `signature_nonce_log` has no key: all its columns (rows identical in every
 * column are one spent nonce). The migrator's own tables (kysely_migration…) are not state: a
 * copy's target runs the migrations itself.
 *
 * test/store/db-copy.test.ts holds this list to what the migrations create: a new table that is
 * not listed here fails it.
 */
export interface TableSpec {
  name: keyof Schema & string;
  key: readonly string[];
  /**
   * Its migration writes its rows (a singleton such as fault_generation): they are no state of
   * the target's, and the copy replaces them with the source's.
   */
  seeded?: true;
}

export const TABLES: readonly TableSpec[] = [
  { name: 'accounts', key: ['id'] },
  { name: 'access_keys', key: ['access_key_id'] },
  { name: 'signature_nonces', key: ['access_key_id', 'nonce'] },
  { name: 'client_tokens', key: ['account_id', 'action', 'token'] },
  { name: 'vpcs', key: ['id'] },
  { name: 'vswitches', key: ['id'] },
  { name: 'security_groups', key: ['id'] },
  { name: 'security_group_rules', key: ['id'] },
  { name: 'tags', key: ['resource_id', 'tag_key'] },
  { name: 'instances', key: ['id'] },
  { name: 'network_interfaces', key: ['id'] },
  { name: 'eni_security_groups', key: ['eni_id', 'security_group_id'] },
  { name: 'private_ips', key: ['vswitch_id', 'address_int'] },
  { name: 'ip_free_ranges', key: ['vswitch_id', 'first_int'] },
  { name: 'eips', key: ['id'] },
  { name: 'signature_nonce_log', key: ['access_key_id', 'nonce', 'expires_at'] },
  { name: 'service_secrets', key: ['name'] },
  { name: 'route_entries', key: ['id'] },
  { name: 'resource_groups', key: ['id'] },
  { name: 'instance_ram_roles', key: ['instance_id'] },
  { name: 'public_addresses', key: ['ip_address'] },
  { name: 'eni_ipv6_addresses', key: ['vswitch_id', 'address'] },
  { name: 'eni_ipv6_prefixes', key: ['vswitch_id', 'block80'] },
  { name: 'ipv6_free_blocks', key: ['vswitch_id', 'first_block'] },
  { name: 'eni_ipv4_prefixes', key: ['vswitch_id', 'first_int'] },
  { name: 'console_sessions', key: ['token_hash'] },
  // Throttling windows in progress (migration 0017): a moved state goes on counting them.
  { name: 'throttle_counters', key: ['account_id', 'region_id', 'api', 'window_start', 'window_end'] },
  // Fault injection rules (migration 0019), with their match counts, and the token servers watch.
  { name: 'fault_rules', key: ['id'] },
  { name: 'fault_generation', key: ['id'], seeded: true },
];

/** The migrator's bookkeeping tables: present in every migrated database, never copied. */
export function isMigratorTable(name: string): boolean {
  return name.startsWith('kysely_migration');
}
