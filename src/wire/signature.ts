import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { byBytes, pct } from './percent.ts';

/**
 * The two signature schemes of the POP gateway, computed exactly as the official SDKs do
 * (rpc-protocol.md §3-4, sdk-wire.md §4). Used by the server to verify and by the bench and
 * test clients to sign.
 */

const oneShotHash = typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : undefined;

export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort(byBytes)
    .map((k) => `${pct(k)}=${pct(params[k] ?? '')}`)
    .join('&');
}

/** V1 (HMAC-SHA1): `METHOD&%2F&pct(canonical query of every parameter but Signature)`. */
export function v1StringToSign(method: string, params: Record<string, string>): string {
  const { Signature: _ignored, ...rest } = params;
  return `${method.toUpperCase()}&${pct('/')}&${pct(canonicalQuery(rest))}`;
}

export function v1Signature(stringToSign: string, secret: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

export interface V3Input {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  signedHeaders: string[];
  payloadHash: string;
}

export function v3CanonicalRequest(input: V3Input): string {
  // Concatenation rather than map/join: the server builds one per request, and arrays of parts were most of its garbage.
  let canonicalHeaders = '';
  for (const h of input.signedHeaders) canonicalHeaders += `${h}:${(input.headers[h] ?? '').trim()}\n`;
  const uri = input.path || '/';
  return `${input.method.toUpperCase()}\n${uri}\n${canonicalQuery(input.query)}\n${canonicalHeaders}\n${input.signedHeaders.join(';')}\n${input.payloadHash}`;
}

export function v3StringToSign(canonicalRequest: string): string {
  return `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
}

export function v3Signature(stringToSign: string, secret: string): string {
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

export function sha256Hex(data: string | Buffer): string {
  // One-shot hash (Node 20.12+) skips the Hash object: about half the cost for small inputs.
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

const V3_AUTH = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/;

export function parseV3Authorization(header: string): { accessKeyId: string; signedHeaders: string[]; signature: string } | null {
  const m = V3_AUTH.exec(header.trim());
  if (!m) return null;
  return { accessKeyId: m[1]!, signedHeaders: m[2]!.split(';'), signature: m[3]! };
}
