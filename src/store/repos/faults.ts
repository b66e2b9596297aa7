import type { FaultRule } from '../../domain/faults.ts';
import type { Store } from '../db.ts';
import type { FaultRulesTable, Tx } from '../schema.ts';
import { readerOf } from '../tx.ts';

function toRule(r: FaultRulesTable): FaultRule {
  return {
    id: r.id,
    accountId: r.account_id,
    product: r.product,
    action: r.action,
    resourceId: r.resource_id,
    tag: r.tag_key === null ? null : { key: r.tag_key, value: r.tag_value },
    probability: r.probability === null ? null : Number(r.probability),
    seed: r.seed,
    maxCount: r.max_count,
    code: r.code,
    latencyMs: Number(r.latency_ms),
    asyncFail: Number(r.async_fail) === 1,
    asyncDelayMs: Number(r.async_delay_ms),
    matched: Number(r.matched),
    injected: Number(r.injected),
    createdAt: Number(r.created_at),
  };
}

export async function insertFaultRule(tx: Tx, rule: FaultRule): Promise<void> {
  await tx.db
    .insertInto('fault_rules')
    .values({
      id: rule.id,
      account_id: rule.accountId,
      product: rule.product,
      action: rule.action,
      resource_id: rule.resourceId,
      tag_key: rule.tag?.key ?? null,
      tag_value: rule.tag?.value ?? null,
      probability: rule.probability,
      seed: rule.seed,
      max_count: rule.maxCount,
      code: rule.code,
      latency_ms: rule.latencyMs,
      async_fail: rule.asyncFail ? 1 : 0,
      async_delay_ms: rule.asyncDelayMs,
      matched: rule.matched,
      injected: rule.injected,
      created_at: rule.createdAt,
    })
    .execute();
}

/** An account's rules in the order they were added (the order they are tried in). */
export async function listFaultRules(tx: Tx, accountId: string): Promise<FaultRule[]> {
  const rows = await tx.db.selectFrom('fault_rules').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toRule);
}

/** Every account's rules, each account's in the order they were added. */
export async function allFaultRules(tx: Tx): Promise<FaultRule[]> {
  const rows = await tx.db.selectFrom('fault_rules').selectAll().orderBy('account_id').orderBy('created_at').orderBy('id').execute();
  return rows.map(toRule);
}

export async function deleteFaultRule(tx: Tx, accountId: string, id: string): Promise<boolean> {
  const r = await tx.db.deleteFrom('fault_rules').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Removes an account's rules, or every account's (accountId undefined); answers how many. */
export async function deleteFaultRules(tx: Tx, accountId: string | undefined): Promise<number> {
  let q = tx.db.deleteFrom('fault_rules');
  if (accountId !== undefined) q = q.where('account_id', '=', accountId);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/**
 * Counts one more matching call of a rule and answers its counters after that, or undefined when
 * the rule is gone. The update locks the row (PostgreSQL): concurrent calls count one at a time,
 * each seeing the injections of those before it.
 */
export async function countFaultMatch(tx: Tx, id: string): Promise<{ matched: number; injected: number } | undefined> {
  const row = await tx.db
    .updateTable('fault_rules')
    .set((eb) => ({ matched: eb('matched', '+', 1) }))
    .where('id', '=', id)
    .returning(['matched', 'injected'])
    .executeTakeFirst();
  return row && { matched: Number(row.matched), injected: Number(row.injected) };
}

export async function countFaultInjection(tx: Tx, id: string): Promise<void> {
  await tx.db
    .updateTable('fault_rules')
    .set((eb) => ({ injected: eb('injected', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Whether any of these resources of the account carries the tag (any value when `value` is null). */
export async function anyTagged(tx: Tx, accountId: string, resourceIds: readonly string[], key: string, value: string | null): Promise<boolean> {
  if (resourceIds.length === 0) return false;
  let q = tx.db
    .selectFrom('tags')
    .select('resource_id')
    .where('resource_id', 'in', [...resourceIds])
    .where('tag_key', '=', key)
    .where('account_id', '=', accountId);
  if (value !== null) q = q.where('tag_value', '=', value);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/** Marks the rules changed: servers holding them in memory read them again (api/fault-injection.ts). */
export async function setFaultGeneration(tx: Tx, token: string): Promise<void> {
  await tx.db.updateTable('fault_generation').set({ token }).where('id', '=', 1).execute();
}

export async function readFaultGeneration(tx: Tx): Promise<string> {
  const row = await tx.db.selectFrom('fault_generation').select('token').where('id', '=', 1).executeTakeFirst();
  return row?.token ?? '';
}

const GENERATION_SQL = 'select "token" from "fault_generation" where "id" = 1';

/**
 * The current generation token, cheaply enough to be read on every API call
 * (api/fault-injection.ts compares it with the one its rules in memory were read at).
 *
 * SQLite: one prepared statement on the store's connection, run at once (a few microseconds),
 * outside Kysely's connection lock, so it may run inside another call's open transaction and see
 * its uncommitted token; the token is random, never reused, so a rollback only makes the
 * next call read the rules once more.
 *
 * PostgreSQL: one query per event-loop turn serves every call that asked during that turn. A call
 * joins only a query not yet sent, so what it reads was committed no earlier than the call arrived.
 */
export function faultGenerationReader(store: Store): () => string | Promise<string> {
  const sqlite = store.sqlite;
  if (sqlite) {
    return () => {
      const rows = sqlite.prepare(GENERATION_SQL).all([]) as { token: string }[];
      return rows[0]?.token ?? '';
    };
  }
  const reader = readerOf(store);
  let next: Promise<string> | undefined;
  return () =>
    (next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      next = undefined;
      return readFaultGeneration(reader);
    }));
}
