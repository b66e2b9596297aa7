import { CommonErrors } from '../errors/common.ts';
import { countPairs, parseUrlEncoded } from './percent.ts';
import type { Credential } from '../services/temporary-credentials.ts';
import {
  constantTimeEqual,
  EMPTY_BODY_SHA256,
  parseV3Authorization,
  sha256Hex,
  v1Signature,
  v1StringToSign,
  v3CanonicalRequest,
  v3Signature,
  v3StringToSign,
} from './signature.ts';

export interface RpcHttpRequest {
  method: string;
  path: string;
  rawQuery: string;
  /** Lower-cased names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type { Credential };

export interface AuthDeps {
  /**
   * The key's account and secret, or null when there is no such key. A temporary key (`STS.…`)
   * is resolved from its SecurityToken (V1 `SecurityToken` parameter, V3 `x-acs-security-token`
   * header), which may throw the gateway's InvalidSecurityToken.* / MissingSecurityToken errors.
   */
  credentialOf(accessKeyId: string, securityToken: string | undefined): Promise<Credential | null>;
  /** Records a nonce; false when the nonce was already used within its window. */
  useNonce(accessKeyId: string, nonce: string, expiresAt: number): Promise<boolean>;
  now(): number;
  /** Largest accepted difference between the request's time and the server's. */
  timestampWindowMs: number;
}

export interface AuthenticatedRequest {
  accessKeyId: string;
  accountId: string;
  action: string;
  version: string;
  format: 'JSON' | 'XML';
  signatureVersion: 'v1' | 'v3';
  /** Query and form-body parameters merged; the signature material is left in. */
  params: Record<string, string>;
}

/** Names the gateway consumes itself; actions never see them as business parameters. */
export const GATEWAY_PARAMS = new Set([
  'Action',
  'Version',
  'Format',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'Timestamp',
  'SecurityToken',
  'OwnerId',
  'OwnerAccount',
  'ResourceOwnerId',
  'ResourceOwnerAccount',
  'CallerParentId',
]);

/**
 * The most parameters (query and form body together) a request may carry. DIVERGENCE: the cloud
 * publishes no such limit; the longest lists actions take (100 `NetworkInterfaceId.N`, 20 tags)
 * stay far below it, and node's parser stopped at 1,000 before, dropping the rest silently.
 */
export const MAX_PARAMETERS = 1000;

function isFormBody(req: RpcHttpRequest): boolean {
  return (header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded') && req.body.length > 0;
}

/** Refuses a request with too many parameters before any of them is decoded. */
function checkParameterCount(req: RpcHttpRequest): void {
  const count = countPairs(req.rawQuery) + (isFormBody(req) ? countPairs(req.body) : 0);
  if (count > MAX_PARAMETERS) throw CommonErrors.tooManyParameters(count, MAX_PARAMETERS);
}

function header(req: RpcHttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Query plus form-body parameters; `query` is the already parsed query, reused (and extended). */
function mergedParams(req: RpcHttpRequest, query?: Record<string, string>): Record<string, string> {
  const params = query ?? parseUrlEncoded(req.rawQuery);
  if (isFormBody(req)) Object.assign(params, parseUrlEncoded(req.body.toString('utf8')));
  return params;
}

function parseTimestamp(value: string): number | null {
  // The cloud's format is yyyy-MM-ddTHH:mm:ssZ; fractional seconds are tolerated.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** The last timestamp text parsed: clients send the current second, so most requests repeat it. */
let lastTimestamp: { text: string; parsed: number | null } = { text: '', parsed: null };

function parseTimestampCached(value: string): number | null {
  if (value !== lastTimestamp.text) lastTimestamp = { text: value, parsed: parseTimestamp(value) };
  return lastTimestamp.parsed;
}

function checkTimestamp(value: string, deps: AuthDeps): number {
  const t = parseTimestampCached(value);
  if (t === null) throw CommonErrors.illegalTimestamp();
  if (Math.abs(deps.now() - t) > deps.timestampWindowMs) throw CommonErrors.timestampExpired(value);
  return t;
}

function require(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw CommonErrors.missingParameter(name);
  return value;
}

function signedHeaderValues(req: RpcHttpRequest, names: string[]): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const name of names) values[name] = header(req, name);
  return values;
}

/** A header the request carries that its V3 signature does not cover (a handful of names: a list beats a Set). */
function sentUnsigned(req: RpcHttpRequest, signedHeaders: readonly string[], name: string): boolean {
  return header(req, name) !== undefined && !signedHeaders.includes(name);
}

/** Every x-acs-* header the SDK sends, and host, must be covered by the V3 signature. */
const V3_MUST_SIGN = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

async function authenticateV3(req: RpcHttpRequest, authorization: string, deps: AuthDeps): Promise<AuthenticatedRequest> {
  const auth = parseV3Authorization(authorization);
  if (!auth) throw CommonErrors.incompleteSignature('The Authorization header is malformed.');
  const action = require(header(req, 'x-acs-action'), 'x-acs-action');
  const version = require(header(req, 'x-acs-version'), 'x-acs-version');
  const date = require(header(req, 'x-acs-date'), 'x-acs-date');
  const nonce = require(header(req, 'x-acs-signature-nonce'), 'x-acs-signature-nonce');
  const payloadHash = require(header(req, 'x-acs-content-sha256'), 'x-acs-content-sha256');
  for (const name of V3_MUST_SIGN) {
    if (sentUnsigned(req, auth.signedHeaders, name)) throw CommonErrors.incompleteSignature(`The header "${name}" must be signed.`);
  }
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith('x-acs-') && sentUnsigned(req, auth.signedHeaders, name))
      throw CommonErrors.incompleteSignature(`The header "${name}" must be signed.`);
  }
  const credential = await deps.credentialOf(auth.accessKeyId, header(req, 'x-acs-security-token') || undefined);
  if (!credential) throw CommonErrors.accessKeyNotFound();
  const requestTime = checkTimestamp(date, deps);

  const query = parseUrlEncoded(req.rawQuery);
  const canonical = v3CanonicalRequest({
    method: req.method,
    path: req.path,
    query,
    headers: signedHeaderValues(req, auth.signedHeaders),
    signedHeaders: auth.signedHeaders,
    payloadHash,
  });
  const stringToSign = v3StringToSign(canonical);
  const bodyMatches = payloadHash === (req.body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(req.body));
  if (!bodyMatches || !constantTimeEqual(v3Signature(stringToSign, credential.secret), auth.signature)) {
    throw CommonErrors.signatureDoesNotMatch(stringToSign);
  }
  if (!(await deps.useNonce(auth.accessKeyId, nonce, requestTime + 2 * deps.timestampWindowMs))) throw CommonErrors.nonceUsed();
  const params = mergedParams(req, query);
  return {
    accessKeyId: auth.accessKeyId,
    accountId: credential.accountId,
    action,
    version,
    format: (params.Format ?? '').toUpperCase() === 'XML' ? 'XML' : 'JSON',
    signatureVersion: 'v3',
    params,
  };
}

async function authenticateV1(req: RpcHttpRequest, deps: AuthDeps): Promise<AuthenticatedRequest> {
  const params = mergedParams(req);
  const action = require(params.Action ?? header(req, 'x-acs-action'), 'Action');
  const version = require(params.Version ?? header(req, 'x-acs-version'), 'Version');
  const accessKeyId = require(params.AccessKeyId, 'AccessKeyId');
  const signature = require(params.Signature, 'Signature');
  const method = require(params.SignatureMethod, 'SignatureMethod');
  const signatureVersion = require(params.SignatureVersion, 'SignatureVersion');
  const nonce = require(params.SignatureNonce, 'SignatureNonce');
  const timestamp = params.Timestamp;
  if (!timestamp) throw CommonErrors.illegalTimestamp();
  if (method !== 'HMAC-SHA1') throw CommonErrors.invalidSignatureMethod('SignatureMethod');
  if (signatureVersion !== '1.0') throw CommonErrors.invalidSignatureMethod('SignatureVersion');

  const credential = await deps.credentialOf(accessKeyId, params.SecurityToken || undefined);
  if (!credential) throw CommonErrors.accessKeyNotFound();
  const requestTime = checkTimestamp(timestamp, deps);
  const stringToSign = v1StringToSign(req.method, params);
  if (!constantTimeEqual(v1Signature(stringToSign, credential.secret), signature)) {
    throw CommonErrors.signatureDoesNotMatch(stringToSign);
  }
  if (!(await deps.useNonce(accessKeyId, nonce, requestTime + 2 * deps.timestampWindowMs))) throw CommonErrors.nonceUsed();
  // V1 requests without Format get XML, the documented default; every SDK asks for JSON.
  const format = (params.Format ?? 'XML').toUpperCase() === 'JSON' ? 'JSON' : 'XML';
  return { accessKeyId, accountId: credential.accountId, action, version, format, signatureVersion: 'v1', params };
}

/**
 * Verifies a request the way the POP gateway does: V3 when an `ACS3-` Authorization header is
 * present, V1 otherwise. Throws the gateway's ApiError on any failure; the nonce is only spent
 * by a request whose signature is valid.
 */
export function authenticate(req: RpcHttpRequest, deps: AuthDeps): Promise<AuthenticatedRequest> {
  checkParameterCount(req);
  const authorization = header(req, 'authorization');
  if (authorization?.startsWith('ACS3-')) return authenticateV3(req, authorization, deps);
  if (authorization) throw CommonErrors.incompleteSignature('Unsupported Authorization scheme; use ACS3-HMAC-SHA256.');
  return authenticateV1(req, deps);
}
