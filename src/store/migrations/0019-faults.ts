import type { Kysely } from 'kysely';

/**
 * Fault injection (eniplane faults, the Eniplane AddFault action): the rules of each account, in
 * the database so that every replica applies the same ones, and one row whose token changes with
 * every change of the rules, which servers compare with the rules they hold in memory (reading it
 * costs far less than reading the rules on every call; src/api/fault-injection.ts).
 *
 * A rule matches calls to one action, optionally only those naming a resource ID or a resource
 * with a tag; it fires for the first `max_count` matching calls or with `probability` (drawn from
 * `seed` and the call's match number, so a run can be repeated); its effect is an error `code`,
 * an added latency, or a changed asynchronous outcome (async_fail, async_delay_ms). `matched` and
 * `injected` count calls, updated in the transaction that decides each call.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fault_rules')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('product', 'varchar(32)', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('resource_id', 'varchar(128)')
    .addColumn('tag_key', 'varchar(128)')
    .addColumn('tag_value', 'varchar(128)')
    .addColumn('probability', 'double precision')
    .addColumn('seed', 'varchar(64)', (c) => c.notNull())
    .addColumn('max_count', 'integer')
    .addColumn('code', 'varchar(128)')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('async_fail', 'integer', (c) => c.notNull())
    .addColumn('async_delay_ms', 'integer', (c) => c.notNull())
    .addColumn('matched', 'integer', (c) => c.notNull())
    .addColumn('injected', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fault_rules_account').on('fault_rules').columns(['account_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('fault_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('token', 'varchar(64)', (c) => c.notNull())
    .execute();
  await db.insertInto('fault_generation').values({ id: 1, token: 'initial' }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('fault_generation').execute();
  await db.schema.dropTable('fault_rules').execute();
}
