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
    const insert = (k: number) =>
      store.db
        .insertInto('t' as never)
        .values({ k, v: 'x' } as never)
        .execute();
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

test('statement cache: rows are the objects better-sqlite3 itself makes, duplicate and quoted names included', () => {
  const raw = new SQLite(':memory:');
  const db = cachingDatabase(raw);
  try {
    raw.exec(`create table t (k integer primary key, "a b" text, "x""y" text, n real)`);
    raw.exec(`insert into t values (1, 'one', 'q', 1.5), (2, null, '', null)`);
    for (const text of [
      'select * from t order by k',
      'select k, "a b" as k from t order by k',
      'select k, count(*) from t group by k order by k',
      'select * from t where k = 99',
    ]) {
      const ours = db.prepare(text).all([]);
      const theirs = raw.prepare(text).all();
      assert.deepEqual(ours, theirs, text);
      for (const [i, row] of (ours as object[]).entries()) assert.deepEqual(Object.keys(row), Object.keys((theirs as object[])[i]!), `key order of ${text}`);
    }
    // A column named `__proto__` stays a column (better-sqlite3's own objects make it the prototype).
    const row = db.prepare(`select 'p' as "__proto__", k from t where k = 1`).all([])[0] as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 'p');
    // Writers, RETURNING included, behave as before.
    assert.equal(db.prepare('insert into t (k) values (?)').run([3]).changes, 1);
    assert.deepEqual(db.prepare('insert into t (k, n) values (?, ?) returning k, n').all([4, 2]), [{ k: 4, n: 2 }]);
  } finally {
    db.close();
  }
});

test('statement cache: a cached `select *` follows a column added after it was prepared', () => {
  const raw = new SQLite(':memory:');
  const db = cachingDatabase(raw);
  try {
    raw.exec(`create table t (k integer primary key, v text); insert into t values (1, 'x')`);
    assert.deepEqual(db.prepare('select * from t').all([]), [{ k: 1, v: 'x' }]);
    raw.exec(`alter table t add column w text default 'z'`);
    assert.deepEqual(db.prepare('select * from t').all([]), [{ k: 1, v: 'x', w: 'z' }]);
    assert.equal(db.stats.prepares, 1, 'the same cached statement');
  } finally {
    db.close();
  }
});
