import { randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';
import { isoSeconds } from '../../src/lib/clock.ts';
import { EMPTY_BODY_SHA256, v3CanonicalRequest, v3Signature, v3StringToSign } from '../../src/wire/signature.ts';

/**
 * Builds the exact bytes the official Node product SDKs send by default (sdk-wire.md §2, §4):
 * V3 `ACS3-HMAC-SHA256`, POST /?<business params>, Action and Version in headers only, empty body,
 * every x-acs-* header signed, keep-alive. Signed with the server's own signing functions.
 */

export interface BenchKey {
  accessKeyId: string;
  accessKeySecret: string;
}

/** Fixed key pair the runner hands the server through ENIPLANE_ACCESS_KEY_ID/SECRET. */
export const BENCH_KEY: BenchKey = { accessKeyId: 'LTAIbenchkey00000000001', accessKeySecret: 'bench-secret-0123456789abcdefghij' };

// Nonces: 64 random hex characters, as the product SDK sends (random, not a counter: where they
// land in the nonce table's primary-key index matters to the server). Drawn from a pooled buffer.
const POOL_NONCES = 1024;
let pool = Buffer.alloc(0);
let poolIndex = POOL_NONCES;
function nextNonce(): string {
  if (poolIndex >= POOL_NONCES) {
    pool = randomBytes(32 * POOL_NONCES);
    poolIndex = 0;
  }
  const start = 32 * poolIndex++;
  return pool.toString('hex', start, start + 32);
}

let dateSecond = -1;
let dateText = '';
function acsDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = isoSeconds(now);
  }
  return dateText;
}

const SIGNED_HEADERS = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-credentials-provider', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];

/** One signed V3 request as raw HTTP/1.1 bytes (fresh nonce and date each call). */
export function signedV3Request(host: string, key: BenchKey, action: string, version: string, params: Record<string, string>): Buffer {
  const headers: Record<string, string> = {
    host,
    'x-acs-action': action,
    'x-acs-content-sha256': EMPTY_BODY_SHA256,
    'x-acs-credentials-provider': 'static_ak',
    'x-acs-date': acsDate(),
    'x-acs-signature-nonce': nextNonce(),
    'x-acs-version': version,
  };
  const canonical = v3CanonicalRequest({ method: 'POST', path: '/', query: params, headers, signedHeaders: SIGNED_HEADERS, payloadHash: EMPTY_BODY_SHA256 });
  const signature = v3Signature(v3StringToSign(canonical), key.accessKeySecret);
  // The SDK builds the URL with querystring.stringify, in the request model's field order.
  const query = stringify(params);
  const lines = [
    `POST /${query ? `?${query}` : ''} HTTP/1.1`,
    `host: ${host}`,
    `x-acs-version: ${version}`,
    `x-acs-action: ${action}`,
    'user-agent: AlibabaCloud (linux; x64) Node.js/v20 Core/1.0.1 TeaDSL/2 eniplane-bench',
    `x-acs-date: ${headers['x-acs-date']}`,
    `x-acs-signature-nonce: ${headers['x-acs-signature-nonce']}`,
    'accept: application/json',
    `x-acs-content-sha256: ${EMPTY_BODY_SHA256}`,
    'x-acs-credentials-provider: static_ak',
    `Authorization: ACS3-HMAC-SHA256 Credential=${key.accessKeyId},SignedHeaders=${SIGNED_HEADERS.join(';')},Signature=${signature}`,
    'Connection: keep-alive',
    'Content-Length: 0',
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'latin1');
}
