import type { Kysely } from 'kysely';
import type { Store } from '../db.ts';
import type { Schema } from '../schema.ts';

/**
 * Spent SignatureNonces. A nonce may be used once per AccessKeyId while its request's timestamp
 * is inside the accepted window; `expiresAt` says when it may be forgotten.
 */
export interface NonceGuard {
  /** True when this call spent the nonce, false for a replay. Resolves once the nonce is stored. */
  record(accessKeyId: string, nonce: string, expiresAt: number): Promise<boolean>;
  /** Forgets nonces that expired before `now`. */
  prune(now: number): Promise<void>;
}

interface PendingNonce {
  accessKeyId: string;
  nonce: string;
  expiresAt: number;
  resolve(recorded: boolean): void;
  reject(err: unknown): void;
}

/** Rows per INSERT: 3 parameters each, far below SQLite's and PostgreSQL's parameter limits. */
const MAX_BATCH = 256;

const keyOf = (accessKeyId: string, nonce: string) => `${accessKeyId}\n${nonce}`;

/**
 * Group commit: the nonces of every request that reaches `record` in one event-loop turn are
 * written by one multi-row statement, so one statement and one commit serve them all.
 */
function batchWriter(write: (batch: PendingNonce[]) => Promise<void>): (p: PendingNonce) => void {
  let queue: PendingNonce[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      const slice = batch.slice(i, i + MAX_BATCH);
      write(slice).catch((err: unknown) => {
        for (const p of slice) p.reject(err);
      });
    }
  };
  return (p) => {
    queue.push(p);
    if (!scheduled) {
      scheduled = true;
      // After the I/O callbacks of this turn: every request parsed in it joins the batch.
      setImmediate(flush);
    }
  };
}

/**
 * For several replicas on one database (PostgreSQL): the primary key of `signature_nonces`
 * decides every replay, so a nonce spent on one replica is refused on all of them. Each batch is
 * one `INSERT ... ON CONFLICT DO NOTHING RETURNING`: a nonce the insert did not return was
 * already there. Within one batch the first claim of a nonce wins and later ones are replays,
 * exactly as two single inserts in that order would have it.
 */
export function sharedNonceGuard(db: Kysely<Schema>): NonceGuard {
  const enqueue = batchWriter(async (batch) => {
    const claims = new Map<string, PendingNonce>();
    const replays: PendingNonce[] = [];
    for (const p of batch) {
      const key = keyOf(p.accessKeyId, p.nonce);
      if (claims.has(key)) replays.push(p);
      else claims.set(key, p);
    }
    const inserted = await db
      .insertInto('signature_nonces')
      .values([...claims.values()].map((p) => ({ access_key_id: p.accessKeyId, nonce: p.nonce, expires_at: p.expiresAt })))
      .onConflict((oc) => oc.columns(['access_key_id', 'nonce']).doNothing())
      .returning(['access_key_id', 'nonce'])
      .execute();
    const recorded = new Set(inserted.map((r) => keyOf(r.access_key_id, r.nonce)));
    for (const [key, p] of claims) p.resolve(recorded.has(key));
    for (const p of replays) p.resolve(false);
  });
  return {
    record: (accessKeyId, nonce, expiresAt) => new Promise((resolve, reject) => enqueue({ accessKeyId, nonce, expiresAt, resolve, reject })),
    async prune(now) {
      await db.deleteFrom('signature_nonces').where('expires_at', '<', now).execute();
    },
  };
}

/**
 * The single process's memory of spent nonces, with when each may be forgotten. One map per
 * AccessKeyId, so that an entry keeps only the nonce's own string alive: a joined key would be a
 * new string per request, and one that (through the AccessKeyId, a slice of the Authorization
 * header) also kept that whole header alive, for as long as the window lasts.
 */
class SpentNonces {
  private readonly byAccessKey = new Map<string, Map<string, number>>();

  has(accessKeyId: string, nonce: string): boolean {
    return this.byAccessKey.get(accessKeyId)?.has(nonce) ?? false;
  }

  /** Remembers a nonce until `expiresAt`, or later if it is already remembered longer. */
  add(accessKeyId: string, nonce: string, expiresAt: number): void {
    let nonces = this.byAccessKey.get(accessKeyId);
    if (!nonces) this.byAccessKey.set(accessKeyId, (nonces = new Map()));
    nonces.set(nonce, Math.max(expiresAt, nonces.get(nonce) ?? 0));
  }

  forgetExpiredBefore(now: number): void {
    for (const [accessKeyId, nonces] of this.byAccessKey) {
      for (const [nonce, expiresAt] of nonces) if (expiresAt < now) nonces.delete(nonce);
      if (nonces.size === 0) this.byAccessKey.delete(accessKeyId);
    }
  }
}

/**
 * The log's INSERT for `rows` rows, as raw SQL: run as a prepared statement on the connection, it
 * skips building the query (half of what recording a nonce cost). Kysely's own compilation of
 * the same insert gives this very text, so the store's statement cache holds one per size either way.
 */
const logInsertSql: string[] = [];
function logInsertFor(rows: number): string {
  return (logInsertSql[rows] ??=
    `insert into "signature_nonce_log" ("access_key_id", "nonce", "expires_at") values ${Array(rows).fill('(?, ?, ?)').join(', ')}`);
}

/**
 * For the single-process SQLite store, whose data directory is locked by one server: that
 * process's memory decides replays (a map lookup instead of an insert into a random place of a
 * B-tree index, the largest cost of a signed request), and every spent nonce is appended to
 * `signature_nonce_log` before its request is answered, so a restart — even after SIGKILL —
 * still refuses it. Loads the unexpired nonces of both tables when it starts.
 */
export async function singleProcessNonceGuard(store: Pick<Store, 'db' | 'sqlite'>, now: number): Promise<NonceGuard> {
  const { db, sqlite } = store;
  if (!sqlite) throw new Error('the single-process nonce guard needs the SQLite connection');
  const spent = new SpentNonces();
  for (const table of ['signature_nonces', 'signature_nonce_log'] as const) {
    const rows = await db.selectFrom(table).select(['access_key_id', 'nonce', 'expires_at']).where('expires_at', '>=', now).execute();
    for (const r of rows) spent.add(r.access_key_id, r.nonce, r.expires_at);
  }
  const enqueue = batchWriter(async (batch) => {
    const values: (string | number)[] = [];
    for (const p of batch) values.push(p.accessKeyId, p.nonce, p.expiresAt);
    // Under Kysely's connection lock: the statement runs on Kysely's one connection, and while a
    // transaction of Kysely's is open there it would run inside it, to be lost if that rolls back.
    await db.connection().execute(async () => {
      sqlite.prepare(logInsertFor(batch.length)).run(values);
    });
    for (const p of batch) p.resolve(true);
  });
  return {
    record(accessKeyId, nonce, expiresAt) {
      if (spent.has(accessKeyId, nonce)) return Promise.resolve(false);
      spent.add(accessKeyId, nonce, expiresAt);
      return new Promise((resolve, reject) => enqueue({ accessKeyId, nonce, expiresAt, resolve, reject }));
    },
    async prune(now) {
      spent.forgetExpiredBefore(now);
      await db.deleteFrom('signature_nonce_log').where('expires_at', '<', now).execute();
      await db.deleteFrom('signature_nonces').where('expires_at', '<', now).execute();
    },
  };
}

/** The guard that fits the store: memory plus a log for one SQLite process, the table's key for replicas. */
export function nonceGuardFor(store: Pick<Store, 'db' | 'sqlite' | 'dialect'>, now: number): Promise<NonceGuard> {
  return store.dialect === 'sqlite' ? singleProcessNonceGuard(store, now) : Promise.resolve(sharedNonceGuard(store.db));
}
