#!/usr/bin/env node
// Runs every test file (test/**/*.test.ts) with Node's built-in runner through tsx, on SQLite,
// and meanwhile the API, store and crash suites again on PostgreSQL (a fresh database per test
// server); then test/replicas (several servers on one PostgreSQL database) and test/dataplane.
//
//   npm test                      everything
//   npm test -- test/unit         only files whose path contains one of the arguments
//
// PostgreSQL: ENIPLANE_TEST_PG (default postgres://postgres@127.0.0.1:5432). When it cannot be
// reached the PostgreSQL run is skipped with a loud notice, except in CI (CI=true), where that
// is a failure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freshCompiledEntry } from './server-build-state.js';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function testArgs(files, concurrency) {
  return ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files];
}
// Every query template is checked against Kysely's own build (src/store/query-template.ts).
const testEnv = (env) => ({ ...process.env, ENIPLANE_CHECK_QUERIES: '1', ...env });

/**
 * One pass, its output on this terminal as it goes. Asynchronous (not spawnSync), so a buffered
 * pass running meanwhile keeps draining its pipes.
 */
function run(files, env = {}, concurrency = 2) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, testArgs(files, concurrency), { stdio: 'inherit', env: testEnv(env) });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** One pass in the background, its output kept and printed (under its title) once it is done. */
function runBuffered(title, files, env = {}, concurrency = 2) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, testArgs(files, concurrency), { stdio: ['ignore', 'pipe', 'pipe'], env: testEnv(env) });
    const chunks = [];
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    child.on('close', (code) => {
      console.log(`\n== ${title} ==\n`);
      process.stdout.write(Buffer.concat(chunks));
      resolve(code ?? 1);
    });
  });
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

// The servers and CLI commands the tests start run bin/eniplane.js, which runs the compiled server
// (dist/server) only while it is newer than src/: rebuild it when src/ changed, so they start in
// about half the time (tsx's loader otherwise).
if (!freshCompiledEntry()) {
  console.log('building the server (npm run build:server)');
  const build = spawnSync(process.execPath, [join('scripts', 'build-server.js')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
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

// Suites that talk to a server through its store; the ones about SQLite files stay on SQLite.
const SQLITE_ONLY = ['server-lifecycle', 'quickstart'];
// test/store and test/crash: tests whose PostgreSQL cases run only in this pass (skipped, with that
// reason, in the SQLite one). test/app (the listeners through app.inject, on an in-memory SQLite
// store) has nothing that depends on the store's backend: the SQLite pass covers it.
const PG_CASES = ['api', 'store', 'crash'].map((dir) => join('test', dir));
const pgFiles = files.filter((f) => PG_CASES.some((dir) => f.startsWith(dir)) && !SQLITE_ONLY.some((s) => f.includes(s)));
const pgUrl = process.env.ENIPLANE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
const pgUp = pgFiles.length > 0 || replicaFiles.length > 0 ? await postgresReachable(pgUrl) : false;

// The SQLite pass and the PostgreSQL pass of the API and store suites run at the same time: most
// of their time is spent waiting (asynchronous states' delays, polling, server starts), so
// together they take little more than the longer one. ENIPLANE_TEST_SERIAL=1 runs them in turn.
const serial = process.env.ENIPLANE_TEST_SERIAL === '1';
const pgTitle = `the API, store and crash suites again, on PostgreSQL (${pgUrl})`;
const pgPass = pgUp && pgFiles.length > 0 && !serial ? runBuffered(pgTitle, pgFiles, { ENIPLANE_TEST_PG: pgUrl }) : undefined;
let status = sqliteFiles.length > 0 ? await run(sqliteFiles) : 0;
if (pgPass) status = (await pgPass) || status;
else if (pgUp && pgFiles.length > 0) {
  console.log(`\n== ${pgTitle} ==\n`);
  status = (await run(pgFiles, { ENIPLANE_TEST_PG: pgUrl })) || status;
}
// Then, alone, what loads the machine on purpose or needs its timing: replicas, the data plane.
if (pgUp && replicaFiles.length > 0) {
  console.log(`\n== several replicas on one PostgreSQL database (${pgUrl}) ==\n`);
  status = (await run(replicaFiles, { ENIPLANE_TEST_PG: pgUrl })) || status;
}
if (dataplaneFiles.length > 0) {
  console.log('\n== the data plane ==\n');
  status = (await run(dataplaneFiles)) || status;
}
if ((pgFiles.length > 0 || replicaFiles.length > 0) && !pgUp) {
  if (process.env.CI === 'true') {
    console.error('\nPostgreSQL is required in CI (CI=true): failing.\n');
    status = 1;
  } else {
    console.error('\n*** SKIPPED: the PostgreSQL run of the API suites and test/replicas (no server reachable; set ENIPLANE_TEST_PG). CI fails here. ***\n');
  }
}
process.exit(status);
