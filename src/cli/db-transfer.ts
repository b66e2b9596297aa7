import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseQuotas } from '../domain/quotas.ts';
import { openStore, type Store } from '../store/db.ts';
import { checkStore } from '../store/check/check-store.ts';
import type { QuotaLimits } from '../store/check/invariants.ts';
import { dumpInto, vacuumInto, writeAtomically } from '../store/transfer/backup.ts';
import { loadState, type LoadResult } from '../store/transfer/load.ts';
import type { StateSource } from '../store/transfer/state-source.ts';
import { openSqliteReadOnly, storeStateSource } from '../store/transfer/store-source.ts';
import { backupKind, dataDirDatabase, isPostgresUrl, openStateSource, openTarget, targetSpec } from './db-locations.ts';
import { addStoreOptions, type StoreOptions } from './store-options.ts';

const count = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function quotasOption(cmd: Command): Command {
  return cmd.option(
    '--quotas <spec>',
    'the quotas the servers run with (serve --quotas), for the invariant check (env ENIPLANE_QUOTAS)',
    process.env.ENIPLANE_QUOTAS ?? '',
  );
}

/** The quotas the checker holds a store to, from serve's --quotas spec. */
function checkQuotas(spec: string): Partial<QuotaLimits> {
  const q = parseQuotas(spec);
  return {
    secondaryEnisPerRegion: q.enisPerRegion,
    vpcsPerRegion: q.vpcsPerRegion,
    securityGroupsPerRegion: q.securityGroupsPerRegion,
    ipsPerBasicGroup: q.privateIpsPerSecurityGroup,
  };
}

/** The store the storage options name, opened to read (a SQLite database read-only: its server may be running). */
async function openForReading(opts: StoreOptions): Promise<Store> {
  if (opts.memory) throw new Error('--memory holds nothing to read: name a --data-dir or a --db URL');
  if (opts.db) {
    if (!isPostgresUrl(opts.db)) throw new Error(`--db takes a postgres:// URL, got "${opts.db}"`);
    return openStore({ kind: 'postgres', url: opts.db });
  }
  return openSqliteReadOnly(dataDirDatabase(opts.dataDir));
}

/** Runs the invariant checker on a store and prints its verdict; false when something is violated. */
async function reportCheck(store: Store, quotas: string): Promise<boolean> {
  const started = performance.now();
  const result = await checkStore(store, { quotas: checkQuotas(quotas) });
  const c = result.counted;
  const what = `${count(c.accounts)} accounts, ${count(c.vswitches)} vSwitches, ${count(c.instances)} instances, ${count(c.enis)} ENIs, ${count(c.addresses)} private IPs`;
  if (result.violations.length === 0) {
    console.log(`invariants: all hold (${what}; checked in ${seconds(performance.now() - started)})`);
    return true;
  }
  console.log(`invariants: ${result.violations.length} violated (${what}):`);
  for (const v of result.violations) console.log(`  ${v}`);
  process.exitCode = 1;
  return false;
}

function printLoad(result: LoadResult, ms: number): void {
  const rate = result.rowsMs > 0 ? Math.round(result.rows / (result.rowsMs / 1000)) : result.rows;
  console.log(
    `  migration ${result.sourceMigration}; ${count(result.rows)} rows in ${seconds(result.rowsMs)} (${count(rate)} rows/s), ${seconds(ms)} with the migrations`,
  );
  const shown = result.tables.filter((t) => t.rows > 0).map((t) => `${t.name} ${count(t.rows)}`);
  if (shown.length > 0) console.log(`  ${shown.join(', ')}`);
  if (result.replacedRows > 0) console.log(`  replaced ${count(result.replacedRows)} rows the target held (--force)`);
}

async function withSource<T>(source: StateSource, fn: (s: StateSource) => Promise<T>): Promise<T> {
  try {
    return await fn(source);
  } finally {
    await source.close();
  }
}

export function registerDbTransfer(db: Command): void {
  addStoreOptions(
    db
      .command('backup <file>')
      .description('write a consistent copy of the store while its servers run: a SQLite file (SQLite), or an eniplane dump (PostgreSQL, or --format dump)')
      .option('--format <format>', 'sqlite (a database file serve can run on; SQLite stores only) or dump (portable: restores into SQLite or PostgreSQL)')
      .option('--force', 'replace FILE if it exists'),
  ).action(async (file: string, opts: StoreOptions & { format?: string; force?: boolean }) => {
    const out = resolve(file);
    const store = await openForReading(opts);
    try {
      const format = opts.format ?? (store.dialect === 'sqlite' ? 'sqlite' : 'dump');
      if (format !== 'sqlite' && format !== 'dump') throw new Error(`--format takes sqlite or dump, got "${format}"`);
      if (format === 'sqlite' && store.dialect !== 'sqlite')
        throw new Error('a PostgreSQL store is backed up as a dump (--format dump, the default there); pg_dump works on it too');
      const started = performance.now();
      const bytes = await writeAtomically(out, Boolean(opts.force), (partial) =>
        format === 'sqlite' ? vacuumInto(store, partial) : dumpInto(storeStateSource(store), partial),
      );
      const kind = format === 'sqlite' ? 'SQLite database' : 'eniplane dump';
      console.log(`backed up ${store.location} to ${out} (${kind}, ${count(bytes)} bytes, mode 0600) in ${seconds(performance.now() - started)}`);
    } finally {
      await store.close();
    }
  });

  quotasOption(
    addStoreOptions(
      db
        .command('restore <file>')
        .description('load a backup (a SQLite file or an eniplane dump) into an empty store, then check its invariants')
        .option('--force', 'replace the state the store holds (deleted in the same transaction as the load)'),
    ),
  ).action(async (file: string, opts: StoreOptions & { force?: boolean; quotas: string }) => {
    const path = resolve(file);
    if (!existsSync(path) || !backupKind(path)) throw new Error(`${file} is not a backup (a SQLite database or an eniplane dump)`);
    if (opts.memory) throw new Error('restoring into --memory would keep nothing: name a --data-dir or a --db URL');
    const target = await openTarget(opts.db ? { url: opts.db } : { dataDir: opts.dataDir });
    try {
      await withSource(await openStateSource(path), async (source) => {
        const started = performance.now();
        const result = await loadState(target.store, source, { force: opts.force, forceHint: 'restore with --force to replace it' });
        console.log(`restored ${path} into ${target.store.location}`);
        printLoad(result, performance.now() - started);
      });
      await reportCheck(target.store, opts.quotas);
    } finally {
      await target.close();
    }
  });

  quotasOption(
    db
      .command('copy')
      .description('copy a whole state between SQLite and PostgreSQL (either way) into an empty target, then check its invariants')
      .requiredOption('--from <source>', 'a data directory, a postgres:// URL, or a backup file (SQLite or eniplane dump)')
      .requiredOption('--to <target>', 'a data directory or a postgres:// URL, holding no state'),
  ).action(async (opts: { from: string; to: string; quotas: string }) => {
    const to = targetSpec(opts.to);
    const from = isPostgresUrl(opts.from) ? opts.from : resolve(opts.from);
    if (('url' in to && to.url === from) || ('dataDir' in to && resolve(to.dataDir) === from)) throw new Error('--from and --to name the same store');
    await withSource(await openStateSource(opts.from), async (source) => {
      const target = await openTarget(to);
      try {
        const started = performance.now();
        const result = await loadState(target.store, source, { forceHint: 'copy into an empty database or data directory' });
        console.log(`copied ${source.location} (${source.kind}) to ${target.store.location} (${target.store.dialect})`);
        printLoad(result, performance.now() - started);
        await reportCheck(target.store, opts.quotas);
      } finally {
        await target.close();
      }
    });
  });

  quotasOption(
    addStoreOptions(db.command('check').description("check the store's invariants (addresses, counters, free ranges, limits, quotas); exit 1 on a violation")),
  ).action(async (opts: StoreOptions & { quotas: string }) => {
    const store = await openForReading(opts);
    try {
      await reportCheck(store, opts.quotas);
    } finally {
      await store.close();
    }
  });
}
