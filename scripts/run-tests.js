#!/usr/bin/env node
// Runs every test file (test/**/*.test.ts) with Node's built-in runner through tsx, on SQLite;
// then the API suites again on PostgreSQL (a fresh database per test server), and test/replicas
// (several servers on one PostgreSQL database).
//
//   npm test                      everything
//   npm test -- test/unit         only files whose path contains one of the arguments
//
// PostgreSQL: ENIPLANE_TEST_PG (default postgres://postgres@127.0.0.1:5432). When it cannot be
// reached the PostgreSQL run is skipped with a loud notice, except in CI (CI=true), where that
// is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function run(files, env = {}, concurrency = 2) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
    stdio: 'inherit',
    // Every query template is checked against Kysely's own build (src/store/query-template.ts).
    env: { ...process.env, ENIPLANE_CHECK_QUERIES: '1', ...env },
  });
  return result.status ?? 1;
}

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (err) {
    console.error(`PostgreSQL at ${url}: ${err.message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const filters = process.argv.slice(2);
const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// The console's browser tests (test/console) serve console/dist: build it when its sources are newer.
if (files.some((f) => f.startsWith(join('test', 'console')))) {
  const built = join('console', 'dist', 'index.html');
  const newest = (dir) =>
    Math.max(...readdirSync(dir).map((n) => (statSync(join(dir, n)).isDirectory() ? newest(join(dir, n)) : statSync(join(dir, n)).mtimeMs)));
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join('console', 'src'))) {
    console.log('building the console (npm run build:console)');
    const build = spawnSync('npm', ['run', 'build:console'], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
}

// Several replicas on one PostgreSQL database (test/replicas): on PostgreSQL only, never in the
// SQLite pass, and in a run of their own after the API suites, as they load the machine on purpose.
const REPLICAS = join('test', 'replicas');
const replicaFiles = files.filter((f) => f.startsWith(REPLICAS));
// The data plane's suites (test/dataplane) make namespaces and run reconcilers that remove every
// namespace of their prefix their store does not want: each file has its own prefix (kit.ts
// ownPrefix), so they run side by side, after the others (they load the machine).
const DATAPLANE = join('test', 'dataplane');
const dataplaneFiles = files.filter((f) => f.startsWith(DATAPLANE));
const sqliteFiles = files.filter((f) => !f.startsWith(REPLICAS) && !f.startsWith(DATAPLANE));
let status = sqliteFiles.length > 0 ? run(sqliteFiles) : 0;
if (dataplaneFiles.length > 0) {
  console.log('\n== the data plane ==\n');
  status = run(dataplaneFiles) || status;
}

// Suites that talk to a server through its store; the ones about SQLite files stay on SQLite.
const SQLITE_ONLY = ['server-lifecycle', 'quickstart'];
// test/store and test/crash: tests whose PostgreSQL cases run only in this pass (skipped, with that
// reason, in the SQLite one). test/app (the listeners through app.inject, on an in-memory SQLite
// store) has nothing that depends on the store's backend: the SQLite pass covers it.
const PG_CASES = ['api', 'store', 'crash'].map((dir) => join('test', dir));
const pgFiles = files.filter((f) => PG_CASES.some((dir) => f.startsWith(dir)) && !SQLITE_ONLY.some((s) => f.includes(s)));
if (pgFiles.length > 0 || replicaFiles.length > 0) {
  const url = process.env.ENIPLANE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
  if (await postgresReachable(url)) {
    if (pgFiles.length > 0) {
      console.log(`\n== the API and store suites again, on PostgreSQL (${url}) ==\n`);
      status = run(pgFiles, { ENIPLANE_TEST_PG: url }) || status;
    }
    if (replicaFiles.length > 0) {
      console.log(`\n== several replicas on one PostgreSQL database (${url}) ==\n`);
      status = run(replicaFiles, { ENIPLANE_TEST_PG: url }) || status;
    }
  } else if (process.env.CI === 'true') {
    console.error('\nPostgreSQL is required in CI (CI=true): failing.\n');
    status = 1;
  } else {
    console.error('\n*** SKIPPED: the PostgreSQL run of the API suites and test/replicas (no server reachable; set ENIPLANE_TEST_PG). CI fails here. ***\n');
  }
}
process.exit(status);
