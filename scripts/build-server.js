#!/usr/bin/env node
// Compiles src/ to dist/server (tsconfig.build.json): the server and the CLI then start without
// tsx's loader, in about half the time (BENCHMARKS.md "Server start"). bin/eniplane.js runs this
// build only while it is newer than every file of src/, and tsx on the sources otherwise, so a
// stale build never runs. npm install builds it (the `prepare` script); `npm test` rebuilds it
// when src/ changed.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'server');
// A file removed from src/ must not live on in the build.
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (build.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  process.exit(build.status ?? 1);
}
// Written last: its time is what bin/eniplane.js compares with the sources'.
writeFileSync(join(out, 'BUILT'), `${new Date().toISOString()}\n`);
