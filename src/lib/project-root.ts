import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root: the nearest folder above this module that holds eniplane's package.json.
 * Files that live outside the code (the catalogs' JSON, package.json, the built console) are found
 * from here, so the same module works from src/ (run through tsx) and from dist/server/ (the
 * compiled server, scripts/build-server.js), which sit at different depths.
 */
export const PROJECT_ROOT: string = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'eniplane') return dir;
    if (dirname(dir) === dir) throw new Error(`eniplane's package.json is in no folder above ${start}`);
  }
}
