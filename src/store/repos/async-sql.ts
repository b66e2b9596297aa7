import { sql, type RawBuilder } from 'kysely';

/**
 * The status a row shows at `now`, computed in SQL so filters and counts agree with
 * domain/async-state.ts on every replica.
 */
export function effectiveStatusSql(now: number, table?: string): RawBuilder<string> {
  const col = (c: string) => sql.ref(table ? `${table}.${c}` : c);
  return sql<string>`(case when ${col('next_status')} is not null and ${col('transition_at')} <= ${now} then ${col('next_status')} else ${col('status')} end)`;
}

/** The same for instances, whose start goes through two timed stages. */
export function instanceStatusSql(now: number, table?: string): RawBuilder<string> {
  const col = (c: string) => sql.ref(table ? `${table}.${c}` : c);
  return sql<string>`(case when ${col('final_status')} is not null and ${col('final_at')} <= ${now} then ${col('final_status')} when ${col('next_status')} is not null and ${col('transition_at')} <= ${now} then ${col('next_status')} else ${col('status')} end)`;
}
