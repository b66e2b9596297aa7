import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { freshPostgresDatabase, startServer, type RunningServer } from '../helpers/server.ts';

/** examples/sqlite-to-postgres.sh, run as an operator would. Runs in the PostgreSQL pass of `npm test` (ENIPLANE_TEST_PG). */
const PG = process.env.ENIPLANE_TEST_PG;
const skip = PG ? false : 'runs in the PostgreSQL pass (ENIPLANE_TEST_PG=postgres://USER@HOST:PORT)';
if (skip) console.error(`\n*** SKIPPED: test/store/sqlite-to-postgres-example (${skip}). CI fails without PostgreSQL. ***\n`);

const SCRIPT = fileURLToPath(new URL('../../examples/sqlite-to-postgres.sh', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/eniplane.js', import.meta.url));
const regionId = 'cn-hangzhou';

async function enis(server: RunningServer): Promise<unknown> {
  const body = (await ecsClient(server).describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, maxResults: 100 }))).body!.toMap();
  delete body.RequestId;
  return body;
}

test(
  'examples/sqlite-to-postgres.sh: a backup, the copy, the check; PostgreSQL then answers as SQLite did; run again, it refuses the database it filled',
  { skip, timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-example-'));
    const pg = await freshPostgresDatabase();
    try {
      const sqlite = await startServer({ dataDir: dir });
      let before: unknown;
      try {
        const vpc = vpcClient(sqlite);
        const ecs = ecsClient(sqlite);
        const { vpcId } = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16' }))).body!;
        const { vSwitchId } = (
          await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '192.168.1.0/24' }))
        ).body!;
        const { securityGroupId } = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!;
        await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId }));
        await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, secondaryPrivateIpAddressCount: 3 }));
        before = await enis(sqlite);
      } finally {
        await sqlite.stop();
      }

      const env = { ...process.env, ENIPLANE: `${process.execPath} ${BIN}` };
      const run = spawnSync('bash', [SCRIPT, dir, pg.url], { env, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /backed up .* \(SQLite database, [\d,]+ bytes, mode 0600\)/);
      assert.match(run.stdout, /copied .* \(sqlite\) to postgres:\/\/.* \(postgres\)\n {2}migration \S+; [\d,]+ rows/);
      assert.match(run.stdout, /network_interfaces 2/);
      assert.match(run.stdout, /invariants: all hold \(1 accounts, 1 vSwitches, 0 instances, 2 ENIs, 5 private IPs/);
      assert.match(run.stdout, /done: serve from PostgreSQL with: eniplane serve --db postgres:/);
      assert.ok(
        readdirSync(dir).some((f) => /^before-postgres-\d{8}-\d{6}\.sqlite$/.test(f)),
        'the backup is kept',
      );

      const served = await startServer({ dbUrl: pg.url });
      try {
        assert.deepEqual(await enis(served), before);
      } finally {
        await served.stop();
      }

      const again = spawnSync('bash', [SCRIPT, dir, pg.url], { env, encoding: 'utf8', timeout: 120_000 });
      assert.notEqual(again.status, 0);
      assert.match(again.stderr, /already holds a state/);
      assert.ok(existsSync(join(dir, 'eniplane.sqlite')));
    } finally {
      await pg.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
