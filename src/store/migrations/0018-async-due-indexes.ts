import { sql, type Kysely } from 'kysely';

/**
 * The metrics count, at every scrape, the ENIs and instances whose asynchronous state is still
 * running (a due time ahead: app/metrics.ts, store/repos/gauges.ts). Without an index that is a
 * scan of both tables (about 30 ms per 100,000 ENIs on SQLite, with the event loop held); these
 * partial indexes hold only rows that ever had a timed transition, so the count reads just the
 * transitions still ahead, and creating an ENI or instance without one writes nothing to them.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('enis_transition_due').on('network_interfaces').column('transition_at').where(sql.ref('next_status'), 'is not', null).execute();
  await db.schema.createIndex('instances_transition_due').on('instances').column('transition_at').where(sql.ref('next_status'), 'is not', null).execute();
  await db.schema.createIndex('instances_final_due').on('instances').column('final_at').where(sql.ref('final_status'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['enis_transition_due', 'instances_transition_due', 'instances_final_due']) await db.schema.dropIndex(name).execute();
}
