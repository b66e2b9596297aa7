import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest, openStore } from '../../src/store/db.ts';
import { tablesIn } from '../../src/store/transfer/store-source.ts';
import { TABLES, isMigratorTable } from '../../src/store/transfer/tables.ts';
import { freshPostgresDatabase } from '../helpers/server.ts';

/**
 * The copy's table list (src/store/transfer/tables.ts) is what the migrations create: every table,
 * each after the tables its foreign keys name, keyed by its primary key. A migration that adds a
 * table fails here until the table is listed, so `db copy` and `db backup` never leave one behind.
 */

test('db copy tables (SQLite): every table the migrations create is listed, in foreign-key order, keyed by its primary key', async () => {
  const store = await openStore({ kind: 'memory' });
  try {
    await migrateToLatest(store);
    const present = [...(await tablesIn(store.db, 'sqlite'))].filter((t) => !isMigratorTable(t) && !t.startsWith('sqlite_')).sort();
    assert.deepEqual(present, TABLES.map((t) => t.name as string).sort());
    const position = new Map(TABLES.map((t, i) => [t.name as string, i]));
    for (const t of TABLES) {
      const columns = (await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${t.name})`.execute(store.db)).rows;
      const pk = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      // A table without a primary key is read in the order of all its columns.
      assert.deepEqual(pk.length > 0 ? pk : columns.map((c) => c.name), [...t.key], `${t.name}: its key`);
      const parents = (await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${t.name})`.execute(store.db)).rows;
      for (const p of parents) assert.ok(position.get(p.table)! < position.get(t.name)!, `${t.name} comes after ${p.table}, which it references`);
    }
  } finally {
    await store.close();
  }
});

test(
  'db copy tables (PostgreSQL): the migrations create the same tables there',
  { skip: !process.env.ENIPLANE_TEST_PG && 'runs in the PostgreSQL pass (ENIPLANE_TEST_PG)' },
  async () => {
    const pg = await freshPostgresDatabase();
    const store = await openStore({ kind: 'postgres', url: pg.url });
    try {
      await migrateToLatest(store);
      const present = [...(await tablesIn(store.db, 'postgres'))].filter((t) => !isMigratorTable(t)).sort();
      assert.deepEqual(present, TABLES.map((t) => t.name as string).sort());
    } finally {
      await store.close();
      await pg.drop();
    }
  },
);
