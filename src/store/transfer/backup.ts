import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import type { Store } from '../db.ts';
import { writeDump } from './dump.ts';
import type { StateSource } from './state-source.ts';

/**
 * Writes a backup file the way a crash cannot leave half of: into `FILE.partial` (created new,
 * mode 0600: a state holds every account's AccessKey secrets), synced to disk, then renamed over
 * `file` and the directory synced. An existing `file` is refused unless `overwrite`.
 */
export async function writeAtomically(file: string, overwrite: boolean, write: (partial: string) => Promise<void>): Promise<number> {
  if (existsSync(file) && !overwrite) throw new Error(`${file} exists; choose another name, or --force to replace it`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  closeSync(openSync(partial, 'wx', 0o600));
  try {
    await write(partial);
    const fd = openSync(partial, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return statSync(file).size;
}

/**
 * A consistent copy of a SQLite store, while its server runs: `VACUUM INTO` writes the database as
 * one read transaction sees it (WAL: the server goes on writing meanwhile, and its commits after
 * that instant are not in the copy), compacted, into a plain database file that `serve` can run
 * on as it is. Chosen over the online backup API (better-sqlite3's `backup()`), which copies page
 * by page and starts over whenever another connection writes: under a steady stream of writes it
 * may never finish.
 */
export async function vacuumInto(store: Store, partial: string): Promise<void> {
  if (store.dialect !== 'sqlite') throw new Error('VACUUM INTO is SQLite');
  await sql`vacuum into ${partial}`.execute(store.db);
}

/** A backup in eniplane's portable dump format (dump.ts), from one read snapshot of `source`. */
export function dumpInto(source: StateSource, partial: string): Promise<void> {
  return writeDump(source, partial);
}
