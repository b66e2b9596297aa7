import { setTimeout as sleep } from 'node:timers/promises';
import { actionRef, effectOf, type AsyncFault, type FaultRule } from '../domain/faults.ts';
import type { Logger } from '../lib/logger.ts';
import { decideFault, faultRulesByAccount } from '../services/faults.ts';
import type { Store } from '../store/db.ts';
import { faultGenerationReader } from '../store/repos/faults.ts';
import { readerOf } from '../store/tx.ts';
import type { ActionDefinition } from './define-action.ts';
import { faultError } from './eniplane/fault-rules.ts';

/**
 * Injected faults (eniplane faults add, AddFault), applied by invoke before an action runs: a
 * fired rule answers its error code (after its latency), only waits, or hands the handler an
 * asynchronous fault (ServiceContext.asyncFault). Nothing of the action runs before an injected
 * error, so nothing changes. Every fired rule is logged with the call's RequestId.
 *
 * The rules of every account are held in memory and read again whenever the store's fault
 * generation token differs from the one they were read at: every call reads the token (a prepared
 * statement on SQLite, one query per event-loop turn on PostgreSQL; store/repos/faults.ts), so a
 * rule added on any replica or by the CLI applies to the next call everywhere, and a call of an
 * account without rules costs that read and a map lookup.
 */
export interface FaultInjector {
  /**
   * Throws the injected error, waits the injected latency, or answers the asynchronous fault the
   * handler is to apply; undefined (at once, without a promise) when no rule of the account
   * names the action.
   */
  before(
    def: ActionDefinition,
    params: Record<string, unknown>,
    caller: { accountId: string; requestId?: string },
  ): Promise<AsyncFault | undefined> | undefined;
}

export interface FaultInjectorDeps {
  store: Store;
  log: Logger;
  /** Waits the rule's latency (tests may replace it). */
  wait?: (ms: number) => Promise<unknown>;
}

interface Loaded {
  token: string;
  byAccount: Map<string, FaultRule[]>;
}

export function createFaultInjector(deps: FaultInjectorDeps): FaultInjector {
  const readToken = faultGenerationReader(deps.store);
  const wait = deps.wait ?? ((ms: number) => sleep(ms));
  let loaded: Loaded = { token: '', byAccount: new Map() };
  let loading: { token: string; promise: Promise<Loaded> } | undefined;

  const load = (token: string): Promise<Loaded> => {
    if (loading?.token !== token) {
      const promise = faultRulesByAccount(readerOf(deps.store)).then((byAccount) => {
        // The token was read before the rules: they are at least that new; a newer token reads them again.
        loaded = { token, byAccount };
        return loaded;
      });
      loading = { token, promise };
      void promise.finally(() => {
        if (loading?.promise === promise) loading = undefined;
      });
    }
    return loading.promise;
  };

  const rulesAt = (token: string) => (token === loaded.token ? loaded : load(token));

  const apply = async (rule: FaultRule, def: ActionDefinition, caller: { accountId: string; requestId?: string }): Promise<AsyncFault | undefined> => {
    const effect = effectOf(rule);
    deps.log.info(
      {
        requestId: caller.requestId,
        accountId: caller.accountId,
        action: actionRef(rule),
        fault: {
          id: rule.id,
          ...(rule.resourceId !== null && { resourceId: rule.resourceId }),
          ...(rule.tag && { tag: rule.tag }),
          ...(rule.probability !== null && { probability: rule.probability, seed: rule.seed }),
          ...(rule.maxCount !== null && { count: rule.maxCount }),
          ...(rule.code !== null && { code: rule.code }),
          ...(rule.latencyMs > 0 && { latencyMs: rule.latencyMs }),
          ...(rule.asyncFail && { asyncResult: 'Fail' }),
          ...(rule.asyncDelayMs > 0 && { asyncDelayMs: rule.asyncDelayMs }),
          matched: rule.matched,
          injected: rule.injected,
        },
      },
      'fault injected',
    );
    if (effect.latencyMs > 0) await wait(effect.latencyMs);
    if (effect.kind === 'error') throw faultError(rule, def);
    return effect.kind === 'async' ? effect.async : undefined;
  };

  const decide = async (rules: FaultRule[], def: ActionDefinition, params: Record<string, unknown>, caller: { accountId: string; requestId?: string }) => {
    const rule = await decideFault(deps.store, caller.accountId, { product: def.product, action: def.name, params }, rules);
    return rule ? apply(rule, def, caller) : undefined;
  };

  const forAccount = (state: Loaded, def: ActionDefinition, params: Record<string, unknown>, caller: { accountId: string; requestId?: string }) => {
    const rules = state.byAccount.get(caller.accountId);
    return rules?.some((r) => r.action === def.name && r.product === def.product) ? decide(rules, def, params, caller) : undefined;
  };

  return {
    before(def, params, caller) {
      const token = readToken();
      if (typeof token === 'string') {
        const state = rulesAt(token);
        return 'then' in state ? state.then((s) => forAccount(s, def, params, caller)) : forAccount(state, def, params, caller);
      }
      return token.then((t) => rulesAt(t)).then((s) => forAccount(s, def, params, caller));
    },
  };
}
