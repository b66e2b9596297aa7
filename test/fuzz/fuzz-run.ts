import { basename } from 'node:path';
import fc from 'fast-check';

/**
 * How many fuzzed requests a run sends, and from which seed (test/fuzz/*.test.ts).
 *
 *   ENIPLANE_FUZZ_RUNS   requests in the whole fuzz suite (split between its files by their share)
 *   ENIPLANE_FUZZ_SEED   the seed, to replay a failed run exactly; a fresh one per run otherwise
 *
 * The seed is drawn anew for every run, so each CI run explores new inputs; it is printed when a
 * property fails, with the command that replays the run. A replay needs the same seed and at least
 * as many runs: the server's state (the store, the clock, spent nonces) is built by every request
 * before the failing one, so the whole sequence is sent again, not the failing request alone.
 */

/**
 * The CI-sized count: 100,000 fuzzed requests fit the ~2 minutes the suite may take on a 2-core CI
 * machine (measured: README "Fuzzing"). ENIPLANE_FUZZ_RUNS raises or lowers it.
 */
export const DEFAULT_FUZZ_RUNS = 100_000;

function envInteger(name: string): number | undefined {
  const text = process.env[name]?.trim();
  if (!text) return undefined;
  if (!/^-?\d+$/.test(text)) throw new Error(`${name} must be an integer, not "${text}"`);
  return Number(text);
}

export const FUZZ_RUNS = Math.max(1, envInteger('ENIPLANE_FUZZ_RUNS') ?? DEFAULT_FUZZ_RUNS);
export const FUZZ_SEED = envInteger('ENIPLANE_FUZZ_SEED') ?? Math.floor(Math.random() * 0x7fffffff);

/** This file's part of the run: `share` of ENIPLANE_FUZZ_RUNS, at least `floor` (every property runs some). */
export function runsFor(share: number, floor = 20): number {
  return Math.max(floor, Math.round(FUZZ_RUNS * share));
}

/** The command that replays this run of one file. */
export function replayCommand(file: string): string {
  return `ENIPLANE_FUZZ_SEED=${FUZZ_SEED} ENIPLANE_FUZZ_RUNS=${FUZZ_RUNS} node --import tsx --test test/fuzz/${basename(file)}`;
}

/**
 * Runs an asynchronous property `numRuns` times from the run's seed. A failure names the seed and
 * the replay command before fast-check's own report (counterexample, shrunk where it could be).
 */
export async function fuzz<T>(file: string, numRuns: number, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>): Promise<void> {
  try {
    await fc.assert(fc.asyncProperty(arbitrary, predicate), { seed: FUZZ_SEED, numRuns, includeErrorInReport: true });
  } catch (err) {
    const report = err instanceof Error ? err.message : String(err);
    throw new Error(`fuzz failed with seed ${FUZZ_SEED}; replay with:\n  ${replayCommand(file)}\n${report}`, { cause: err });
  }
}

/** Requests per second of a finished run, and the CPU time this process used (GC threads included). */
export function rateOf(requests: number, started: { wall: number; cpu: NodeJS.CpuUsage }): string {
  const wall = (performance.now() - started.wall) / 1000;
  const used = process.cpuUsage(started.cpu);
  return `${requests} requests in ${wall.toFixed(1)} s: ${Math.round(requests / wall)}/s (${((used.user + used.system) / 1e6).toFixed(1)} CPU-seconds)`;
}
