import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_BODY_SHA256, v1Signature, v1StringToSign, v3CanonicalRequest, v3Signature, v3StringToSign, sha256Hex } from '../../src/wire/signature.ts';
import { pct } from '../../src/wire/percent.ts';

// Test vectors from Alibaba's signature documentation and the SDK's own signer (shared/reference/rpc-protocol.md §3-4).

test('signature V1: reproduces the documented DescribeRegions vector', () => {
  const params = {
    Timestamp: '2016-02-23T12:46:24Z',
    Format: 'XML',
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    Version: '2014-05-26',
    SignatureVersion: '1.0',
  };
  const sts = v1StringToSign('GET', params);
  assert.equal(
    sts,
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  );
  assert.equal(v1Signature(sts, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
});

test('signature V1: the Signature parameter itself is not signed', () => {
  const base = { Action: 'DescribeRegions', Version: '2014-05-26' };
  assert.equal(v1StringToSign('POST', base), v1StringToSign('POST', { ...base, Signature: 'anything' }));
});

test('signature V3: reproduces the SDK vector for CreateNetworkInterface', () => {
  const headers = {
    host: 'ecs.cn-hangzhou.aliyuncs.com',
    'x-acs-action': 'CreateNetworkInterface',
    'x-acs-version': '2014-05-26',
    'x-acs-date': '2024-01-01T00:00:00Z',
    'x-acs-signature-nonce': 'nonce-0001',
    'x-acs-content-sha256': EMPTY_BODY_SHA256,
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = v3CanonicalRequest({
    method: 'POST',
    path: '/',
    query: { VSwitchId: 'vsw-test1', RegionId: 'cn-hangzhou', SecurityGroupId: 'sg-test1' },
    headers,
    signedHeaders,
    payloadHash: EMPTY_BODY_SHA256,
  });
  const sts = v3StringToSign(canonical);
  assert.equal(sts, 'ACS3-HMAC-SHA256\n1e036237bdc3e351c76d89a86e54471d3cb8d24f07ef7a06dc88daf061437946');
  assert.equal(v3Signature(sts, 'testsecret'), '7fe73cfadf853f7b9a0596697d5ce54239528993d98c6b67633261f321979579');
  assert.equal(sha256Hex(''), EMPTY_BODY_SHA256);
});

test("percent encoding: RFC 3986 as the SDKs sign (space %20, * %2A, ~ literal, ! ' ( ) encoded)", () => {
  assert.equal(pct("a b*c~d!e'f(g)h+i/j"), 'a%20b%2Ac~d%21e%27f%28g%29h%2Bi%2Fj');
  assert.equal(pct('杭州'), '%E6%9D%AD%E5%B7%9E');
});
