import { randomUUID } from 'node:crypto';
import { isoSeconds } from '../../src/lib/clock.ts';
import { canonicalQuery, sha256Hex, v1Signature, v1StringToSign, v3CanonicalRequest, v3Signature, v3StringToSign } from '../../src/wire/signature.ts';
import { TEST_KEY } from './server.ts';
import type { Key } from './clients.ts';

/**
 * Hand-signed requests, for the gateway paths the SDKs never take on purpose: replays, stale
 * timestamps, tampered bodies, XML, malformed headers.
 */
export interface RawResponse {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  json(): Record<string, unknown>;
}

async function send(url: string, init: RequestInit): Promise<RawResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

export interface V1Options {
  key?: Key;
  method?: 'GET' | 'POST';
  nonce?: string;
  timestamp?: string;
  format?: string;
  /** Put every parameter in a form body (pop-core's POST style). */
  formBody?: boolean;
  /** Edit the signed parameters before sending (to tamper after signing). */
  tamper?: (params: Record<string, string>) => void;
}

export function signV1(action: string, version: string, params: Record<string, string>, opts: V1Options = {}): Record<string, string> {
  const key = opts.key ?? TEST_KEY;
  const all: Record<string, string> = {
    Action: action,
    Version: version,
    AccessKeyId: key.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? randomUUID(),
    Timestamp: opts.timestamp ?? isoSeconds(Date.now()),
    ...(opts.format === undefined ? { Format: 'JSON' } : opts.format === '' ? {} : { Format: opts.format }),
    ...params,
  };
  all.Signature = v1Signature(v1StringToSign(opts.method ?? 'GET', all), key.accessKeySecret);
  opts.tamper?.(all);
  return all;
}

export function callV1(endpoint: string, action: string, version: string, params: Record<string, string>, opts: V1Options = {}): Promise<RawResponse> {
  const method = opts.method ?? 'GET';
  const signed = signV1(action, version, params, opts);
  const encoded = new URLSearchParams(signed).toString();
  if (opts.formBody) {
    return send(`http://${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: encoded });
  }
  return send(`http://${endpoint}/?${encoded}`, { method });
}

export interface V3Options {
  key?: Key;
  nonce?: string;
  date?: string;
  body?: string;
  /** Headers to send but leave out of SignedHeaders. */
  unsigned?: Record<string, string>;
  authorization?: string;
  /** Body actually sent, when it should differ from the signed one. */
  sentBody?: string;
}

export function callV3(endpoint: string, action: string, version: string, query: Record<string, string>, opts: V3Options = {}): Promise<RawResponse> {
  const key = opts.key ?? TEST_KEY;
  const body = opts.body ?? '';
  const headers: Record<string, string> = {
    host: endpoint,
    'x-acs-action': action,
    'x-acs-version': version,
    'x-acs-date': opts.date ?? isoSeconds(Date.now()),
    'x-acs-signature-nonce': opts.nonce ?? randomUUID(),
    'x-acs-content-sha256': sha256Hex(body),
    ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = v3CanonicalRequest({ method: 'POST', path: '/', query, headers, signedHeaders, payloadHash: headers['x-acs-content-sha256']! });
  const signature = v3Signature(v3StringToSign(canonical), key.accessKeySecret);
  const authorization = opts.authorization ?? `ACS3-HMAC-SHA256 Credential=${key.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
  const qs = canonicalQuery(query);
  const sendHeaders: Record<string, string> = { ...headers, ...opts.unsigned, authorization };
  delete sendHeaders.host;
  const sent = opts.sentBody ?? body;
  return send(`http://${endpoint}/${qs ? `?${qs}` : ''}`, { method: 'POST', headers: sendHeaders, ...(sent ? { body: sent } : {}) });
}
