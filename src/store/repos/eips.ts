import type { Selectable } from 'kysely';
import type { EipsTable, Tx } from '../schema.ts';

export type EipRow = Selectable<EipsTable>;

/** Unassociates every EIP bound to these owners (ENIs or instances) at once; the EIPs stay allocated. */
export async function unbindEipsOf(tx: Tx, ownerIds: readonly string[]): Promise<void> {
  if (ownerIds.length === 0) return;
  await tx.db
    .updateTable('eips')
    .set({ status: 'Available', next_status: null, transition_at: null, instance_id: null, instance_type: null, private_ip: null, mode: null })
    .where('instance_id', 'in', ownerIds)
    .execute();
}
