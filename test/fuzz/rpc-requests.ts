import fc from 'fast-check';
import { PRODUCT_VERSION } from '../../src/api/define-action.ts';
import type { RegisteredAction } from '../../src/api/registry.ts';
import { isoSeconds } from '../../src/lib/clock.ts';
import { parseUrlEncoded } from '../../src/wire/percent.ts';
import { sha256Hex, v1Signature, v1StringToSign, v3CanonicalRequest, v3Signature, v3StringToSign } from '../../src/wire/signature.ts';
import type { Key } from '../helpers/clients.ts';
import { actionParams, type Entry } from './schema-params.ts';
import type { Fixture } from './target.ts';
import { hostileText, unknownName } from './wire-values.ts';

/**
 * A whole RPC request around an action's generated parameters: where each parameter travels
 * (query, form body, both), how it is percent-encoded, repeated or conflicting keys, unknown
 * parameters, the response format, and a valid V1 or V3 signature over whatever the server will
 * read, so the request reaches the decoding and the action instead of stopping at the gateway.
 */

export type Transport = 'v1-get' | 'v1-post-query' | 'v1-post-form' | 'v1-post-split' | 'v3-query' | 'v3-form';

export interface RpcCall {
  action: string;
  version: string;
  params: Entry[];
  /** Per parameter: sent as typed (ASCII-safe ones only) instead of percent-encoded; broken escapes such as `%zz` then reach the server. */
  raw: boolean[];
  /** Extra copies of parameters (same key, another value), and where each copy goes. */
  repeats: { of: number; value: string; inBody: boolean }[];
  unknown: Entry[];
  transport: Transport;
  /** Spaces as `+` (form encoding) rather than `%20`. */
  plusForSpace: boolean;
  format: string | undefined;
  /** Sign with the other account's key (its resources are then its own, the main ones foreign). */
  otherKey: boolean;
}

/** What app.inject takes (and what the real-HTTP client sends): method, URL, headers, body. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string | string[]>;
  payload?: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Percent-encodes text as RFC 3986 (what the signatures use), optionally with `+` for spaces (form
 * encoding). A lone surrogate goes as U+FFFD's bytes, as any client's UTF-8 encoder would send it.
 */
export function percentEncode(text: string, plusForSpace: boolean): string {
  const encoded = encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD')).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return plusForSpace ? encoded.replaceAll('%20', '+') : encoded;
}

/** Text that may go on the wire as typed: printable ASCII without the separators of a query. */
const RAW_SAFE = /^[!$'()*+,\-./0-9:;<=>?@A-Z[\]^_`a-z{|}~%]*$/;

function encodePair([key, value]: Entry, raw: boolean, plusForSpace: boolean): string {
  const enc = (s: string) => (raw && RAW_SAFE.test(s) ? s : percentEncode(s, plusForSpace));
  return `${enc(key)}=${enc(value)}`;
}

export function rpcCallArbitrary(actions: RegisteredAction[], fixture: Fixture): fc.Arbitrary<RpcCall> {
  const perAction = actions.map((a) =>
    fc.record({
      action: fc.constant(a.def.name),
      version: fc.oneof(
        { weight: 20, arbitrary: fc.constant(PRODUCT_VERSION[a.def.product]) },
        { weight: 1, arbitrary: fc.constantFrom('2014-05-26', '2016-04-28', '2020-03-31', '2099-01-01', '', 'x') },
      ),
      params: actionParams(a.def.params, fixture),
    }),
  );
  return fc
    .record({
      call: fc.oneof(...perAction),
      transport: fc.constantFrom<Transport>('v1-get', 'v1-post-query', 'v1-post-form', 'v1-post-split', 'v3-query', 'v3-form'),
      plusForSpace: fc.boolean(),
      format: fc.oneof({ weight: 12, arbitrary: fc.constant('JSON') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'XML', 'xml', 'json', 'yaml', '') }),
      unknown: fc.oneof(
        { weight: 8, arbitrary: fc.constant<Entry[]>([]) },
        { weight: 1, arbitrary: fc.array(fc.tuple(unknownName, hostileText), { minLength: 1, maxLength: 3 }) },
      ),
      otherKey: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      rawSeed: fc.array(fc.boolean(), { maxLength: 8 }),
      repeatSeed: fc.oneof(
        { weight: 6, arbitrary: fc.constant<{ of: number; value: string; inBody: boolean }[]>([]) },
        { weight: 1, arbitrary: fc.array(fc.record({ of: fc.nat(), value: hostileText, inBody: fc.boolean() }), { minLength: 1, maxLength: 3 }) },
      ),
    })
    .map(({ call, transport, plusForSpace, format, unknown, otherKey, rawSeed, repeatSeed }) => ({
      ...call,
      raw: call.params.map((_, i) => rawSeed[i] ?? false),
      repeats: call.params.length === 0 ? [] : repeatSeed.map((r) => ({ ...r, of: r.of % call.params.length })),
      unknown,
      transport,
      plusForSpace,
      format,
      otherKey,
    }));
}

/** A well-formed call: these parameters, percent-encoded, nothing repeated or unknown, JSON; what setup and regression calls send. */
export function plainRpcCall(product: keyof typeof PRODUCT_VERSION, action: string, params: Record<string, string>, transport: Transport): RpcCall {
  return {
    action,
    version: PRODUCT_VERSION[product],
    params: Object.entries(params),
    raw: [],
    repeats: [],
    unknown: [],
    transport,
    plusForSpace: false,
    format: 'JSON',
    otherKey: false,
  };
}

export interface SignContext {
  key: Key;
  now: number;
  nonce: string;
  /** The Host header the server will see (app.inject sends localhost:80). */
  host: string;
}

/**
 * Builds the request and signs exactly what the server will read: the query and the form body as
 * the server's own parser decodes them (first value of a repeated key; body over query for V1).
 */
export function buildRpcRequest(call: RpcCall, ctx: SignContext): HttpRequest {
  const inQuery: string[] = [];
  const inBody: string[] = [];
  const bodyTransport = call.transport === 'v1-post-form' || call.transport === 'v3-form';
  call.params.forEach((entry, i) => {
    const pair = encodePair(entry, call.raw[i] ?? false, call.plusForSpace);
    const toBody = bodyTransport || (call.transport === 'v1-post-split' && i % 2 === 1);
    (toBody ? inBody : inQuery).push(pair);
  });
  for (const r of call.repeats) {
    const [key] = call.params[r.of]!;
    (r.inBody && call.transport !== 'v1-get' ? inBody : inQuery).push(encodePair([key, r.value], false, call.plusForSpace));
  }
  for (const entry of call.unknown) (bodyTransport ? inBody : inQuery).push(encodePair(entry, false, call.plusForSpace));
  const format = call.format === undefined ? [] : [encodePair(['Format', call.format], false, false)];

  if (call.transport.startsWith('v1')) {
    const method = call.transport === 'v1-get' ? 'GET' : 'POST';
    const gateway = [
      ['Action', call.action],
      ['Version', call.version],
      ['AccessKeyId', ctx.key.accessKeyId],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'],
      ['SignatureNonce', ctx.nonce],
      ['Timestamp', isoSeconds(ctx.now)],
    ].map((e) => encodePair(e as Entry, false, false));
    const gatewayInBody = call.transport === 'v1-post-form';
    (gatewayInBody ? inBody : inQuery).push(...gateway, ...format);
    const query = inQuery.join('&');
    const body = inBody.join('&');
    const read = parseUrlEncoded(query);
    if (method === 'POST' && body.length > 0) Object.assign(read, parseUrlEncoded(body));
    const signature = encodePair(['Signature', v1Signature(v1StringToSign(method, read), ctx.key.accessKeySecret)], false, false);
    const finalQuery = gatewayInBody ? query : [query, signature].filter(Boolean).join('&');
    const finalBody = gatewayInBody ? [body, signature].filter(Boolean).join('&') : body;
    return {
      method,
      url: `/?${finalQuery}`,
      headers: finalBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      ...(finalBody ? { payload: finalBody } : {}),
    };
  }

  inQuery.push(...format);
  const query = inQuery.join('&');
  const body = inBody.join('&');
  const headers: Record<string, string> = {
    host: ctx.host,
    'x-acs-action': call.action,
    'x-acs-version': call.version,
    'x-acs-date': isoSeconds(ctx.now),
    'x-acs-signature-nonce': ctx.nonce,
    'x-acs-content-sha256': sha256Hex(body),
    ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = v3CanonicalRequest({
    method: 'POST',
    path: '/',
    query: parseUrlEncoded(query),
    headers,
    signedHeaders,
    payloadHash: headers['x-acs-content-sha256']!,
  });
  const authorization = `ACS3-HMAC-SHA256 Credential=${ctx.key.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${v3Signature(v3StringToSign(canonical), ctx.key.accessKeySecret)}`;
  return { method: 'POST', url: query ? `/?${query}` : '/', headers: { ...headers, authorization }, ...(body ? { payload: body } : {}) };
}

/** A request as a failure message shows it: enough to rebuild it by hand. */
export function describeRequest(action: string, req: HttpRequest): string {
  const cut = (s: string) => (s.length > 1500 ? `${s.slice(0, 1500)}… (${s.length} chars)` : s);
  return `${action}: ${req.method} ${cut(req.url)} headers=${cut(JSON.stringify(req.headers))}${req.payload ? ` body=${cut(req.payload)}` : ''}`;
}
