import { randomUUID } from 'node:crypto';
import { isoSeconds } from '../../src/lib/clock.ts';
import { v1Signature, v1StringToSign } from '../../src/wire/signature.ts';
import { TEST_KEY } from './server.ts';
import type { Key } from './clients.ts';

/**
 * The wire style of alibaba-cloud-sdk-go (github.com/aliyun/alibaba-cloud-sdk-go), the SDK Terway
 * and the Terraform provider's `WithEcsClient` calls use:
 * - `RpcRequest.init()`: method POST; `BuildQueries()`: EVERY parameter in the query string
 *   (`/?` + Go's `url.Values.Encode()`: keys sorted, space as `+`), an empty body with
 *   `Content-Type: application/x-www-form-urlencoded` (`completeRpcSignParams`);
 * - `completeRpcSignParams`: Version, Action, Format=JSON, Timestamp, SignatureMethod=HMAC-SHA1,
 *   SignatureType="" (always sent, empty, for AccessKey and STS signers), SignatureVersion=1.0,
 *   SignatureNonce, AccessKeyId, RegionId from the client when the request has none, and the
 *   signer's extra parameters (`SecurityToken` for STS credentials, signer_sts_token.go);
 * - `acs_request.go addParam`: a field left empty is not sent at all; repeated fields are
 *   `Name.1`, `Name.2`..., repeated structs `Tag.1.Key`; `requests.NewBoolean` is "true"/"false".
 * The V1 string to sign is the standard one (buildRpcStringToSign re-encodes `+` as `%20`).
 */
export interface GoSdkCredentials extends Key {
  securityToken?: string;
}

export type GoParam = string | number | boolean | undefined | string[] | Record<string, string>[];

export interface GoSdkResponse {
  status: number;
  body: Record<string, unknown>;
  /** The raw query string that was sent, to check the wire form. */
  query: string;
}

/** A Go SDK ServerError: what Terway's `apiErr.ErrorCodeIs` compares. */
export class GoSdkServerError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    readonly body: Record<string, unknown>,
  ) {
    super(
      `SDK.ServerError\nErrorCode: ${code}\nRecommend: ${String(body.Recommend ?? '')}\nRequestId: ${String(body.RequestId ?? '')}\nMessage: ${String(body.Message ?? '')}`,
    );
  }
}

/** Flattens request fields the way `flatRepeatedList` does, leaving out empty values. */
export function flattenGo(params: Record<string, GoParam>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (typeof item === 'string') {
          if (item !== '') out[`${name}.${i + 1}`] = item;
        } else {
          for (const [k, v] of Object.entries(item)) if (v !== '') out[`${name}.${i + 1}.${k}`] = v;
        }
      });
      continue;
    }
    const s = String(value);
    if (s !== '') out[name] = s;
  }
  return out;
}

/** Go's url.Values.Encode(): keys sorted, QueryEscape (space as `+`). */
function goQueryEncode(params: Record<string, string>): string {
  const esc = (s: string) =>
    encodeURIComponent(s)
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  return Object.keys(params)
    .sort()
    .map((k) => `${esc(k)}=${esc(params[k]!)}`)
    .join('&');
}

export interface GoSdkClientOptions {
  endpoint: string;
  credentials?: GoSdkCredentials;
  regionId?: string;
  /** Terway sets its own user agent suffix (`terway/<version>`); kept for realism. */
  userAgent?: string;
}

export class GoSdkClient {
  readonly regionId: string;
  constructor(private readonly opts: GoSdkClientOptions) {
    this.regionId = opts.regionId ?? 'cn-hangzhou';
  }

  /** Sends one RPC call; resolves with the decoded body, rejects with GoSdkServerError. */
  async call(version: string, action: string, params: Record<string, GoParam>): Promise<GoSdkResponse> {
    return this.send(version, action, flattenGo(params), 'POST', 'normal');
  }

  /**
   * `client.ProcessCommonRequest(request)` with an RPC `requests.CommonRequest` (the Terraform
   * provider's `client.NewCommonRequest` + `request.QueryParams[...] = ...`): the request keeps
   * `defaultBaseRequest`'s method, GET (common_request.go TransToAcsRequest sets none), every
   * parameter in the query as set, empty values included (no `addParam` filtering), no body (the
   * form content type is set all the same, completeRpcSignParams), and `x-sdk-invoke-type: common`.
   */
  async common(version: string, action: string, queryParams: Record<string, string>): Promise<GoSdkResponse> {
    return this.send(version, action, { ...queryParams }, 'GET', 'common');
  }

  private async send(version: string, action: string, query: Record<string, string>, method: 'GET' | 'POST', invokeType: string): Promise<GoSdkResponse> {
    const key: GoSdkCredentials = this.opts.credentials ?? TEST_KEY;
    query.Version = version;
    query.Action = action;
    query.Format = 'JSON';
    query.Timestamp = isoSeconds(Date.now());
    query.SignatureMethod = 'HMAC-SHA1';
    query.SignatureType = '';
    query.SignatureVersion = '1.0';
    query.SignatureNonce = randomUUID().replace(/-/g, '');
    query.AccessKeyId = key.accessKeyId;
    if (!('RegionId' in query)) query.RegionId = this.regionId;
    if (key.securityToken) query.SecurityToken = key.securityToken;
    query.Signature = v1Signature(v1StringToSign(method, query), key.accessKeySecret);
    const qs = goQueryEncode(query);
    const res = await fetch(`http://${this.opts.endpoint}/?${qs}`, {
      method,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'accept-encoding': 'identity',
        'x-sdk-client': 'golang/1.0.0',
        'x-sdk-invoke-type': invokeType,
        'user-agent': this.opts.userAgent ?? 'AlibabaCloud (linux; amd64) Golang/1.23.0 Core/1.63.107 OpenAPI/1.0.0 terway/v1.14.0',
      },
      ...(method === 'POST' && { body: '' }),
    });
    const text = await res.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new GoSdkServerError(res.status, 'SDK.UnmarshalError', { Message: text });
    }
    // client.go DoActionWithSigner: any status >= 400 (or a body with Code) is a ServerError.
    if (res.status >= 400) throw new GoSdkServerError(res.status, String(body.Code ?? ''), body);
    return { status: res.status, body, query: qs };
  }

  ecs(action: string, params: Record<string, GoParam>): Promise<GoSdkResponse> {
    return this.call('2014-05-26', action, params);
  }

  vpc(action: string, params: Record<string, GoParam>): Promise<GoSdkResponse> {
    return this.call('2016-04-28', action, params);
  }
}

/** Terway's `apiErr.ErrorCodeIs`: the ServerError's code is one of `codes`. */
export function errorCodeIs(err: unknown, ...codes: string[]): boolean {
  return err instanceof GoSdkServerError && codes.includes(err.code);
}
