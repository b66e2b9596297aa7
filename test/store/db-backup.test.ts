import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { runCli } from '../helpers/cli.ts';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { freshPostgresDatabase, startServer, type RunningServer } from '../helpers/server.ts';
import { openStore, sqliteFileIn, type StoreTarget } from '../../src/store/db.ts';
import { openSqliteReadOnly } from '../../src/store/transfer/store-source.ts';
import { db, dbAsync, populate, readView, tableContents } from './state-kit.ts';

/**
 * `eniplane db backup` and `db restore`. The SQLite tests run in the SQLite pass of `npm test`;
 * the PostgreSQL one in its PostgreSQL pass (ENIPLANE_TEST_PG), which CI always runs.
 */
const PG = process.env.ENIPLANE_TEST_PG;
const sqliteSkip = PG ? 'ran in the SQLite pass' : false;
const pgSkip = PG ? false : 'runs in the PostgreSQL pass (ENIPLANE_TEST_PG=postgres://USER@HOST:PORT)';
if (pgSkip) console.error(`\n*** SKIPPED: the PostgreSQL case of test/store/db-backup (${pgSkip}). CI fails without PostgreSQL. ***\n`);

const regionId = 'cn-hangzhou';

async function contentsOf(target: StoreTarget): Promise<Record<string, string[]>> {
  const store = await openStore(target);
  try {
    return await tableContents(store);
  } finally {
    await store.close();
  }
}

/** The rows of a backup file, opened read-only (as `db restore` reads it). */
async function contentsOfFile(file: string): Promise<Record<string, string[]>> {
  const store = openSqliteReadOnly(file);
  try {
    return await tableContents(store);
  } finally {
    await store.close();
  }
}

async function eniIds(server: RunningServer): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let nextToken: string | undefined; ;) {
    const body = (await ecsClient(server).describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, maxResults: 500, nextToken }))).body!;
    for (const e of body.networkInterfaceSets?.networkInterfaceSet ?? []) ids.add(e.networkInterfaceId!);
    if (!body.nextToken) return ids;
    nextToken = body.nextToken;
  }
}

test(
  'db backup (SQLite): a consistent copy taken while clients write holds every ENI acknowledged before it began; it restores into an empty data directory, refuses one that holds a state unless --force',
  { skip: sqliteSkip, timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-backup-'));
    const live = join(dir, 'live');
    const quotas = ['--quotas', 'max-elastic-network-interfaces=5000'];
    const server = await startServer({ dataDir: live, args: quotas });
    try {
      const vpc = vpcClient(server);
      const ecs = ecsClient(server);
      const { vpcId } = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }))).body!;
      const { vSwitchId } = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.0.0/16' })))
        .body!;
      const { securityGroupId } = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!;

      // Eight clients create ENIs until told to stop; every acknowledged creation is noted.
      const acked: string[] = [];
      let writing = true;
      const writers = Array.from({ length: 8 }, async () => {
        while (writing) {
          const r = await ecs.createNetworkInterface(
            new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, secondaryPrivateIpAddressCount: 1 }),
          );
          acked.push(r.body!.networkInterfaceId!);
        }
      });
      while (acked.length < 50) await new Promise((r) => setTimeout(r, 20));
      const ackedBefore = [...acked];
      const backup = join(dir, 'online.sqlite');
      const run = await dbAsync(['backup', backup, '--data-dir', live]);
      const ackedAfter = acked.length;
      writing = false;
      await Promise.all(writers);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /backed up .* \(SQLite database, [\d,]+ bytes, mode 0600\)/);
      assert.ok(ackedAfter > ackedBefore.length, `the clients kept writing during the backup (${ackedBefore.length} → ${ackedAfter})`);
      assert.equal(statSync(backup).mode & 0o777, 0o600);

      // An existing file is not overwritten without --force.
      const again = runCli(['db', 'backup', backup, '--data-dir', live]);
      assert.equal(again.status, 1);
      assert.match(again.stderr, /exists; choose another name, or --force/);

      // Restored into an empty data directory: the checker passes, and every ENI acknowledged before the backup is there.
      const restoredDir = join(dir, 'restored');
      const restored = db(['restore', backup, '--data-dir', restoredDir, ...quotas]);
      assert.match(restored, /invariants: all hold/);
      const copy = await startServer({ dataDir: restoredDir, args: quotas });
      let inBackup: Set<string>;
      try {
        inBackup = await eniIds(copy);
      } finally {
        await copy.stop();
      }
      for (const id of ackedBefore) assert.ok(inBackup.has(id), `ENI ${id}, acknowledged before the backup, is in it`);
      for (const id of inBackup) assert.ok(acked.includes(id), `ENI ${id} of the backup was acknowledged to a client`);

      // Two backups of the stopped server, one a SQLite file, one a dump, restore to the same rows.
      const dump = join(dir, 'quiet.dump');
      db(['backup', dump, '--format', 'dump', '--data-dir', live]);
      assert.equal(readFileSync(dump).subarray(0, 2).toString('hex'), '1f8b');
      const fromDump = join(dir, 'from-dump');
      assert.match(db(['restore', dump, '--data-dir', fromDump, ...quotas]), /invariants: all hold/);
      await server.stop();
      assert.deepEqual(await contentsOf({ kind: 'sqlite', file: sqliteFileIn(fromDump) }), await contentsOf({ kind: 'sqlite', file: sqliteFileIn(live) }));

      // A store that holds a state is refused, unless --force (then it holds the backup's state, and only that).
      const refused = runCli(['db', 'restore', backup, '--data-dir', live]);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /already holds a state \(accounts 1, .*network_interfaces \d+.*\); restore with --force to replace it/);
      assert.match(db(['restore', backup, '--data-dir', live, '--force', ...quotas]), /replaced [\d,]+ rows the target held \(--force\)/);
      assert.deepEqual(await contentsOf({ kind: 'sqlite', file: sqliteFileIn(live) }), await contentsOfFile(backup));

      // A dump cut short restores nothing (and says why); the same target then takes a whole one.
      const cut = join(dir, 'cut.dump');
      db(['backup', cut, '--format', 'dump', '--data-dir', live]);
      truncateSync(cut, Math.floor(statSync(cut).size / 2));
      const fresh = join(dir, 'fresh');
      const broken = runCli(['db', 'restore', cut, '--data-dir', fresh]);
      assert.equal(broken.status, 1);
      assert.match(broken.stderr, /damaged or cut short|ends early/);
      assert.match(db(['restore', dump, '--data-dir', fresh, ...quotas]), /invariants: all hold/);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'db backup (PostgreSQL): an eniplane dump restores into an empty PostgreSQL database and into SQLite with every row, and serves the same answers',
  { skip: pgSkip, timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-backup-pg-'));
    const source = await freshPostgresDatabase();
    const target = await freshPostgresDatabase();
    try {
      const server = await startServer({ dbUrl: source.url });
      let made;
      let before;
      const dump = join(dir, 'pg.dump');
      try {
        made = await populate(server);
        before = await readView(server, made.keys);
        // Online: the server is still running.
        assert.match(db(['backup', dump, '--db', source.url]), /\(eniplane dump, [\d,]+ bytes, mode 0600\)/);
      } finally {
        await server.stop();
      }
      const sourceRows = await contentsOf({ kind: 'postgres', url: source.url });
      const sqlite = runCli(['db', 'backup', join(dir, 'x.sqlite'), '--format', 'sqlite', '--db', source.url]);
      assert.equal(sqlite.status, 1);
      assert.match(sqlite.stderr, /a PostgreSQL store is backed up as a dump/);

      assert.match(db(['restore', dump, '--db', target.url]), /invariants: all hold/);
      assert.deepEqual(await contentsOf({ kind: 'postgres', url: target.url }), sourceRows);
      const refused = runCli(['db', 'restore', dump, '--db', target.url]);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /already holds a state/);

      const sqliteDir = join(dir, 'sqlite');
      assert.match(db(['restore', dump, '--data-dir', sqliteDir]), /invariants: all hold/);
      assert.deepEqual(await contentsOf({ kind: 'sqlite', file: sqliteFileIn(sqliteDir) }), sourceRows);
      for (const options of [{ dbUrl: target.url }, { dataDir: sqliteDir }]) {
        const restored = await startServer(options);
        try {
          assert.deepEqual(await readView(restored, made.keys), before);
        } finally {
          await restored.stop();
        }
      }
    } finally {
      await source.drop();
      await target.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
