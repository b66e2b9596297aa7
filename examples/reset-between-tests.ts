/**
 * Resetting state between tests (README "Resetting state"): a node:test suite whose beforeEach
 * calls ResetAccount, so each test starts from an empty account with the same keys, as moto's
 * reset does for a suite against its fake AWS. Against a running eniplane:
 *
 *   ENIPLANE_ENDPOINT=127.0.0.1:8080 node --import tsx --test examples/reset-between-tests.ts
 *
 * Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
 * It resets the account it runs as. Several suites sharing a server each use an account of their
 * own (`eniplane accounts create`): a reset touches the caller's account only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeEach, test } from 'node:test';
import type * as VpcSdk from '@alicloud/vpc20160428';
import type RPCClientType from '@alicloud/pop-core';

const require = createRequire(import.meta.url);
const Vpc = require('@alicloud/vpc20160428') as typeof VpcSdk;
const RPCClient = require('@alicloud/pop-core') as typeof RPCClientType;
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil as typeof import('@alicloud/openapi-core').$OpenApiUtil;

function credentials(): { accessKeyId: string; accessKeySecret: string } {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' };
  }
  const file = JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8')) as {
    accessKeyId: string;
    accessKeySecret: string;
  };
  return { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
}

const regionId = 'cn-hangzhou';
const endpoint = process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080';
const vpc = new (Vpc.default as unknown as typeof VpcSdk.default.default)(new Config({ ...credentials(), endpoint, protocol: 'http', regionId }));
const eniplane = new RPCClient({ ...credentials(), endpoint: `http://${endpoint}`, apiVersion: '2026-12-01' });

const vpcCount = async () => (await vpc.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId }))).body!.totalCount;

beforeEach(async () => {
  await eniplane.request('ResetAccount', {}, { method: 'POST' });
});

test('a test creates what it needs: the VPC quota is all its own', async () => {
  for (let i = 0; i < 10; i++) await vpc.createVpc(new Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }));
  assert.equal(await vpcCount(), 10);
});

test('the next test starts from nothing: no VPC is left over, and the quota is free again', async () => {
  assert.equal(await vpcCount(), 0);
  await vpc.createVpc(new Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }));
  assert.equal(await vpcCount(), 1);
});

test('a ClientToken of an earlier test is forgotten: the same token creates anew', async () => {
  const create = () => vpc.createVpc(new Vpc.CreateVpcRequest({ regionId, cidrBlock: '172.16.0.0/12', clientToken: 'example-token' }));
  const first = (await create()).body!.vpcId!;
  await eniplane.request('ResetAccount', {}, { method: 'POST' });
  assert.notEqual((await create()).body!.vpcId, first);
});
