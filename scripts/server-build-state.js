// Whether the compiled server (dist/server, scripts/build-server.js) may run: only while it is
// newer than every file of src/, so an edited source is never shadowed by a stale build.
// bin/eniplane.js and scripts/run-tests.js ask; plain JavaScript, as bin/ loads it before tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', 'server', 'BUILT');

/** The newest modification time of any file under dir. */
function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The compiled CLI's entry when the build is fresh; undefined when it is missing or stale. */
export function freshCompiledEntry() {
  if (!existsSync(STAMP)) return undefined;
  return statSync(STAMP).mtimeMs >= newestUnder(join(ROOT, 'src')) ? join(ROOT, 'dist', 'server', 'cli', 'main.js') : undefined;
}
