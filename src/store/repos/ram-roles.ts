import type { InstanceRamRole } from '../../domain/models/ram-role.ts';
import type { Tx } from '../schema.ts';

/** The one place an instance_ram_roles row becomes an InstanceRamRole. */
function toRole(row: { instance_id: string; role_name: string; attached_at: number | string }): InstanceRamRole {
  return { instanceId: row.instance_id, roleName: row.role_name, attachedAt: Number(row.attached_at) };
}

/** The role attached to an instance, if any. */
export async function ramRoleOf(tx: Tx, instanceId: string): Promise<InstanceRamRole | undefined> {
  const row = await tx.db
    .selectFrom('instance_ram_roles')
    .select(['instance_id', 'role_name', 'attached_at'])
    .where('instance_id', '=', instanceId)
    .executeTakeFirst();
  return row && toRole(row);
}

export async function insertRamRole(
  tx: Tx,
  v: { instanceId: string; accountId: string; regionId: string; roleName: string; attachedAt: number },
): Promise<void> {
  await tx.db
    .insertInto('instance_ram_roles')
    .values({ instance_id: v.instanceId, account_id: v.accountId, region_id: v.regionId, role_name: v.roleName, attached_at: v.attachedAt })
    .execute();
}

export async function deleteRamRole(tx: Tx, instanceId: string): Promise<void> {
  await tx.db.deleteFrom('instance_ram_roles').where('instance_id', '=', instanceId).execute();
}

/**
 * DescribeInstanceRamRole: the attachments of the account in the region, by instance IDs and/or
 * role name, in instance ID order, one page.
 */
export async function listRamRoles(
  tx: Tx,
  q: { accountId: string; regionId: string; instanceIds?: readonly string[]; roleName?: string },
  window: { offset: number; limit: number },
): Promise<{ roles: InstanceRamRole[]; total: number }> {
  let base = tx.db.selectFrom('instance_ram_roles').where('account_id', '=', q.accountId).where('region_id', '=', q.regionId);
  if (q.instanceIds) base = base.where('instance_id', 'in', q.instanceIds.length ? [...q.instanceIds] : ['']);
  if (q.roleName !== undefined) base = base.where('role_name', '=', q.roleName);
  const [rows, count] = await Promise.all([
    base.select(['instance_id', 'role_name', 'attached_at']).orderBy('instance_id').limit(window.limit).offset(window.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { roles: rows.map(toRole), total: Number(count.n) };
}
