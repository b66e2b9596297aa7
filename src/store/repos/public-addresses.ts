import type { Tx } from '../schema.ts';

/**
 * The registry of public addresses in use (migration 0012). An address is claimed by inserting
 * its row: a second claim of the same address, by an EIP or an instance, on any replica, fails
 * on the primary key, and the transaction helper retries the call with a new draw.
 */
export async function claimPublicAddress(tx: Tx, ipAddress: string, ownerType: 'eip' | 'instance', ownerId: string): Promise<void> {
  await tx.db.insertInto('public_addresses').values({ ip_address: ipAddress, owner_type: ownerType, owner_id: ownerId }).execute();
}

/** Frees every address these owners hold. */
export async function releasePublicAddressesOf(tx: Tx, ownerIds: readonly string[]): Promise<void> {
  if (ownerIds.length === 0) return;
  await tx.db.deleteFrom('public_addresses').where('owner_id', 'in', ownerIds).execute();
}

/** Every public address in use, by EIPs (released or not, until purged) and instances. */
export async function publicAddressesInUse(tx: Tx): Promise<string[]> {
  return (await tx.db.selectFrom('public_addresses').select('ip_address').execute()).map((r) => r.ip_address);
}
