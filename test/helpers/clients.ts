import { createRequire } from 'node:module';
import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as VpcSdk from '@alicloud/vpc20160428';
import type RPCClientType from '@alicloud/pop-core';
import { TEST_KEY, type RunningServer } from './server.ts';

// The SDKs are CommonJS with `exports.default`; require() is the reliable way to reach the classes.
const require = createRequire(import.meta.url);
type EcsClientType = InstanceType<typeof EcsSdk.default.default>;
type VpcClientType = InstanceType<typeof VpcSdk.default.default>;
const EcsClient = require('@alicloud/ecs20140526').default as typeof EcsSdk.default.default;
const VpcClient = require('@alicloud/vpc20160428').default as typeof VpcSdk.default.default;
const RPCClient = require('@alicloud/pop-core') as typeof RPCClientType;
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil as typeof import('@alicloud/openapi-core').$OpenApiUtil;
type Config = InstanceType<typeof Config>;

export interface Key {
  accessKeyId: string;
  accessKeySecret: string;
  /** Temporary (STS) credentials: sent as x-acs-security-token (V3) or SecurityToken (V1). */
  securityToken?: string;
}

function config(server: RunningServer, key: Key, v1: boolean): Config {
  return new Config({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    ...(key.securityToken !== undefined && { securityToken: key.securityToken }),
    endpoint: server.endpoint,
    protocol: 'http',
    regionId: 'cn-hangzhou',
    ...(v1 ? { signatureAlgorithm: 'v2' } : {}),
    // Generous timeouts (the SDK's defaults are 5 s to connect, 10 s to read): a loaded 2-core CI
    // machine running several suites at once once took longer than 5 s to connect a request.
    connectTimeout: 30_000,
    readTimeout: 60_000,
  });
}

/** The official ECS SDK, signing with V3 by default or V1 (`signatureAlgorithm: 'v2'`). */
export function ecsClient(server: RunningServer, opts: { v1?: boolean; key?: Key } = {}): EcsClientType {
  return new EcsClient(config(server, opts.key ?? TEST_KEY, opts.v1 ?? false));
}

export function vpcClient(server: RunningServer, opts: { v1?: boolean; key?: Key } = {}): VpcClientType {
  return new VpcClient(config(server, opts.key ?? TEST_KEY, opts.v1 ?? false));
}

/** The legacy pop-core client (V1; GET by default, POST form body on request). */
export function popClient(server: RunningServer, product: 'ecs' | 'vpc', key: Key = TEST_KEY): RPCClientType {
  return new RPCClient({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    ...(key.securityToken !== undefined && { securityToken: key.securityToken }),
    endpoint: `http://${server.endpoint}`,
    apiVersion: product === 'ecs' ? '2014-05-26' : '2016-04-28',
  });
}

/** eniplane's own API (product Eniplane: faults, reset) through the generic pop-core client, as any user reaches it. */
export function eniplaneClient(server: RunningServer, key: Key = TEST_KEY): RPCClientType {
  return new RPCClient({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    endpoint: `http://${server.endpoint}`,
    apiVersion: '2026-12-01',
  });
}
