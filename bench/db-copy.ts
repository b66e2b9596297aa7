/**
 * `npm run bench:db-copy [-- OPTIONS]`: how fast a whole state moves. A SQLite seed of N ENIs
 * (harness/seed.ts: made through the API in-process, cells of 101 ENIs with their addresses,
 * groups and attachments) is backed up (a SQLite file, and an eniplane dump), copied to a fresh
 * PostgreSQL database and back to a fresh SQLite data directory, the dump restored into another
 * PostgreSQL database, and the copy checked (`db check`): each step is the `eniplane db` command
 * a user runs, timed from outside (wall, process start included) and, for loads, by the command
 * itself (the rows' transaction alone, migrations left out).
 *
 * Options: --enis 20000  --seed-parallel 16  --deadline 1800  --out FILE
 * PostgreSQL: ENIPLANE_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres, the admin database).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { describeMachine, fmt, machine, markdownTable, mib, writeReport } from './harness/report.ts';
import { emptySeed, growInChild } from './harness/seed.ts';
import { installDeadline, runMain, track } from './harness/server.ts';
import { sqliteSeed } from './harness/stores.ts';

const ADMIN_URL = process.env.ENIPLANE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `eniplane db ARGS` to completion; its output and its wall time. */
function eniplaneDb(args: string[]): Promise<{ stdout: string; seconds: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/eniplane.js'), 'db', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve({ stdout, seconds: (performance.now() - t0) / 1000 })
        : reject(new Error(`eniplane db ${args.join(' ')} exited ${code}:\n${stdout}${stderr}`)),
    );
  });
}

/** The figures `db copy` and `db restore` print: "N rows in X s (R rows/s), Y s with the migrations". */
function loadFigures(stdout: string): { rows: number; rowSeconds: number } {
  const m = /([\d,]+) rows in ([\d.]+) s \(/.exec(stdout);
  if (!m) throw new Error(`no row count in:\n${stdout}`);
  if (!/invariants: all hold/.test(stdout)) throw new Error(`the checker found violations:\n${stdout}`);
  return { rows: Number(m[1]!.replace(/,/g, '')), rowSeconds: Number(m[2]) };
}

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      enis: { type: 'string', default: '20000' },
      'seed-parallel': { type: 'string', default: '16' },
      deadline: { type: 'string', default: '1800' },
      out: { type: 'string', default: join(ROOT, 'bench/results/db-copy.json') },
    },
  });
  const enis = Math.floor(positive('enis', opts.enis));
  installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:db-copy');
  const info = machine();
  console.log(`bench:db-copy: ${describeMachine(info)}`);

  const seed = sqliteSeed();
  const work = mkdtempSync(join(tmpdir(), 'eniplane-bench-db-copy-'));
  const databases = ['a', 'b'].map((x) => `eniplane_bench_copy_${process.pid}_${x}`);
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  try {
    const t0 = performance.now();
    const state = await growInChild(
      {
        type: 'seed',
        target: seed.target,
        state: emptySeed(),
        size: enis,
        createCells: 0,
        parallel: Math.floor(positive('seed-parallel', opts['seed-parallel'])),
      },
      'sqlite',
      (n) => console.log(`  seeding: ${fmt(n)} ENIs`),
    );
    console.log(`bench:db-copy: seeded ${fmt(state.enis)} ENIs in ${fmt((performance.now() - t0) / 1000)} s; ${mib(await seed.size())} MiB`);
    const seedDir = join(seed.target.kind === 'sqlite' ? seed.target.file : '', '..');
    for (const db of databases) await admin(`create database ${db}`);
    const [pgA, pgB] = databases.map(databaseUrl) as [string, string];

    const record = (step: string, seconds: number, load?: { rows: number; rowSeconds: number }, bytes?: number) => {
      results.push({ step, seconds, ...load, bytes });
      rows.push([
        step,
        fmt(seconds, 2),
        load ? fmt(load.rows) : '–',
        load ? fmt(load.rowSeconds, 2) : '–',
        load ? fmt(load.rows / load.rowSeconds) : '–',
        load ? fmt(state.enis / load.rowSeconds) : '–',
        bytes !== undefined ? mib(bytes) : '–',
      ]);
      console.log(`  ${step}: ${fmt(seconds, 2)} s${load ? `, ${fmt(load.rows)} rows in ${load.rowSeconds} s` : ''}`);
    };
    const sqliteBackup = join(work, 'backup.sqlite');
    record(
      'db backup (SQLite: VACUUM INTO)',
      (await eniplaneDb(['backup', sqliteBackup, '--data-dir', seedDir])).seconds,
      undefined,
      statSync(sqliteBackup).size,
    );
    const dump = join(work, 'backup.dump');
    record(
      'db backup --format dump (SQLite → dump)',
      (await eniplaneDb(['backup', dump, '--format', 'dump', '--data-dir', seedDir])).seconds,
      undefined,
      statSync(dump).size,
    );
    let r = await eniplaneDb(['copy', '--from', seedDir, '--to', pgA]);
    record('db copy SQLite → PostgreSQL', r.seconds, loadFigures(r.stdout));
    console.log(r.stdout.replace(/^/gm, '    '));
    r = await eniplaneDb(['copy', '--from', pgA, '--to', join(work, 'back')]);
    record('db copy PostgreSQL → SQLite', r.seconds, loadFigures(r.stdout));
    r = await eniplaneDb(['restore', dump, '--db', pgB]);
    record('db restore (dump → PostgreSQL)', r.seconds, loadFigures(r.stdout));
    const pgDump = join(work, 'pg.dump');
    record('db backup (PostgreSQL → dump)', (await eniplaneDb(['backup', pgDump, '--db', pgA])).seconds, undefined, statSync(pgDump).size);
    record('db check (PostgreSQL)', (await eniplaneDb(['check', '--db', pgA])).seconds);
  } finally {
    for (const db of databases) await admin(`drop database if exists ${db} with (force)`);
    await seed.drop();
    rmSync(work, { recursive: true, force: true });
  }
  const table = markdownTable(['step', 'wall s:', 'rows:', 'rows s:', 'rows/s:', 'ENIs/s:', 'file MiB:'], rows);
  console.log(`\n${table}\n`);
  writeReport(opts.out, { command: commandLine('bench:db-copy'), date: new Date().toISOString(), machine: info, settings: { enis }, results, markdown: table });
}

runMain('bench:db-copy', main);
