import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import { vpcClient } from '../helpers/clients.ts';
import { createAccount, parseKeyPair, runCli } from '../helpers/cli.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { callV3 } from '../helpers/raw-client.ts';
import { startServer } from '../helpers/server.ts';

const region = 'cn-hangzhou';

describe('serve: accounts, persistence and the data directory', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'eniplane-life-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('serve: the first start creates an account, prints its key pair once and stores it mode 0600; the key works', async () => {
    const dataDir = freshDir();
    const first = await startServer({ dataDir, noFixedKey: true });
    try {
      const key = parseKeyPair(first.output());
      const file = join(dataDir, 'credentials.json');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).accessKeySecret, key.accessKeySecret);
      const res = await vpcClient(first, { key }).describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region }));
      assert.equal(res.body!.totalCount, 0);
    } finally {
      await first.stop();
    }
    const second = await startServer({ dataDir, noFixedKey: true });
    try {
      assert.doesNotMatch(second.output(), /AccessKeySecret/, 'the pair is printed only on the first start');
    } finally {
      await second.stop();
    }
  });

  test('serve: state survives a restart (SIGTERM and SIGKILL alike)', async () => {
    const dataDir = freshDir();
    const a = await startServer({ dataDir });
    const vpcId = (await vpcClient(a).createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '192.168.0.0/16', vpcName: 'kept' }))).body!.vpcId!;
    await a.stop('SIGKILL');
    const b = await startServer({ dataDir });
    try {
      const res = await vpcClient(b).describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, vpcId }));
      assert.equal(res.body!.vpcs!.vpc![0]!.vpcName, 'kept');
    } finally {
      await b.stop();
    }
  });

  test('serve: a SignatureNonce spent before a SIGKILL is still refused after the restart', async () => {
    // On SQLite the server's memory decides replays and a log on disk carries them over restarts.
    const dataDir = freshDir();
    const a = await startServer({ dataDir });
    const first = await callV3(a.endpoint, 'DescribeVpcs', '2016-04-28', { RegionId: region }, { nonce: 'nonce-across-restart' });
    assert.equal(first.status, 200);
    await a.stop('SIGKILL');
    const b = await startServer({ dataDir });
    try {
      const replay = await callV3(b.endpoint, 'DescribeVpcs', '2016-04-28', { RegionId: region }, { nonce: 'nonce-across-restart' });
      assert.equal(replay.json().Code, 'SignatureNonceUsed');
      const fresh = await callV3(b.endpoint, 'DescribeVpcs', '2016-04-28', { RegionId: region }, { nonce: 'nonce-after-restart' });
      assert.equal(fresh.status, 200);
    } finally {
      await b.stop();
    }
  });

  test('serve: a second server on the same data directory is refused with a clear message', async () => {
    const dataDir = freshDir();
    const a = await startServer({ dataDir });
    try {
      await assert.rejects(startServer({ dataDir }), /in use by another eniplane server \(pid \d+\)/);
    } finally {
      await a.stop();
    }
  });

  test('serve: binding beyond loopback with a key pair created on the spot is refused', async () => {
    const r = runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', freshDir()], { ENIPLANE_ACCESS_KEY_ID: '', ENIPLANE_ACCESS_KEY_SECRET: '' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0/);
  });

  test("accounts: another account has its own resources; the first account's IDs are not found for it", async () => {
    const server = await startServer({ dataDir: freshDir() });
    try {
      const mine = vpcClient(server);
      const vpcId = (await mine.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '10.0.0.0/16' }))).body!.vpcId!;
      const other = vpcClient(server, { key: createAccount(server, 'team-b') });
      assert.equal((await other.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region }))).body!.totalCount, 0);
      await expectApiError(other.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: region, vpcId })), 'InvalidVpcId.NotFound', 404);
      await expectApiError(
        other.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.1.0/24' })),
        'InvalidVpcId.NotFound',
        404,
      );
      await expectApiError(
        other.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: region, vpcId, vpcName: 'x' })),
        'InvalidVpcId.NotFound',
        404,
      );
      // Still intact for its owner.
      assert.equal((await mine.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, vpcId }))).body!.vpcs!.vpc![0]!.vpcName, '');
    } finally {
      await server.dispose();
    }
  });
});
