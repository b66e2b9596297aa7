import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import { runCli } from '../helpers/cli.ts';
import { ecsClient } from '../helpers/clients.ts';
import { freshPostgresDatabase, startServer } from '../helpers/server.ts';
import { openStore, sqliteFileIn, type StoreTarget } from '../../src/store/db.ts';
import { db, populate, readView, tableContents } from './state-kit.ts';

/**
 * `eniplane db copy` between SQLite and PostgreSQL. Runs in the PostgreSQL pass of `npm test`
 * (ENIPLANE_TEST_PG); CI runs both passes, and fails when PostgreSQL cannot be reached.
 */
const PG = process.env.ENIPLANE_TEST_PG;
const skip = PG ? false : 'runs in the PostgreSQL pass (ENIPLANE_TEST_PG=postgres://USER@HOST:PORT)';
if (skip) console.error(`\n*** SKIPPED: test/store/db-copy (${skip}). CI fails without PostgreSQL. ***\n`);

async function contentsOf(target: StoreTarget): Promise<Record<string, string[]>> {
  const store = await openStore(target);
  try {
    return await tableContents(store);
  } finally {
    await store.close();
  }
}

test(
  'db copy: a state made through the SDK on SQLite, copied to a fresh PostgreSQL database, reads back identical there and after a copy back to SQLite; ClientTokens, nonces and console sessions included',
  { skip, timeout: 240_000 },
  async () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'eniplane-copy-a-')), mkdtempSync(join(tmpdir(), 'eniplane-copy-b-'))];
    const pg = await freshPostgresDatabase();
    try {
      // 1. The state, on SQLite.
      let server = await startServer({ dataDir: dirs[0] });
      const made = await populate(server);
      const before = await readView(server, made.keys);
      await server.stop();
      const sqliteRows = await contentsOf({ kind: 'sqlite', file: sqliteFileIn(dirs[0]!) });

      // 2. Copied to PostgreSQL: every row and value as it was; the checker finds nothing wrong.
      const copied = db(['copy', '--from', dirs[0]!, '--to', pg.url]);
      assert.match(copied, /invariants: all hold/);
      assert.match(copied, /network_interfaces \d+/, copied);
      assert.deepEqual(await contentsOf({ kind: 'postgres', url: pg.url }), sqliteRows);

      // 3. Served from PostgreSQL: the same answers, the ClientToken and the spent nonce still known, the console still signed in.
      server = await startServer({ dbUrl: pg.url });
      assert.deepEqual(await readView(server, made.keys), before);
      const again = await ecsClient(server).createNetworkInterface(made.tokenCall.request);
      assert.equal(again.body!.networkInterfaceId, made.tokenCall.eniId, 'the ClientToken answers with the ENI it made before the copy');
      const replayed = await made.replay(server);
      assert.equal(replayed.status, 400, replayed.text);
      assert.equal(replayed.json().Code, 'SignatureNonceUsed');
      const session = await fetch(`http://${server.endpoint}/console/api/session`, { headers: { cookie: made.consoleCookie } });
      assert.equal(session.status, 200, await session.text());
      await server.stop();

      // 4. A target that holds a state is refused, and left as it was.
      const refused = runCli(['db', 'copy', '--from', dirs[0]!, '--to', pg.url]);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /already holds a state \(accounts 2, /);

      // 5. And back to SQLite: identical again.
      const back = db(['copy', '--from', pg.url, '--to', dirs[1]!]);
      assert.match(back, /invariants: all hold/);
      assert.deepEqual(await contentsOf({ kind: 'sqlite', file: sqliteFileIn(dirs[1]!) }), await contentsOf({ kind: 'postgres', url: pg.url }));
      server = await startServer({ dataDir: dirs[1] });
      try {
        assert.deepEqual(await readView(server, made.keys), before);
        const created = await ecsClient(server).describeNetworkInterfaces(
          new $Ecs.DescribeNetworkInterfacesRequest({ regionId: 'cn-hangzhou', networkInterfaceName: 'with-token' }),
        );
        assert.equal(created.body!.totalCount, 1, 'the ClientToken made one ENI, across both copies');
        assert.equal((await made.replay(server)).json().Code, 'SignatureNonceUsed');
      } finally {
        await server.stop();
      }
    } finally {
      await pg.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  },
);
