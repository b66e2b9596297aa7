import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../store/db.ts';
import { acquireDataDirLock } from '../store/lock.ts';
import { dumpStateSource, GZIP_MAGIC } from '../store/transfer/dump.ts';
import type { StateSource } from '../store/transfer/state-source.ts';
import { openSqliteReadOnly, storeStateSource } from '../store/transfer/store-source.ts';
import { storeOpenOptions } from './store-options.ts';

/** The database file of a data directory (what `serve --data-dir` runs on). */
export function dataDirDatabase(dataDir: string): string {
  return join(resolve(dataDir), 'eniplane.sqlite');
}

export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//.test(text);
}

/** The first `n` bytes of a file (fewer when it is shorter): enough to tell what it holds. */
function readFileHead(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** What a backup file holds, from its first bytes. */
export function backupKind(file: string): 'sqlite' | 'dump' | undefined {
  const head = readFileHead(file, 16);
  if (head.subarray(0, 16).equals(SQLITE_MAGIC)) return 'sqlite';
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) return 'dump';
  return undefined;
}

/**
 * A state to read: a PostgreSQL URL, a data directory (its SQLite database, read while its server
 * may run), a SQLite file (a backup) or an eniplane dump. Databases are read in one snapshot.
 */
export async function openStateSource(spec: string): Promise<StateSource> {
  if (isPostgresUrl(spec)) return storeStateSource(await openStore({ kind: 'postgres', url: spec }));
  const path = resolve(spec);
  if (!existsSync(path)) throw new Error(`${spec}: no such data directory, backup file or postgres:// URL`);
  if (statSync(path).isDirectory()) {
    const file = dataDirDatabase(path);
    if (!existsSync(file)) throw new Error(`${spec} is a directory without an eniplane database (${file})`);
    return storeStateSource(openSqliteReadOnly(file));
  }
  const kind = backupKind(path);
  if (kind === 'sqlite') return storeStateSource(openSqliteReadOnly(path));
  if (kind === 'dump') return dumpStateSource(path);
  throw new Error(`${spec} is neither a SQLite database nor an eniplane dump`);
}

/** A store to write a state into, opened for the load; a data directory is locked against a server starting on it meanwhile. */
export interface OpenedTarget {
  store: Store;
  close(): Promise<void>;
}

export async function openTarget(spec: { dataDir: string } | { url: string }): Promise<OpenedTarget> {
  if ('url' in spec) {
    const store = await openStore({ kind: 'postgres', url: spec.url }, storeOpenOptions());
    return { store, close: () => store.close() };
  }
  const dir = resolve(spec.dataDir);
  mkdirSync(dir, { recursive: true });
  const release = acquireDataDirLock(dir);
  try {
    const store = await openStore({ kind: 'sqlite', file: dataDirDatabase(dir) }, storeOpenOptions());
    return {
      store,
      async close() {
        await store.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** `--to DIR|URL`, or the store options of a command. */
export function targetSpec(text: string): { dataDir: string } | { url: string } {
  return isPostgresUrl(text) ? { url: text } : { dataDir: text };
}
