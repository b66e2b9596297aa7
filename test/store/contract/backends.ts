/**
 * The store contract: the same repo-level tests, run once per backend. A test file calls
 * `forEachBackend(title, body)`; `body` registers its tests with a `store()` that opens on that
 * backend, fresh and migrated, with one account. A third backend is done when it is added to
 * BACKENDS below and every contract file passes on it.
 *
 * SQLite runs in `npm test`'s SQLite pass (a real file in a temporary directory); PostgreSQL in
 * its PostgreSQL pass (ENIPLANE_TEST_PG set: a fresh database per file), where the SQLite block
 * is skipped as already run. In CI both passes run, so neither is ever skipped there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { migrateToLatest, openStore, sqliteFileIn, type Store } from '../../../src/store/db.ts';
import type { Tx } from '../../../src/store/schema.ts';
import { freshPostgresDatabase } from '../../helpers/server.ts';

export const ACCOUNT_ID = '1000000000000001';
export const OTHER_ACCOUNT_ID = '1000000000000002';
export const REGION_ID = 'cn-hangzhou';

interface Backend {
  name: string;
  /** Why this backend is not run in this process, or false. */
  skip(): string | false;
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    skip: () => (process.env.ENIPLANE_TEST_PG ? 'ran in the SQLite pass' : false),
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'eniplane-contract-'));
      const store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) });
      return {
        store,
        async dispose() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: () => (process.env.ENIPLANE_TEST_PG ? false : 'runs in the PostgreSQL pass (ENIPLANE_TEST_PG)'),
    async open() {
      const db = await freshPostgresDatabase();
      const store = await openStore({ kind: 'postgres', url: db.url });
      return {
        store,
        async dispose() {
          await store.close();
          await db.drop();
        },
      };
    },
  },
];

export interface ContractContext {
  /** The backend's store, migrated, holding the accounts ACCOUNT_ID and OTHER_ACCOUNT_ID. */
  store(): Store;
  /** Runs `fn` in one transaction of the store (as a service call does). */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A reader outside any transaction. */
  read(): Tx;
}

/** Registers `body`'s tests once per backend, each backend with its own fresh store. */
export function forEachBackend(title: string, body: (ctx: ContractContext) => void): void {
  for (const backend of BACKENDS) {
    describe(`${title} (${backend.name})`, { skip: backend.skip() }, () => {
      let opened: { store: Store; dispose(): Promise<void> } | undefined;
      before(async () => {
        opened = await backend.open();
        await migrateToLatest(opened.store);
        for (const [id, name] of [
          [ACCOUNT_ID, 'root'],
          [OTHER_ACCOUNT_ID, 'other'],
        ] as const) {
          await opened.store.db.insertInto('accounts').values({ id, name, created_at: 1 }).execute();
        }
      });
      after(async () => {
        await opened?.dispose();
      });
      const store = () => {
        if (!opened) throw new Error('the store is opened in before()');
        return opened.store;
      };
      body({
        store,
        write: (fn) => store().db.transaction().execute((trx) => fn({ db: trx, dialect: store().dialect })),
        read: () => ({ db: store().db, dialect: store().dialect }),
      });
    });
  }
}
