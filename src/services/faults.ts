import { randomUUID } from 'node:crypto';
import { candidateRules, fires, paramStrings, requestHasTag, type FaultCall, type FaultRule } from '../domain/faults.ts';
import { FaultErrors } from '../errors/eniplane/faults.ts';
import type { Store } from '../store/db.ts';
import {
  allFaultRules,
  anyTagged,
  countFaultInjection,
  countFaultMatch,
  deleteFaultRule,
  deleteFaultRules,
  insertFaultRule,
  listFaultRules,
  setFaultGeneration,
} from '../store/repos/faults.ts';
import type { Tx } from '../store/schema.ts';
import { inTransaction } from '../store/tx.ts';
import type { ServiceContext } from './context.ts';

/**
 * Fault injection rules of an account (eniplane faults, the Eniplane actions AddFault, ListFaults,
 * RemoveFault, ClearFaults), and the decision, for one call, of which rule fires. The rules are
 * checked for sense above (api/eniplane/fault-rules.ts: the action and its codes are the
 * registry's); here they are stored, counted and matched.
 */

/** What the rule use cases need of a ServiceContext: the CLI builds one without the server's settings. */
export type FaultContext = Pick<ServiceContext, 'tx' | 'accountId' | 'now' | 'random'>;

export type NewFaultRule = Omit<FaultRule, 'id' | 'accountId' | 'seed' | 'matched' | 'injected' | 'createdAt'> & { seed?: string };

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Every change of the rules gives the generation a new token, never seen before (see store/repos/faults.ts faultGenerationReader). */
export async function markFaultsChanged(tx: Tx): Promise<void> {
  await setFaultGeneration(tx, randomUUID());
}

export async function addFault(ctx: FaultContext, input: NewFaultRule): Promise<FaultRule> {
  const rule: FaultRule = {
    ...input,
    id: `fault-${ctx.random.chars(ALNUM, 16)}`,
    accountId: ctx.accountId,
    seed: input.seed ?? ctx.random.chars(ALNUM, 16),
    matched: 0,
    injected: 0,
    createdAt: ctx.now,
  };
  await insertFaultRule(ctx.tx, rule);
  await markFaultsChanged(ctx.tx);
  return rule;
}

export function listFaults(ctx: Pick<FaultContext, 'tx' | 'accountId'>): Promise<FaultRule[]> {
  return listFaultRules(ctx.tx, ctx.accountId);
}

export async function removeFault(ctx: Pick<FaultContext, 'tx' | 'accountId'>, id: string): Promise<void> {
  if (!(await deleteFaultRule(ctx.tx, ctx.accountId, id))) throw FaultErrors.notFound(id);
  await markFaultsChanged(ctx.tx);
}

/** Removes every rule of the account; answers how many there were. */
export async function clearFaults(ctx: Pick<FaultContext, 'tx' | 'accountId'>): Promise<number> {
  const removed = await deleteFaultRules(ctx.tx, ctx.accountId);
  if (removed > 0) await markFaultsChanged(ctx.tx);
  return removed;
}

/** Every account's rules, by account, in the order each account added them. */
export async function faultRulesByAccount(tx: Tx): Promise<Map<string, FaultRule[]>> {
  const byAccount = new Map<string, FaultRule[]>();
  for (const rule of await allFaultRules(tx)) {
    const list = byAccount.get(rule.accountId);
    if (list) list.push(rule);
    else byAccount.set(rule.accountId, [rule]);
  }
  return byAccount;
}

/**
 * The rule that fires on a call, if any: the candidates (same action, resource ID among the
 * call's values) in the order they were added; a tag rule also needs a resource of the call that
 * carries the tag, or the tag among the call's own Tag.N. Each rule that matches counts the call;
 * the first that fires answers it (and counts the injection), and the ones after it do not see
 * the call. One short transaction, before the action's own: what it writes is the counters only.
 */
export async function decideFault(store: Store, accountId: string, call: FaultCall, rules: readonly FaultRule[]): Promise<FaultRule | undefined> {
  const candidates = candidateRules(rules, call);
  if (candidates.length === 0) return undefined;
  return inTransaction(store, async (tx) => {
    let values: string[] | undefined;
    for (const rule of candidates) {
      if (rule.tag !== null && !requestHasTag(rule, call.params)) {
        values ??= [...paramStrings(call.params)].filter((v) => v.length <= 128).slice(0, 500);
        if (!(await anyTagged(tx, accountId, values, rule.tag.key, rule.tag.value))) continue;
      }
      const counters = await countFaultMatch(tx, rule.id);
      if (!counters) continue; // removed since the rules were read
      if (!fires(rule, counters.matched, counters.injected)) continue;
      await countFaultInjection(tx, rule.id);
      return { ...rule, matched: counters.matched, injected: counters.injected + 1 };
    }
    return undefined;
  });
}
