#!/usr/bin/env node
// The sources are TypeScript. npm install compiles them to dist/server (scripts/build-server.js),
// which starts in about half the time; that build runs only while it is newer than every file of
// src/ (scripts/server-build-state.js), so an edited source is never shadowed by a stale build: it
// runs through tsx's loader instead, as it does when there is no build or ENIPLANE_FROM_SOURCE=1.
import { freshCompiledEntry } from '../scripts/server-build-state.js';

const compiled = process.env.ENIPLANE_FROM_SOURCE === '1' ? undefined : freshCompiledEntry();
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
