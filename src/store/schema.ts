import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * Table shapes. Times are epoch milliseconds (bigint columns); booleans are 0/1 integers so the
 * same code runs on SQLite and PostgreSQL. Asynchronous states are (status, next_status,
 * transition_at): the row shows next_status once transition_at has passed (domain/async-state.ts).
 */

export interface AccountsTable {
  id: string;
  name: string;
  created_at: number;
}

/** Resource groups (migration 0010): each account has one default group, is_default = 1. */
export interface ResourceGroupsTable {
  id: string;
  account_id: string;
  name: string;
  display_name: string;
  is_default: number;
  created_at: number;
}

export interface AccessKeysTable {
  access_key_id: string;
  account_id: string;
  secret: string;
  created_at: number;
}

export interface SignatureNoncesTable {
  access_key_id: string;
  nonce: string;
  expires_at: number;
}

export interface ClientTokensTable {
  account_id: string;
  action: string;
  token: string;
  params_hash: string;
  response: string;
  created_at: number;
}

export interface VpcsTable {
  id: string;
  account_id: string;
  region_id: string;
  cidr_block: string;
  name: string;
  description: string;
  status: string;
  next_status: string | null;
  transition_at: number | null;
  is_default: number;
  vrouter_id: string;
  route_table_id: string;
  resource_group_id: string;
  created_at: number;
  /** The VPC's IPv6 /56, '' while IPv6 is off (migration 0013; rows written before it default to ''). */
  ipv6_cidr_block: Generated<string>;
  /** The IPv6 block's line type (BGP …), '' while IPv6 is off. */
  ipv6_isp: Generated<string>;
}

/**
 * Entries of a VPC's system route table (whose ID is vpcs.route_table_id). The cloud adds the
 * System entries itself: 100.64.0.0/10 for cloud services, created with the VPC, and one per
 * vSwitch CIDR, added and removed with the vSwitch.
 */
export interface RouteEntriesTable {
  id: string;
  account_id: string;
  route_table_id: string;
  destination_cidr_block: string;
  /** System (the only kind eniplane creates; custom entries are not implemented). */
  entry_type: string;
  /** `local` for a vSwitch's own CIDR, `service` for the cloud-service range. */
  next_hop_type: string;
  /** The vSwitch whose CIDR this entry routes, or '' for entries not tied to one. */
  vswitch_id: string;
  created_at: number;
}

export interface VSwitchesTable {
  id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  zone_id: string;
  cidr_block: string;
  name: string;
  description: string;
  status: string;
  next_status: string | null;
  transition_at: number | null;
  is_default: number;
  /** Usable addresses: the CIDR's size minus the reserved ones. */
  ip_capacity: number;
  /** Addresses held by ENIs; kept in the same transaction as every allocation. */
  ip_used: number;
  created_at: number;
  /** The vSwitch's IPv6 /64, '' while IPv6 is off (migration 0013; rows written before it default to ''). */
  ipv6_cidr_block: Generated<string>;
}

export interface SecurityGroupsTable {
  id: string;
  account_id: string;
  region_id: string;
  vpc_id: string;
  name: string;
  description: string;
  type: string;
  inner_access_policy: string;
  resource_group_id: string;
  created_at: number;
}

export interface SecurityGroupRulesTable {
  id: string;
  security_group_id: string;
  direction: string;
  ip_protocol: string;
  port_range: string;
  source_port_range: string;
  source_cidr_ip: string;
  source_group_id: string;
  source_group_owner_account: string;
  dest_cidr_ip: string;
  dest_group_id: string;
  dest_group_owner_account: string;
  ipv6_source_cidr_ip: string;
  ipv6_dest_cidr_ip: string;
  source_prefix_list_id: string;
  dest_prefix_list_id: string;
  policy: string;
  priority: number;
  nic_type: string;
  description: string;
  created_at: number;
}

export interface TagsTable {
  account_id: string;
  region_id: string;
  /** Internal resource kind: vpc, vswitch, securitygroup, eni, instance, eip. */
  resource_type: string;
  resource_id: string;
  tag_key: string;
  tag_value: string;
  created_at: number;
}

export interface InstancesTable {
  id: string;
  account_id: string;
  region_id: string;
  zone_id: string;
  vpc_id: string;
  vswitch_id: string;
  instance_type: string;
  image_id: string;
  name: string;
  host_name: string;
  description: string;
  status: string;
  next_status: string | null;
  transition_at: number | null;
  final_status: string | null;
  final_at: number | null;
  deletion_protection: number;
  http_endpoint: string;
  http_tokens: string;
  http_put_response_hop_limit: number;
  /** enabled | disabled: tags under the metadata service's tags/instance/ (migration 0005). */
  instance_metadata_tags: string;
  attributes: string;
  created_at: number;
  started_at: number | null;
  /** The public address RunInstances / AllocatePublicIpAddress gave it, if any (migration 0012). */
  public_ip: string | null;
  /** The instance's resource group (migration 0010). */
  resource_group_id: string;
}

export interface NetworkInterfacesTable {
  id: string;
  account_id: string;
  region_id: string;
  zone_id: string;
  vpc_id: string;
  vswitch_id: string;
  /** Primary | Secondary | Trunk (a member is a Secondary one with trunk_eni_id set while attached). */
  type: string;
  name: string;
  description: string;
  mac_address: string;
  primary_ip: string;
  status: string;
  next_status: string | null;
  transition_at: number | null;
  /** The instance while Attaching, InUse or Detaching. */
  instance_id: string | null;
  device_index: number | null;
  delete_on_release: number;
  resource_group_id: string;
  created_at: number;
  /** 1: the cloud drops packets whose source or destination is not the ENI's (migration 0008). */
  source_dest_check: number;
  /** Queues asked for (QueueNumber); null: never set, the instance type's default shows while attached. */
  queue_number: number | null;
  /** Standard | HighPerformance (eRDMA). */
  traffic_mode: string;
  /** The trunk ENI while this one is its member (Attaching, InUse, Detaching); migration 0015. */
  trunk_eni_id: string | null;
}

export interface EniSecurityGroupsTable {
  eni_id: string;
  security_group_id: string;
  position: number;
}

export interface PrivateIpsTable {
  vswitch_id: string;
  address_int: number;
  address: string;
  eni_id: string;
  is_primary: number;
  created_at: number;
}

/** An ENI's IPv6 address (migration 0013); block80 is its /80 within the vSwitch's /64. */
export interface EniIpv6AddressesTable {
  vswitch_id: string;
  address: string;
  block80: number;
  eni_id: string;
  created_at: number;
}

/** An ENI's IPv6 /80 prefix (migration 0013), keyed by its index within the vSwitch's /64. */
export interface EniIpv6PrefixesTable {
  vswitch_id: string;
  block80: number;
  prefix: string;
  eni_id: string;
  created_at: number;
}

/** The /80 blocks of an IPv6 vSwitch holding no address and no prefix, as ranges (migration 0013). */
export interface Ipv6FreeBlocksTable {
  vswitch_id: string;
  first_block: number;
  last_block: number;
}

export interface IpFreeRangesTable {
  vswitch_id: string;
  first_int: number;
  last_int: number;
  /** The first aligned /28 wholly inside the range, or null (migration 0014). */
  block_start: number | null;
}

export interface EniIpv4PrefixesTable {
  vswitch_id: string;
  first_int: number;
  prefix: string;
  eni_id: string;
  created_at: number;
}

export interface EipsTable {
  id: string;
  account_id: string;
  region_id: string;
  ip_address: string;
  status: string;
  next_status: string | null;
  transition_at: number | null;
  name: string;
  description: string;
  bandwidth: number;
  internet_charge_type: string;
  instance_charge_type: string;
  isp: string;
  instance_id: string | null;
  instance_type: string | null;
  private_ip: string | null;
  mode: string | null;
  vpc_id: string | null;
  created_at: number;
  /** The EIP's resource group (migration 0010). */
  resource_group_id: string;
}

/**
 * Every public address in use, by an EIP or an instance: the primary key keeps any two from
 * sharing one (migration 0012).
 */
export interface PublicAddressesTable {
  ip_address: string;
  owner_type: 'eip' | 'instance';
  owner_id: string;
}

/** Secrets shared by replicas, e.g. the metadata service's token key (migration 0005). */
export interface ServiceSecretsTable {
  name: string;
  secret: string;
  created_at: number;
}

/** The RAM role attached to an instance (migration 0011); one row per instance at most. */
export interface InstanceRamRolesTable {
  instance_id: string;
  account_id: string;
  region_id: string;
  role_name: string;
  attached_at: number;
}

/** A signed-in web console browser (migration 0016); the cookie's token is kept only as its SHA-256. */
export interface ConsoleSessionsTable {
  token_hash: string;
  account_id: string;
  access_key_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/**
 * Calls counted per account, region, API and fixed window (migration 0017), for throttling shared
 * by every replica (store/repos/throttle.ts). `api` is `Product:Action`.
 */
export interface ThrottleCountersTable {
  account_id: string;
  region_id: string;
  api: string;
  window_start: number;
  window_end: number;
  count: number;
}

/** A fault injection rule of an account (migration 0019; domain/faults.ts). */
export interface FaultRulesTable {
  id: string;
  account_id: string;
  product: string;
  action: string;
  resource_id: string | null;
  tag_key: string | null;
  tag_value: string | null;
  probability: number | null;
  seed: string;
  /** Fires for the first max_count matching calls (null: no such limit). */
  max_count: number | null;
  code: string | null;
  latency_ms: number;
  async_fail: number;
  async_delay_ms: number;
  /** Calls that matched the rule, and those it answered, so far. */
  matched: number;
  injected: number;
  created_at: number;
}

/** One row (id 1) whose token changes whenever any fault rule is added or removed (migration 0019). */
export interface FaultGenerationTable {
  id: number;
  token: string;
}

export interface Schema {
  accounts: AccountsTable;
  resource_groups: ResourceGroupsTable;
  access_keys: AccessKeysTable;
  signature_nonces: SignatureNoncesTable;
  signature_nonce_log: SignatureNoncesTable;
  client_tokens: ClientTokensTable;
  vpcs: VpcsTable;
  vswitches: VSwitchesTable;
  route_entries: RouteEntriesTable;
  security_groups: SecurityGroupsTable;
  security_group_rules: SecurityGroupRulesTable;
  tags: TagsTable;
  instances: InstancesTable;
  network_interfaces: NetworkInterfacesTable;
  eni_security_groups: EniSecurityGroupsTable;
  private_ips: PrivateIpsTable;
  ip_free_ranges: IpFreeRangesTable;
  eni_ipv6_addresses: EniIpv6AddressesTable;
  eni_ipv6_prefixes: EniIpv6PrefixesTable;
  ipv6_free_blocks: Ipv6FreeBlocksTable;
  eni_ipv4_prefixes: EniIpv4PrefixesTable;
  eips: EipsTable;
  public_addresses: PublicAddressesTable;
  service_secrets: ServiceSecretsTable;
  instance_ram_roles: InstanceRamRolesTable;
  console_sessions: ConsoleSessionsTable;
  throttle_counters: ThrottleCountersTable;
  fault_rules: FaultRulesTable;
  fault_generation: FaultGenerationTable;
}

export type Dialect = 'sqlite' | 'postgres';

/**
 * A transaction (or a plain reader) plus what the store knows about it. Build one with the store's
 * functions (store/tx.ts: inTransaction, readConsistently, readerOf), which fill every field.
 */
export interface Tx {
  db: Transaction<Schema> | Kysely<Schema>;
  /** For the few dialect-specific statements of the repos (row locks); nothing above store/ branches on it. */
  dialect: Dialect;
  /**
   * Nothing another transaction writes lands between two statements of this one: the store runs
   * its transactions one at a time (SQLite: one connection). A use case may then skip re-reading
   * under a lock what it just read.
   */
  serial: boolean;
  /** Every query template run is checked against Kysely's own build (openStore's checkQueries; store/query-template.ts). */
  checkQueries: boolean;
}
