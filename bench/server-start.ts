/**
 * `npm run bench:server-start [-- --rounds 9]`: how long `eniplane serve` takes from spawn to
 * listening (a fresh data directory: migrations and the root account, as every test server and
 * a first `npm start`), and a CLI command (`eniplane --help`) from spawn to exit, run compiled
 * (dist/server, what bin/eniplane.js runs when the build is fresh) and from source through tsx
 * (ENIPLANE_FROM_SOURCE=1). Rounds alternate the order of the two; the figure of record is the
 * compiled/source ratio of each round's pair (geometric mean, 90% interval).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freshCompiledEntry } from '../scripts/server-build-state.js';
import { positive, ROOT } from './harness/cli.ts';
import { describeMachine, fmt, machine, markdownTable } from './harness/report.ts';
import { runMain, track } from './harness/server.ts';
import { formatEstimate, median, ratioEstimate } from './harness/stats.ts';

const BIN = join(ROOT, 'bin', 'eniplane.js');
const MODES = ['compiled', 'source'] as const;
type Mode = (typeof MODES)[number];
const env = (mode: Mode) => ({ ...process.env, ENIPLANE_FROM_SOURCE: mode === 'source' ? '1' : '0' });

/** Spawn to the "listening" line, then SIGTERM and wait for the exit (not timed). */
async function serveReady(mode: Mode): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-start-'));
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', dataDir, '--port', '0', '--metadata-port', '0'], {
    env: env(mode),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  try {
    return await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('listening on')) resolve(performance.now() - started);
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => reject(new Error(`serve exited (${code}) before listening:\n${out}`)));
    });
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function cliHelp(mode: Mode): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, '--help'], { env: env(mode), stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`eniplane --help exited ${r.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '9' } } });
  const rounds = Math.floor(positive('rounds', values.rounds));
  if (!freshCompiledEntry()) {
    console.log('building the server (npm run build:server)');
    if (spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-server.js')], { stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  }
  console.log(`bench:server-start: ${describeMachine(machine())}`);
  const times: Record<'serve' | 'cli', Record<Mode, number[]>> = { serve: { compiled: [], source: [] }, cli: { compiled: [], source: [] } };
  // One unrecorded start of each warms the page cache and tsx's transform cache.
  for (const mode of MODES) await serveReady(mode);
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 ? MODES : ([...MODES].reverse() as Mode[]);
    for (const mode of order) {
      times.serve[mode].push(await serveReady(mode));
      times.cli[mode].push(cliHelp(mode));
    }
    console.log(`  round ${round}/${rounds}: serve ${order.map((m) => `${m} ${fmt(times.serve[m].at(-1)!)} ms`).join(', ')}`);
  }
  const rows = (['serve', 'cli'] as const).map((what) => {
    const ratio = ratioEstimate(times[what].compiled.map((c, i) => c / times[what].source[i]!));
    return [
      what === 'serve' ? '`serve` to listening (fresh data dir)' : '`eniplane --help` to exit',
      fmt(median(times[what].compiled)),
      fmt(median(times[what].source)),
      formatEstimate(ratio),
    ];
  });
  console.log(`\n${markdownTable(['measured', 'compiled median ms', 'from source (tsx) median ms', 'compiled / source'], rows)}`);
}

runMain('bench:server-start', main);
