import assert from 'node:assert/strict';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { migrateToLatest, openStore } from '../../src/store/db.ts';
import { cachingDatabase } from '../../src/store/statement-cache.ts';

test('statement cache: the store prepares each SQL text once, however often Kysely runs it', async () => {
  const store = await openStore({ kind: 'memory' });
  try {
    await migrateToLatest(store);
    const stats = store.sqlite!.stats;
    const lookup = () => store.db.selectFrom('accounts').select('id').where('name', '=', 'nobody').execute();
    await lookup();
    const prepares = stats.prepares;
    const hits = stats.hits;
    for (let i = 0; i < 5; i++) await lookup();
    assert.equal(stats.prepares, prepares, 'no new prepare for the same text');
    assert.equal(stats.hits, hits + 5);
  } finally {
    await store.close();
  }
});

test('statement cache: bounded, oldest text evicted first', () => {
  const db = cachingDatabase(new SQLite(':memory:'), 3);
  for (const n of [1, 2, 3, 4]) db.prepare(`select ${n}`);
  assert.equal(db.stats.size, 3);
  db.prepare('select 4'); // still cached
  assert.equal(db.stats.prepares, 4);
  db.prepare('select 1'); // evicted: prepared again
  assert.equal(db.stats.prepares, 5);
  db.close();
});

test('statement cache: a cached statement survives a failed run and a schema change', async () => {
  const store = await openStore({ kind: 'memory' });
  try {
    await sql`create table t (k integer primary key, v text)`.execute(store.db);
    const insert = (k: number) => store.db.insertInto('t' as never).values({ k, v: 'x' } as never).execute();
    await insert(1);
    await assert.rejects(insert(1), (err: { code?: string }) => err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
    await insert(2); // the same cached statement, after its failure
    const read = () => sql<{ n: number }>`select count(*) as n from t`.execute(store.db);
    assert.equal((await read()).rows[0]!.n, 2);
    await sql`alter table t add column w text`.execute(store.db);
    await sql`insert into t (k, v, w) values (3, 'y', 'z')`.execute(store.db);
    assert.equal((await read()).rows[0]!.n, 3, 'SQLite re-prepares a cached statement after a schema change');
  } finally {
    await store.close();
  }
});
