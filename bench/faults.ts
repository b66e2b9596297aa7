/**
 * `npm run bench:faults [-- OPTIONS]`: what fault injection costs a call that no rule names, the
 * case of nearly every call (src/api/fault-injection.ts: one read of the rules' generation token,
 * then a map lookup). In-process, on each store: the injector's check alone, for an account
 * without rules and for one whose rules name other actions, against the same-run reference of
 * the whole signed no-op's invoke (DescribeRegions through createInvoker, no HTTP). PostgreSQL's
 * checks run `--concurrency` at a time, as a server's calls do (one token query per event-loop turn).
 *
 * Options: --calls 20000  --rounds 5  --concurrency 32  --stores sqlite,postgres  --out FILE
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createFaultInjector } from '../src/api/fault-injection.ts';
import { createInvoker } from '../src/api/invoke.ts';
import { resolveProductAction } from '../src/api/registry.ts';
import { defaultServerConfig, parseDelays } from '../src/config.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { cryptoRandom } from '../src/lib/random.ts';
import { createAccount } from '../src/services/accounts.ts';
import { migrateToLatest, openStore, sqliteFileIn, type Store } from '../src/store/db.ts';
import { commandLine, listOption, positive } from './harness/cli.ts';
import { describeMachine, fmt, machine, markdownTable, writeReport } from './harness/report.ts';
import { installDeadline, runMain } from './harness/server.ts';
import { median } from './harness/stats.ts';

const PG_ADMIN = process.env.ENIPLANE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function withPostgres<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `eniplane_bench_faults_${process.pid}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    await c.query(q);
    await c.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  try {
    const u = new URL(PG_ADMIN);
    u.pathname = `/${name}`;
    return await fn(u.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** Microseconds per call of `fn`, `calls` calls, `concurrency` in flight at a time. */
async function perCall(calls: number, concurrency: number, fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        await fn();
      }
    }),
  );
  return ((performance.now() - t0) * 1000) / calls;
}

interface Row {
  store: string;
  noRulesUs: number;
  otherRulesUs: number;
  noopUs: number;
}

async function measure(kind: string, store: Store, calls: number, rounds: number, concurrency: number): Promise<Row> {
  await migrateToLatest(store);
  const log = createLogger('warn');
  const settings = { ...defaultServerConfig, delays: parseDelays('none') };
  const bare = await createAccount(store, 'no-rules', systemClock, cryptoRandom);
  const ruled = await createAccount(store, 'other-rules', systemClock, cryptoRandom);
  const faults = createFaultInjector({ store, log });
  const invoker = createInvoker({ store, settings, clock: systemClock, random: cryptoRandom, faults });
  // Rules of the second account name other actions than the one measured.
  for (const target of ['Ecs:AttachNetworkInterface', 'Vpc:CreateVSwitch', 'Ecs:CreateNetworkInterface']) {
    await invoker.invoke('Eniplane', 'AddFault', { TargetAction: target, Code: 'InternalError' }, { accountId: ruled.accountId });
  }
  const found = resolveProductAction('Ecs', 'DescribeRegions');
  if (found.kind !== 'found') throw new Error('DescribeRegions is not registered');
  const def = found.action.def;
  const conc = kind === 'sqlite' ? 1 : concurrency;
  const noRules: number[] = [];
  const otherRules: number[] = [];
  const noop: number[] = [];
  for (let round = 0; round < rounds; round++) {
    noRules.push(await perCall(calls, conc, () => faults.before(def, {}, { accountId: bare.accountId })));
    otherRules.push(await perCall(calls, conc, () => faults.before(def, {}, { accountId: ruled.accountId })));
    noop.push(await perCall(calls, conc, () => invoker.invoke('Ecs', 'DescribeRegions', {}, { accountId: bare.accountId })));
  }
  const row = { store: kind, noRulesUs: median(noRules), otherRulesUs: median(otherRules), noopUs: median(noop) };
  console.log(
    `  ${kind}: check ${fmt(row.noRulesUs, 2)} µs (rules of other actions: ${fmt(row.otherRulesUs, 2)} µs); DescribeRegions invoke ${fmt(row.noopUs, 2)} µs`,
  );
  return row;
}

async function main() {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '32' },
      stores: { type: 'string', default: 'sqlite,postgres' },
      out: { type: 'string', default: 'bench/results/faults.json' },
    },
  });
  const calls = Math.floor(positive('calls', values.calls));
  const rounds = Math.floor(positive('rounds', values.rounds));
  const concurrency = Math.floor(positive('concurrency', values.concurrency));
  const stores = listOption('stores', values.stores!, ['sqlite', 'postgres'] as const);
  installDeadline(600_000, 'bench:faults');
  const host = machine();
  console.log(`bench:faults on ${describeMachine(host)}`);
  const rows: Row[] = [];
  for (const kind of stores) {
    if (kind === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-faults-'));
      const store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) });
      try {
        rows.push(await measure(kind, store, calls, rounds, concurrency));
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      rows.push(
        await withPostgres(async (url) => {
          const store = await openStore({ kind: 'postgres', url });
          try {
            return await measure(kind, store, calls, rounds, concurrency);
          } finally {
            await store.close();
          }
        }),
      );
    }
  }
  console.log('');
  console.log(
    markdownTable(
      ['store', 'check, no rules µs/call:', 'check, rules of other actions µs/call:', 'signed no-op invoke µs/call:', 'check ÷ invoke:'],
      rows.map((r) => [r.store, fmt(r.noRulesUs, 2), fmt(r.otherRulesUs, 2), fmt(r.noopUs, 2), `${fmt((100 * r.noRulesUs) / r.noopUs, 1)}%`]),
    ),
  );
  writeReport(values.out!, { command: commandLine('bench:faults'), machine: host, calls, rounds, concurrency, rows });
}

runMain('bench:faults', main);
