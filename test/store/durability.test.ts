import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openStore, sqliteFileIn } from '../../src/store/db.ts';
import { runCli } from '../helpers/cli.ts';

/** `serve --durability`: SQLite's synchronous setting under WAL (BENCHMARKS.md measures its cost). */
test(
  'serve --durability: normal syncs at checkpoints (synchronous=NORMAL, the default), full at every commit (synchronous=FULL); anything else is refused',
  { skip: process.env.ENIPLANE_TEST_PG ? 'ran in the SQLite pass' : false },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-durability-'));
    try {
      for (const [durability, level] of [
        [undefined, 1],
        ['normal', 1],
        ['full', 2],
      ] as const) {
        const store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) }, { durability });
        try {
          assert.deepEqual((await sql`pragma journal_mode`.execute(store.db)).rows, [{ journal_mode: 'wal' }]);
          assert.deepEqual((await sql`pragma synchronous`.execute(store.db)).rows, [{ synchronous: level }], `durability ${durability ?? '(default)'}`);
        } finally {
          await store.close();
        }
      }
      const refused = runCli(['serve', '--data-dir', dir, '--port', '0', '--metadata-port', '0', '--durability', 'fast']);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /--durability takes normal or full, got "fast"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
