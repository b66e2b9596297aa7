import type { Tx } from '../schema.ts';
import { toCount } from './common.ts';

export async function countSecurityGroupsInVpc(tx: Tx, vpcId: string): Promise<number> {
  return toCount(await tx.db.selectFrom('security_groups').select((eb) => eb.fn.countAll<number>().as('n')).where('vpc_id', '=', vpcId).executeTakeFirst());
}
