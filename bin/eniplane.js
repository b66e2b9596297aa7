#!/usr/bin/env node
// The sources are TypeScript, run through tsx's loader: no build step, nothing stale.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
