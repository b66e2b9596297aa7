import { deleteAccountResources, type ResetCounts } from '../store/repos/reset.ts';
import type { Tx } from '../store/schema.ts';
import type { ServiceContext } from './context.ts';
import { markFaultsChanged } from './faults.ts';

export type { ResetCounts };

/**
 * ResetAccount and `eniplane reset`: every resource of one account (or of all), gone in the
 * caller's one transaction; the accounts and their keys stay (store/repos/reset.ts lists what
 * else stays). Servers holding the account's fault rules in memory read them again.
 */
export async function resetAccount(ctx: Pick<ServiceContext, 'tx' | 'accountId'>): Promise<ResetCounts> {
  const counts = await deleteAccountResources(ctx.tx, ctx.accountId);
  if (counts.faults > 0) await markFaultsChanged(ctx.tx);
  return counts;
}

/** `eniplane reset --all`: every account's resources. */
export async function resetAllAccounts(tx: Tx): Promise<ResetCounts> {
  const counts = await deleteAccountResources(tx, undefined);
  if (counts.faults > 0) await markFaultsChanged(tx);
  return counts;
}
