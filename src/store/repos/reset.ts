import type { DeleteQueryBuilder, DeleteResult } from 'kysely';
import type { Schema, Tx } from '../schema.ts';

/** How many rows of each kind a reset removed. */
export interface ResetCounts {
  instances: number;
  networkInterfaces: number;
  eips: number;
  vpcs: number;
  vswitches: number;
  securityGroups: number;
  tags: number;
  resourceGroups: number;
  clientTokens: number;
  faults: number;
}

type Delete<T extends keyof Schema> = DeleteQueryBuilder<Schema, T, DeleteResult>;

/**
 * Removes every resource of one account (or of every account, `accountId` undefined) in bulk: one
 * statement per table, children before their parents (the foreign keys), rows found through the
 * account's own columns or, for tables without one, through the account's vSwitches, ENIs,
 * instances, EIPs or security groups. What stays: accounts, their AccessKeys and default resource
 * groups, console sessions, signature nonces (replay protection outlives any state) and the
 * service's secrets. Runs in the caller's transaction.
 */
export async function deleteAccountResources(tx: Tx, accountId: string | undefined): Promise<ResetCounts> {
  const db = tx.db;
  const owned = <T extends 'vswitches' | 'network_interfaces' | 'instances' | 'eips' | 'security_groups'>(table: T) => {
    const q = db.selectFrom(table as 'vswitches').select('id');
    return accountId === undefined ? q : q.where('account_id', '=', accountId);
  };
  /** `delete from T [where column in (rows of the account)]`. */
  const byParent = async <T extends keyof Schema>(q: Delete<T>, column: string, parent: ReturnType<typeof owned>) =>
    count(accountId === undefined ? q : (q.where(column as never, 'in', parent as never) as Delete<T>));
  /** `delete from T [where account_id = ?]`. */
  const byAccount = async <T extends keyof Schema>(q: Delete<T>) =>
    count(accountId === undefined ? q : (q.where('account_id' as never, '=', accountId as never) as Delete<T>));

  await byParent(db.deleteFrom('eni_security_groups'), 'eni_id', owned('network_interfaces'));
  for (const table of ['private_ips', 'eni_ipv4_prefixes', 'eni_ipv6_addresses', 'eni_ipv6_prefixes', 'ipv6_free_blocks', 'ip_free_ranges'] as const) {
    await byParent(db.deleteFrom(table), 'vswitch_id', owned('vswitches'));
  }
  await byParent(db.deleteFrom('public_addresses'), 'owner_id', owned('eips'));
  await byParent(db.deleteFrom('public_addresses'), 'owner_id', owned('instances'));
  await byAccount(db.deleteFrom('instance_ram_roles'));
  const eips = await byAccount(db.deleteFrom('eips'));
  const networkInterfaces = await byAccount(db.deleteFrom('network_interfaces'));
  const instances = await byAccount(db.deleteFrom('instances'));
  await byParent(db.deleteFrom('security_group_rules'), 'security_group_id', owned('security_groups'));
  const securityGroups = await byAccount(db.deleteFrom('security_groups'));
  await byAccount(db.deleteFrom('route_entries'));
  const vswitches = await byAccount(db.deleteFrom('vswitches'));
  const vpcs = await byAccount(db.deleteFrom('vpcs'));
  const tags = await byAccount(db.deleteFrom('tags'));
  // Every account keeps its default group, as every cloud account has one from the start.
  const resourceGroups = await byAccount(db.deleteFrom('resource_groups').where('is_default', '=', 0));
  const clientTokens = await byAccount(db.deleteFrom('client_tokens'));
  const faults = await byAccount(db.deleteFrom('fault_rules'));
  return { instances, networkInterfaces, eips, vpcs, vswitches, securityGroups, tags, resourceGroups, clientTokens, faults };
}

async function count(q: { executeTakeFirst(): Promise<DeleteResult> }): Promise<number> {
  return Number((await q.executeTakeFirst()).numDeletedRows);
}
