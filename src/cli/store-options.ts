import type { Command } from 'commander';
import { resolve } from 'node:path';
import { sqliteFileIn, type OpenStoreOptions, type StoreTarget } from '../store/db.ts';

export interface StoreOptions {
  dataDir: string;
  memory?: boolean;
  db?: string;
}

/** The storage flags shared by serve, accounts and db. */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'directory for the SQLite database and credentials (env ENIPLANE_DATA_DIR)', process.env.ENIPLANE_DATA_DIR ?? '.eniplane')
    .option('--memory', 'keep everything in memory; nothing survives a restart (env ENIPLANE_MEMORY=1)', process.env.ENIPLANE_MEMORY === '1')
    .option('--db <url>', 'PostgreSQL URL, postgres://USER@HOST:PORT/DATABASE, instead of SQLite (env ENIPLANE_DB)', process.env.ENIPLANE_DB);
}

export function storeTarget(opts: StoreOptions): StoreTarget {
  if (opts.db) {
    if (!/^postgres(ql)?:\/\//.test(opts.db)) throw new Error(`--db takes a postgres:// URL, got "${opts.db}"`);
    return { kind: 'postgres', url: opts.db };
  }
  if (opts.memory) return { kind: 'memory' };
  return { kind: 'sqlite', file: sqliteFileIn(resolve(opts.dataDir)) };
}

/** How every command opens its store: query templates checked when ENIPLANE_CHECK_QUERIES=1 (the test runner sets it for the servers it starts). */
export function storeOpenOptions(): OpenStoreOptions {
  return { checkQueries: process.env.ENIPLANE_CHECK_QUERIES === '1' };
}
