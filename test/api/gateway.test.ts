import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import { isoSeconds } from '../../src/lib/clock.ts';
import { popClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { callV1, callV3 } from '../helpers/raw-client.ts';
import { TEST_KEY, startServer, type RunningServer } from '../helpers/server.ts';

const VPC = '2016-04-28';
const ECS = '2014-05-26';
const region = 'cn-hangzhou';

describe('the RPC gateway: signatures, envelopes, parameters', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.dispose());

  const describeVpcs = () => new $Vpc.DescribeVpcsRequest({ regionId: region });

  test('signature: the official SDK is accepted with V3 (default) and V1 (signatureAlgorithm v2)', async () => {
    assert.ok((await vpcClient(server).describeVpcs(describeVpcs())).body!.requestId);
    assert.ok((await vpcClient(server, { v1: true }).describeVpcs(describeVpcs())).body!.requestId);
  });

  test('signature: a wrong secret answers SignatureDoesNotMatch (400) with the server string to sign, both versions', async () => {
    const key = { ...TEST_KEY, accessKeySecret: 'wrong' };
    for (const v1 of [false, true]) {
      const err = await expectApiError(vpcClient(server, { key, v1 }).describeVpcs(describeVpcs()), 'SignatureDoesNotMatch', 400);
      assert.match(String(err.data?.Message), /^Specified signature is not matched with our calculation\. server string to sign is:/);
    }
  });

  test('signature: an unknown AccessKeyId answers InvalidAccessKeyId.NotFound (404)', async () => {
    const key = { accessKeyId: 'LTAInobody', accessKeySecret: 'x' };
    await expectApiError(vpcClient(server, { key }).describeVpcs(describeVpcs()), 'InvalidAccessKeyId.NotFound', 404);
    await expectApiError(vpcClient(server, { key, v1: true }).describeVpcs(describeVpcs()), 'InvalidAccessKeyId.NotFound', 404);
  });

  test('signature: a replayed SignatureNonce is refused (V1 and V3), and a rejected request does not burn its nonce', async () => {
    const r1 = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { nonce: 'nonce-v1-replay' });
    assert.equal(r1.status, 200);
    const r2 = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { nonce: 'nonce-v1-replay' });
    assert.equal(r2.status, 400);
    assert.equal(r2.json().Code, 'SignatureNonceUsed');

    const bad = await callV3(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { nonce: 'nonce-v3', key: { ...TEST_KEY, accessKeySecret: 'wrong' } });
    assert.equal(bad.json().Code, 'SignatureDoesNotMatch');
    const good = await callV3(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { nonce: 'nonce-v3' });
    assert.equal(good.status, 200);
    const replay = await callV3(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { nonce: 'nonce-v3' });
    assert.equal(replay.json().Code, 'SignatureNonceUsed');
  });

  test('signature: a timestamp more than 15 minutes off answers InvalidTimeStamp.Expired; a malformed one IllegalTimestamp', async () => {
    const stale = isoSeconds(Date.now() - 16 * 60 * 1000);
    const v1 = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { timestamp: stale });
    assert.equal(v1.status, 400);
    assert.equal(v1.json().Code, 'InvalidTimeStamp.Expired');
    const v3 = await callV3(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { date: isoSeconds(Date.now() + 16 * 60 * 1000) });
    assert.equal(v3.json().Code, 'InvalidTimeStamp.Expired');
    const bad = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { timestamp: 'yesterday' });
    assert.equal(bad.json().Code, 'IllegalTimestamp');
  });

  test('signature: missing or incomplete signatures get their own codes', async () => {
    const noSig = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { tamper: (p) => delete p.Signature });
    assert.equal(noSig.status, 400);
    assert.equal(noSig.json().Code, 'MissingParameter');
    assert.match(String(noSig.json().Message), /Signature/);
    const badAuth = await callV3(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { authorization: 'ACS3-HMAC-SHA256 garbage' });
    assert.equal(badAuth.json().Code, 'IncompleteSignature');
    const unsignedHeader = await callV3(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { unsigned: { 'x-acs-extra': 'sneaky' } });
    assert.equal(unsignedHeader.json().Code, 'IncompleteSignature');
    const badMethod = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { tamper: (p) => (p.SignatureMethod = 'HMAC-MD5') });
    assert.equal(badMethod.json().Code, 'InvalidParamater');
  });

  test('signature: a tampered parameter or body fails verification', async () => {
    const tampered = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { tamper: (p) => (p.PageSize = '20') });
    assert.equal(tampered.json().Code, 'SignatureDoesNotMatch');
    const body = await callV3(server.endpoint, 'DescribeVpcs', VPC, {}, { body: 'RegionId=cn-hangzhou', sentBody: 'RegionId=cn-beijing' });
    assert.equal(body.json().Code, 'SignatureDoesNotMatch');
  });

  test('wire: V3 with business parameters in a form body (openapi-client style) is accepted', async () => {
    const res = await callV3(server.endpoint, 'DescribeVpcs', VPC, {}, { body: 'RegionId=cn-hangzhou&PageSize=5' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json().PageSize, 5);
  });

  test('wire: pop-core works with GET and with POST form bodies, and reads errors by Code', async () => {
    const pop = popClient(server, 'vpc');
    const get = (await pop.request('DescribeVpcs', { RegionId: region })) as Record<string, unknown>;
    assert.ok(get.RequestId);
    assert.equal(get.Code, undefined, 'a success body never carries Code');
    const post = (await pop.request('DescribeVpcs', { RegionId: region }, { method: 'POST' })) as Record<string, unknown>;
    assert.ok(post.RequestId);
    await assert.rejects(pop.request('DeleteVpc', { RegionId: region, VpcId: 'vpc-missing' }), (e: { code?: string }) => e.code === 'InvalidVpcId.NotFound');
  });

  test('envelope: errors carry RequestId, HostId, Code, Message and Recommend', async () => {
    const res = await callV1(server.endpoint, 'DeleteVpc', VPC, { RegionId: region, VpcId: 'vpc-missing' });
    assert.equal(res.status, 404);
    assert.match(res.contentType, /application\/json/);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    assert.match(String(body.RequestId), /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    assert.equal(body.HostId, server.endpoint);
    assert.match(String(body.Recommend), /q=InvalidVpcId\.NotFound&product=Vpc/);
  });

  test('envelope: Format=XML answers XML for successes and errors; V1 without Format defaults to XML', async () => {
    const ok = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region }, { format: 'XML' });
    assert.equal(ok.status, 200);
    assert.match(ok.contentType, /text\/xml/);
    assert.match(
      ok.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?><DescribeVpcsResponse><RequestId>[0-9A-F-]{36}<\/RequestId><TotalCount>\d+<\/TotalCount>.*<\/DescribeVpcsResponse>$/,
    );
    const err = await callV1(server.endpoint, 'DeleteVpc', VPC, { RegionId: region, VpcId: 'vpc-x' }, { format: '' });
    assert.equal(err.status, 404);
    assert.match(err.text, /<Error><RequestId>.+<\/RequestId><HostId>.+<Code>InvalidVpcId\.NotFound<\/Code>/);
  });

  test('actions: an unknown action answers InvalidAction.NotFound (404); a real but unimplemented one 501 NotImplemented', async () => {
    const unknown = await callV1(server.endpoint, 'DescribeUnicorns', ECS, {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().Code, 'InvalidAction.NotFound');
    const later = await callV1(server.endpoint, 'DescribeSnapshots', ECS, { RegionId: region });
    assert.equal(later.status, 501);
    assert.equal(later.json().Code, 'NotImplemented');
    assert.match(String(later.json().Message), /docs\/coverage\.md/);
  });

  test('actions: a version string other than ours is not refused', async () => {
    const res = await callV1(server.endpoint, 'DescribeVpcs', '2099-01-01', { RegionId: region });
    assert.equal(res.status, 200, res.text);
  });

  test('parameters: unsupported, missing, mistyped parameters and unknown regions each get their own error and change nothing', async () => {
    const vpc = vpcClient(server);
    const before = (await vpc.describeVpcs(describeVpcs())).body!.totalCount;
    const unsupported = await callV1(server.endpoint, 'CreateVpc', VPC, { RegionId: region, EnableDnsHostname: 'true' });
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.json().Code, 'UnsupportedParameter');
    assert.match(String(unsupported.json().Message), /EnableDnsHostname/);
    const missing = await callV1(server.endpoint, 'CreateVSwitch', VPC, { RegionId: region, VpcId: 'vpc-x', CidrBlock: '10.0.0.0/24' });
    assert.equal(missing.json().Code, 'MissingParameter');
    assert.match(String(missing.json().Message), /ZoneId/);
    const mistyped = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region, PageSize: 'ten' });
    assert.equal(mistyped.json().Code, 'InvalidParameter');
    assert.match(String(mistyped.json().Message), /PageSize/);
    const badBool = await callV1(server.endpoint, 'DescribeVpcs', VPC, { RegionId: region, IsDefault: 'maybe' });
    assert.equal(badBool.json().Code, 'InvalidParameter');
    await expectApiError(vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: 'mars-north-1', cidrBlock: '10.0.0.0/16' })), 'InvalidRegionId.NotFound', 404);
    assert.equal((await vpc.describeVpcs(describeVpcs())).body!.totalCount, before);
  });

  test('idempotency: the same ClientToken and parameters return the first VPC; other parameters get IdempotentParameterMismatch', async () => {
    const vpc = vpcClient(server);
    const req = () => new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '10.0.0.0/16', clientToken: 'token-create-vpc-1' });
    const first = (await vpc.createVpc(req())).body!;
    const again = (await vpc.createVpc(req())).body!;
    assert.equal(again.vpcId, first.vpcId);
    assert.notEqual(again.requestId, first.requestId);
    await expectApiError(
      vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '10.1.0.0/16', clientToken: 'token-create-vpc-1' })),
      'IdempotentParameterMismatch',
      400,
    );
    const listed = (await vpc.describeVpcs(describeVpcs())).body!.vpcs!.vpc!.filter((v) => v.vpcId === first.vpcId);
    assert.equal(listed.length, 1);
  });

  test('DryRun: a valid request answers DryRunOperation and creates nothing', async () => {
    const vpc = vpcClient(server);
    const before = (await vpc.describeVpcs(describeVpcs())).body!.totalCount;
    await expectApiError(vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '10.0.0.0/16', dryRun: true })), 'DryRunOperation', 400);
    assert.equal((await vpc.describeVpcs(describeVpcs())).body!.totalCount, before);
  });
});
