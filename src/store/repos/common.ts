import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { GONE } from '../../domain/async-state.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { Schema, Tx } from '../schema.ts';

type AsyncTable = 'vpcs' | 'vswitches';

/** Rows whose deletion has completed are invisible, on every replica, from the moment it is due. */
export function notGone<T extends AsyncTable>(now: number) {
  return (eb: ExpressionBuilder<Schema, T>) =>
    eb.or([eb(sql.ref('next_status'), 'is', null), eb(sql.ref('next_status'), '!=', GONE), eb(sql.ref('transition_at'), '>', now)]);
}

/** Restricts a query on `table.id` to resources carrying every tag filter. */
export function whereTagged<DB extends Schema, TB extends keyof DB & string, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  idColumn: string,
  accountId: string,
  filters: readonly TagFilter[],
): SelectQueryBuilder<DB, TB, O> {
  let q = qb;
  for (const f of filters) {
    q = q.where(sql.ref(idColumn), 'in', (eb: ExpressionBuilder<DB, TB>) => {
      let sub = (eb as unknown as ExpressionBuilder<Schema, 'tags'>)
        .selectFrom('tags')
        .select('tags.resource_id')
        .where('tags.account_id', '=', accountId)
        .where('tags.tag_key', '=', f.key);
      if (f.value !== undefined) sub = sub.where('tags.tag_value', '=', f.value);
      return sub as never;
    }) as typeof q;
  }
  return q;
}

/** Locks a row for the rest of the transaction on PostgreSQL; SQLite serialises writers already. */
export function forUpdate<Q extends { forUpdate(): Q }>(tx: Tx, qb: Q): Q {
  return tx.dialect === 'postgres' ? qb.forUpdate() : qb;
}

export function toCount(row: { n: number | string | bigint } | undefined): number {
  return Number(row?.n ?? 0);
}
