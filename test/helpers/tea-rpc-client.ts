import { randomUUID } from 'node:crypto';
import { isoSeconds } from '../../src/lib/clock.ts';
import { v1Signature, v1StringToSign } from '../../src/wire/signature.ts';
import { TEST_KEY } from './server.ts';
import type { GoSdkCredentials } from './go-sdk-client.ts';

/**
 * The wire style of the Terraform provider's `client.RpcPost(product, version, action, query,
 * body, autoRetry)` (alicloud/connectivity/client.go `rpcRequest`), which is tea-rpc's
 * `DoRequest(action, "HTTPS"/"HTTP", "POST", version, "AK", query, body, runtime)`:
 * - query: Action, Format=json (lower case), Version, Timestamp, SignatureNonce, then
 *   SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, AccessKeyId, SecurityToken when the
 *   credential has one, the caller's `query` map (rpcutil.Query flattening) and Signature;
 * - body: the caller's `body` map flattened by rpcutil.Query (lists `Name.1`, maps in lists
 *   `Name.1.Key`, booleans "true"/"false", numbers in decimal), form-encoded, with
 *   `content-type: application/x-www-form-urlencoded`; headers x-acs-version, x-acs-action;
 * - the V1 signature covers query and body together, method POST.
 * ClientTokens are the provider's `buildClientToken(action)`: `TF-<Action>-<unix>-<uuid>` cut to 64.
 */
export type TeaValue = string | number | boolean | undefined | null | TeaValue[] | { [k: string]: TeaValue };

/** tea rpcutil.Query: nested lists and maps flattened to `a.1.b` keys; nil left out. */
export function flattenTea(params: Record<string, TeaValue>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (key: string, value: TeaValue) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${key}.${i + 1}`, v));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(key ? `${key}.${k}` : k, v);
    else out[key] = String(value);
  };
  for (const [k, v] of Object.entries(params)) walk(prefix + k, v);
  return out;
}

/** A tea.SDKError as tea-rpc builds it: Code, the message `code: <status>, <Message> request id: <id>`, Data. */
export class TeaSdkError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly data: Record<string, unknown>,
  ) {
    super(`code: ${statusCode}, ${String(data.Message ?? '')} request id: ${String(data.RequestId ?? '')}`);
  }
}

/** The provider's NotFoundError for a tea.SDKError: HTTP 404 or "NotFound" in the message. */
export function providerNotFound(err: unknown): boolean {
  return err instanceof TeaSdkError && (err.statusCode === 404 || /NotFound/.test(err.message));
}

/** The provider's NeedRetry for a tea.SDKError (alicloud/errors.go). */
export function providerNeedRetry(err: unknown): boolean {
  return (
    err instanceof TeaSdkError &&
    (err.code === 'ServiceUnavailable' || err.code === 'Rejected.Throttling' || /Throttling/.test(err.code) || /^code: 5\d\d/.test(err.message))
  );
}

/** alicloud/common.go buildClientToken. */
export function buildClientToken(action: string): string {
  return `TF-${action}-${Math.floor(Date.now() / 1000)}-${randomUUID()}`.trim().slice(0, 64);
}

export interface TeaRpcClientOptions {
  endpoint: string;
  credentials?: GoSdkCredentials;
}

export class TeaRpcClient {
  constructor(private readonly opts: TeaRpcClientOptions) {}

  /** client.RpcPost(product, version, action, query, body, autoRetry). */
  async rpcPost(version: string, action: string, query: Record<string, TeaValue> | null, body: Record<string, TeaValue>): Promise<Record<string, unknown>> {
    const key: GoSdkCredentials = this.opts.credentials ?? TEST_KEY;
    const q: Record<string, string> = {
      Action: action,
      Format: 'json',
      Version: version,
      Timestamp: isoSeconds(Date.now()),
      SignatureNonce: randomUUID().replace(/-/g, ''),
      ...flattenTea(query ?? {}),
    };
    if (key.securityToken) q.SecurityToken = key.securityToken;
    q.SignatureMethod = 'HMAC-SHA1';
    q.SignatureVersion = '1.0';
    q.AccessKeyId = key.accessKeyId;
    const form = flattenTea(body);
    q.Signature = v1Signature(v1StringToSign('POST', { ...q, ...form }), key.accessKeySecret);
    const hasBody = Object.keys(form).length > 0;
    const res = await fetch(`http://${this.opts.endpoint}/?${new URLSearchParams(q).toString()}`, {
      method: 'POST',
      headers: {
        'x-acs-version': version,
        'x-acs-action': action,
        'user-agent':
          'AlibabaCloud (linux; amd64) Go/1.23.0 Core/0.01 TeaDSL/1 Terraform/1.9.0 (+https://www.terraform.io) terraform-provider-alicloud/1.260.0',
        ...(hasBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(hasBody ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const text = await res.text();
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new TeaSdkError(res.status, 'UnmarshalError', { Message: text });
    }
    if (res.status >= 400) throw new TeaSdkError(res.status, String(data.Code ?? ''), data);
    return data;
  }

  ecs(action: string, body: Record<string, TeaValue>, query: Record<string, TeaValue> | null = null) {
    return this.rpcPost('2014-05-26', action, query, body);
  }

  vpc(action: string, body: Record<string, TeaValue>, query: Record<string, TeaValue> | null = null) {
    return this.rpcPost('2016-04-28', action, query, body);
  }

  resourceManager(action: string, body: Record<string, TeaValue>) {
    return this.rpcPost('2020-03-31', action, null, body);
  }
}
