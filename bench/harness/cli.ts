import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What every benchmark's command line shares: where the tree is, option parsing, the main-module check. */

/** The tree this bench/ belongs to (the "current" tree of a comparison). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A positive number from a command-line option, or a clear error naming it. */
export function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return n;
}

/** A comma-separated option's items, each checked against `allowed`. */
export function listOption<T extends string>(name: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(',').map((s) => s.trim());
  for (const s of items) if (!allowed.includes(s as T)) throw new Error(`--${name} takes ${allowed.join(', ')}; got "${s}"`);
  return items as T[];
}

/** True when the module at `url` is the script node was started with (a benchmark's file also exports its workload to bench/compare.ts). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === url;
}

/** The npm command that reproduces this run, for the report. */
export function commandLine(script: string): string {
  const args = process.argv.slice(2);
  return `npm run ${script}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
}
