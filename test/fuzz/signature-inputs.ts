import fc from 'fast-check';
import { PRODUCT_VERSION } from '../../src/api/define-action.ts';
import { isoSeconds } from '../../src/lib/clock.ts';
import { parseUrlEncoded } from '../../src/wire/percent.ts';
import { sha256Hex, v1Signature, v1StringToSign, v3CanonicalRequest, v3Signature, v3StringToSign } from '../../src/wire/signature.ts';
import type { Key } from '../helpers/clients.ts';
import { percentEncode, type HttpRequest } from './rpc-requests.ts';
import type { Entry } from './schema-params.ts';
import type { Fixture, TemporaryKey } from './target.ts';
import { hostileText, TRICKY_TEXT } from './wire-values.ts';

/**
 * The signature's inputs and headers, fuzzed around a valid call: V1's Signature, SignatureMethod,
 * SignatureVersion, SignatureNonce, Timestamp, AccessKeyId, SecurityToken; V3's Authorization
 * header, x-acs-* headers, x-acs-content-sha256, content types, missing, repeated and huge
 * headers. Each change is made before signing (a valid signature over odd inputs) or after it
 * (tampering); for the latter the builder works out whether the server reads anything other than
 * what was signed, and such a request must be refused.
 */

type Where = 'query' | 'body' | 'header';

export type Change =
  | { kind: 'set'; where: Where; name: string; value: string }
  | { kind: 'delete'; where: Where; name: string }
  /** The same name once more, with another value (a header becomes two header lines). */
  | { kind: 'repeat'; where: Where; name: string; value: string }
  /** The request's time this far from the server's clock. */
  | { kind: 'skew'; ms: number }
  /** The nonce of an earlier request (of this run). */
  | { kind: 'replay' }
  | { kind: 'content-type'; value: string | undefined; body: string }
  /** V1: signed as GET, sent as POST (or the reverse). */
  | { kind: 'switch-method' }
  /** V3: an edit of the Authorization header as signed. */
  | { kind: 'authorization'; edit: AuthorizationEdit }
  /** V3: which headers the signature claims to cover. */
  | { kind: 'signed-headers'; edit: 'drop-one' | 'add-unsent' | 'add-user-agent' | 'uppercase' | 'duplicate' | 'only-host'; index: number };

export type AuthorizationEdit =
  | 'lowercase-scheme'
  | 'double-spaces'
  | 'spaces-after-commas'
  | 'no-credential'
  | 'empty-credential'
  | 'unknown-key'
  | 'other-key'
  | 'signature-uppercase'
  | 'signature-truncated'
  | 'signature-flipped'
  | 'signature-empty'
  | 'signature-not-hex'
  | 'scheme-sm3'
  | 'scheme-bearer'
  | 'scheme-only'
  | 'trailing-comma'
  | 'hostile';

export type KeyChoice = 'main' | 'other' | 'temporary' | 'temporary-without-token' | 'temporary-foreign-token' | 'unknown';

export interface SignatureCase {
  call: number;
  scheme: 'v1' | 'v3';
  v1Method: 'GET' | 'POST';
  /** V1 POST: the parameters in a form body rather than the query. */
  v1Form: boolean;
  key: KeyChoice;
  before: Change[];
  after: Change[];
  hostile: string;
}

/** Valid calls to wrap: reads, and writes whose success changes the store. */
export function baseCalls(fixture: Fixture): { action: string; version: string; params: Entry[] }[] {
  const region: Entry = ['RegionId', fixture.regionId];
  return [
    { action: 'DescribeRegions', version: PRODUCT_VERSION.Ecs, params: [] },
    { action: 'DescribeVpcs', version: PRODUCT_VERSION.Vpc, params: [region] },
    { action: 'DescribeNetworkInterfaces', version: PRODUCT_VERSION.Ecs, params: [region, ['VpcId', fixture.main.vpcId]] },
    { action: 'ModifyVpcAttribute', version: PRODUCT_VERSION.Vpc, params: [region, ['VpcId', fixture.main.vpcId], ['Description', 'fuzzed']] },
    { action: 'CreateSecurityGroup', version: PRODUCT_VERSION.Ecs, params: [region, ['VpcId', fixture.main.vpcId], ['Description', 'fuzzed']] },
  ];
}

const V1_NAMES = [
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'AccessKeyId',
  'SecurityToken',
  'Format',
  'Action',
  'Version',
  'SignatureType',
  'RegionId',
];
const V3_HEADERS = [
  'authorization',
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
  'x-acs-security-token',
  'x-acs-credentials-provider',
  'x-acs-foo',
  'content-type',
  'user-agent',
];

const MINUTE = 60_000;

/** Timestamps in the cloud's format and in every format it is not. `{now}` is replaced by the request's time. */
const TIME_TEXTS = [
  '{now}',
  '{now-ms}',
  '{now+08:00}',
  '{now-no-z}',
  '{now-lower}',
  '{now-space}',
  '{now-minute}',
  '{epoch-s}',
  '{epoch-ms}',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '2025-02-30T00:00:00Z',
  '2025-01-01T24:00:00Z',
  '2024-12-31T23:59:60Z',
  '２０２５-０１-０１T００:００:００Z',
  '',
  'now',
];

function timeText(template: string, now: number): string {
  const iso = isoSeconds(now);
  switch (template) {
    case '{now}':
      return iso;
    case '{now-ms}':
      return new Date(now).toISOString();
    case '{now+08:00}':
      return iso.replace('Z', '+08:00');
    case '{now-no-z}':
      return iso.replace('Z', '');
    case '{now-lower}':
      return iso.toLowerCase();
    case '{now-space}':
      return iso.replace('T', ' ');
    case '{now-minute}':
      return iso.replace(/:\d\dZ$/, 'Z');
    case '{epoch-s}':
      return String(Math.floor(now / 1000));
    case '{epoch-ms}':
      return String(now);
    default:
      return template;
  }
}

// eslint-disable-next-line no-control-regex -- controls cannot travel in a header: that is the point
const HEADER_CONTROLS = /[\x00-\x08\x0a-\x1f\x7f]/g;

/** Text that can travel in an HTTP header: the UTF-8 bytes of any text, read as Latin-1 as node does, controls removed. */
export function headerSafe(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1').replace(HEADER_CONTROLS, '');
}

const valueArbitraries = new Map<string, fc.Arbitrary<string>>();
/** Values for a parameter or header, by name; built once per name (see schema-params.ts on chain()). */
const valueFor = (name: string): fc.Arbitrary<string> => {
  let arbitrary = valueArbitraries.get(name);
  if (!arbitrary) valueArbitraries.set(name, (arbitrary = buildValueFor(name)));
  return arbitrary;
};

const HUGE_VALUE = 'y'.repeat(100_000);

function buildValueFor(name: string): fc.Arbitrary<string> {
  const pools: Record<string, string[]> = {
    Signature: ['', 'x', 'AAAA', 'not/base64==', ' '],
    SignatureMethod: ['HMAC-SHA1', 'hmac-sha1', 'HMAC-SHA256', 'HMAC-SM3', '', ' HMAC-SHA1'],
    SignatureVersion: ['1.0', '1', '2.0', '1.00', ''],
    SignatureNonce: ['', 'a', 'x'.repeat(10_000), '00000000-0000-0000-0000-000000000000', '\u{1F600}'],
    Timestamp: TIME_TEXTS,
    'x-acs-date': TIME_TEXTS,
    AccessKeyId: ['LTAInope', '', 'STS.', 'STS.junk', 'LTAItestkey000000000001 ', 'ltaitestkey000000000001'],
    SecurityToken: ['', 'junk', 'v1.1.x'],
    'x-acs-security-token': ['', 'junk'],
    Format: ['JSON', 'XML', 'xml', '', 'yaml'],
    Action: ['describeregions', '', 'DescribeRegions ', 'Nope', 'DescribeSnapshots', 'AllocateEipAddressPro'],
    'x-acs-action': ['describeregions', '', 'Nope', 'DescribeSnapshots'],
    Version: ['', '2014-05-26', '2016-04-28', '1999-01-01', 'latest'],
    'x-acs-version': ['', '2014-05-26', '2016-04-28', '1999-01-01'],
    'x-acs-content-sha256': ['', 'UNSIGNED-PAYLOAD', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', '00'],
    'x-acs-signature-nonce': ['', 'a', 'x'.repeat(10_000)],
    host: ['', 'localhost', 'evil.example', 'localhost:80 '],
    'content-type': ['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', ''],
    'user-agent': ['', 'x'.repeat(20_000)],
    authorization: ['', 'ACS3-HMAC-SHA256', 'Bearer x', 'ACS3-', 'acs3-hmac-sha256 Credential=x,SignedHeaders=host,Signature=00'],
  };
  const pool = pools[name] ?? ['', 'x'];
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: hostileText }, { weight: 1, arbitrary: fc.constant(HUGE_VALUE) });
}

function changeArbitrary(scheme: 'v1' | 'v3'): fc.Arbitrary<Change> {
  const where: fc.Arbitrary<Where> = scheme === 'v1' ? fc.constantFrom<Where>('query', 'body') : fc.constantFrom<Where>('header', 'query', 'body');
  const name = (w: Where) => (w === 'header' ? fc.constantFrom(...V3_HEADERS) : fc.constantFrom(...V1_NAMES));
  const named = (kind: 'set' | 'repeat') => where.chain((w) => name(w).chain((n) => valueFor(n).map((value): Change => ({ kind, where: w, name: n, value }))));
  const common: fc.Arbitrary<Change>[] = [
    named('set'),
    named('repeat'),
    where.chain((w) => name(w).map((n): Change => ({ kind: 'delete', where: w, name: n }))),
    fc
      .constantFrom(-366 * 24 * 60, -61, -16, -15, -14, 14, 15, 16, 61, 366 * 24 * 60)
      .map((m): Change => ({ kind: 'skew', ms: m * MINUTE + (m > 0 ? 1000 : -1000) })),
    fc.constant<Change>({ kind: 'replay' }),
    fc
      .tuple(
        fc.constantFrom(
          undefined,
          'application/x-www-form-urlencoded; charset=utf-16',
          'APPLICATION/X-WWW-FORM-URLENCODED',
          'application/json',
          'multipart/form-data; boundary=x',
          'text/plain',
          'application/x-www-form-urlencoded;x',
        ),
        fc.constantFrom('', 'RegionId=cn-hangzhou', '{"RegionId":"cn-hangzhou"}', 'a=%zz&b', '%', '=&=&=', 'Action=DescribeVpcs'),
      )
      .map(([value, body]): Change => ({ kind: 'content-type', value, body })),
  ];
  if (scheme === 'v1') return fc.oneof(...common, fc.constant<Change>({ kind: 'switch-method' }));
  const edits: AuthorizationEdit[] = [
    'lowercase-scheme',
    'double-spaces',
    'spaces-after-commas',
    'no-credential',
    'empty-credential',
    'unknown-key',
    'other-key',
    'signature-uppercase',
    'signature-truncated',
    'signature-flipped',
    'signature-empty',
    'signature-not-hex',
    'scheme-sm3',
    'scheme-bearer',
    'scheme-only',
    'trailing-comma',
    'hostile',
  ];
  return fc.oneof(
    ...common,
    fc.constantFrom(...edits).map((edit): Change => ({ kind: 'authorization', edit })),
    fc
      .tuple(fc.constantFrom('drop-one', 'add-unsent', 'add-user-agent', 'uppercase', 'duplicate', 'only-host' as const), fc.nat(10))
      .map(([edit, index]): Change => ({ kind: 'signed-headers', edit, index })),
  );
}

export function signatureCaseArbitrary(calls: number): fc.Arbitrary<SignatureCase> {
  // One record per scheme, built once (see schema-params.ts on chain()).
  const of = (scheme: 'v1' | 'v3'): fc.Arbitrary<SignatureCase> => {
    const change = changeArbitrary(scheme);
    return fc.record({
      call: fc.nat(calls - 1),
      scheme: fc.constant(scheme),
      v1Method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
      v1Form: fc.boolean(),
      key: fc.oneof(
        { weight: 10, arbitrary: fc.constant<KeyChoice>('main') },
        { weight: 2, arbitrary: fc.constantFrom<KeyChoice>('other', 'temporary') },
        { weight: 1, arbitrary: fc.constantFrom<KeyChoice>('temporary-without-token', 'temporary-foreign-token', 'unknown') },
      ),
      before: fc.oneof({ weight: 1, arbitrary: fc.constant<Change[]>([]) }, { weight: 3, arbitrary: fc.array(change, { minLength: 1, maxLength: 3 }) }),
      after: fc.oneof({ weight: 2, arbitrary: fc.constant<Change[]>([]) }, { weight: 2, arbitrary: fc.array(change, { minLength: 1, maxLength: 2 }) }),
      hostile: fc.constantFrom(...TRICKY_TEXT),
    });
  };
  return fc.oneof(of('v1'), of('v3'));
}

export interface SignatureContext {
  fixture: Fixture;
  temporary: TemporaryKey;
  now: number;
  nonce: string;
  /** A nonce an earlier request of this run spent (for replays). */
  spentNonce: string;
  host: string;
}

/** A request with the changes applied, and whether the server reads anything but what was signed. */
export interface BuiltSignatureRequest {
  request: HttpRequest;
  /** Tampered after signing: the server must refuse it. */
  tampered: boolean;
}

interface Draft {
  method: 'GET' | 'POST';
  query: Entry[];
  body: Entry[];
  /** Body text sent as is (a content-type change) instead of the encoded entries. */
  rawBody?: string;
  /** V1 only: the Content-Type to send (V3 keeps it among its headers). */
  contentType?: string;
  /** Lower-case names; a name twice is two header lines. */
  headers: Entry[];
}

interface BuildState {
  now: number;
  nonce: string;
}

/** Placeholder for a header computed once every change before signing is made (the body hash, the content type). */
const LATER = '\u0000later';

function encodeEntries(entries: Entry[]): string {
  return entries.map(([k, v]) => `${percentEncode(k, false)}=${percentEncode(v, false)}`).join('&');
}

function bodyText(d: Draft): string {
  return d.rawBody ?? encodeEntries(d.body);
}

/** The time and nonce a case asks for, before anything is built. */
function stateOf(c: SignatureCase, ctx: SignatureContext): BuildState {
  const state = { now: ctx.now, nonce: ctx.nonce };
  for (const change of c.before) {
    if (change.kind === 'skew') state.now = ctx.now + change.ms;
    if (change.kind === 'replay') state.nonce = ctx.spentNonce;
  }
  return state;
}

function applyChange(d: Draft, change: Change, state: BuildState): void {
  const list = (w: Where): Entry[] => (w === 'query' ? d.query : w === 'body' ? d.body : d.headers);
  const valueOf = (w: Where, name: string, value: string) => {
    const text = name === 'Timestamp' || name === 'x-acs-date' ? timeText(value, state.now) : value;
    return w === 'header' ? headerSafe(text) : text;
  };
  switch (change.kind) {
    case 'set': {
      const entries = list(change.where);
      const value = valueOf(change.where, change.name, change.value);
      const i = entries.findIndex(([k]) => k === change.name);
      if (i >= 0) entries[i] = [change.name, value];
      else entries.push([change.name, value]);
      return;
    }
    case 'delete': {
      const entries = list(change.where);
      for (let i = entries.length - 1; i >= 0; i--) if (entries[i]![0] === change.name) entries.splice(i, 1);
      return;
    }
    case 'repeat':
      list(change.where).push([change.name, valueOf(change.where, change.name, change.value)]);
      return;
    case 'content-type':
      d.rawBody = change.body;
      d.method = 'POST';
      d.headers = d.headers.filter(([n]) => n !== 'content-type');
      if (change.value !== undefined) d.headers.push(['content-type', change.value]);
      d.contentType = change.value;
      return;
    case 'switch-method':
      d.method = d.method === 'GET' ? 'POST' : 'GET';
      return;
    default:
      return;
  }
}

function keyOf(choice: KeyChoice, ctx: SignatureContext): { key: Key; token?: string } {
  switch (choice) {
    case 'main':
      return { key: ctx.fixture.main.key };
    case 'other':
      return { key: ctx.fixture.other.key };
    case 'temporary':
      return { key: ctx.temporary, token: ctx.temporary.securityToken };
    case 'temporary-without-token':
      return { key: ctx.temporary };
    case 'temporary-foreign-token':
      return { key: ctx.temporary, token: `${ctx.temporary.securityToken.slice(0, -4)}AAAA` };
    case 'unknown':
      return { key: { accessKeyId: 'LTAIunknownkey000000001', accessKeySecret: 'nope' } };
  }
}

/** V1: the Content-Type a draft is sent with. */
function v1ContentType(d: Draft): string | undefined {
  if (d.method === 'GET') return undefined;
  if (d.rawBody !== undefined) return d.contentType;
  return d.body.length > 0 ? 'application/x-www-form-urlencoded' : undefined;
}

/** What the server reads of a V1 request: the query, then a form body over it (authenticate.ts mergedParams). */
function v1Read(d: Draft): Record<string, string> {
  const read = parseUrlEncoded(encodeEntries(d.query));
  const body = d.method === 'POST' ? bodyText(d) : '';
  if ((v1ContentType(d) ?? '').startsWith('application/x-www-form-urlencoded') && body.length > 0) Object.assign(read, parseUrlEncoded(body));
  return read;
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.join('\n') === kb.join('\n') && ka.every((k) => a[k] === b[k]);
}

function toRequest(d: Draft, extraHeaders: Entry[]): HttpRequest {
  const body = d.method === 'POST' ? bodyText(d) : '';
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of [...d.headers, ...extraHeaders]) {
    const had = headers[name];
    headers[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  const query = encodeEntries(d.query);
  return { method: d.method, url: query ? `/?${query}` : '/', headers, ...(body ? { payload: body } : {}) };
}

export function buildSignatureRequest(c: SignatureCase, calls: ReturnType<typeof baseCalls>, ctx: SignatureContext): BuiltSignatureRequest {
  const call = calls[c.call]!;
  const { key, token } = keyOf(c.key, ctx);
  const state = stateOf(c, ctx);
  return c.scheme === 'v1' ? buildV1(c, call, key, token, state) : buildV3(c, call, key, token, ctx, state);
}

function buildV1(c: SignatureCase, call: ReturnType<typeof baseCalls>[number], key: Key, token: string | undefined, state: BuildState): BuiltSignatureRequest {
  const d: Draft = { method: c.v1Method, query: [], body: [], headers: [] };
  const all: Entry[] = [
    ['Action', call.action],
    ['Version', call.version],
    ['AccessKeyId', key.accessKeyId],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', state.nonce],
    ['Timestamp', isoSeconds(state.now)],
    ['Format', 'JSON'],
    ...(token !== undefined ? ([['SecurityToken', token]] as Entry[]) : []),
    ...call.params,
  ];
  const inBody = c.v1Method === 'POST' && c.v1Form;
  (inBody ? d.body : d.query).push(...all);
  for (const change of c.before) applyChange(d, change, state);
  const signedMethod = d.method;
  const signature = v1Signature(v1StringToSign(signedMethod, v1Read(d)), key.accessKeySecret);
  (inBody && d.method === 'POST' && d.rawBody === undefined ? d.body : d.query).push(['Signature', signature]);
  // What the signature covers: every parameter the server reads but Signature itself.
  const { Signature: _signed, ...signedRead } = v1Read(d);
  for (const change of c.after) applyChange(d, change, state);
  const { Signature: sentSignature, ...read } = v1Read(d);
  const tampered = d.method !== signedMethod || !sameRecord(signedRead, read) || sentSignature !== signature;
  const contentType = v1ContentType(d);
  if (d.method === 'GET' && d.body.length > 0) {
    // A GET carries no body: what was in it goes nowhere (a client would have put it in the query).
    d.body = [];
  }
  return { request: toRequest(d, contentType !== undefined ? [['content-type', contentType]] : []), tampered };
}

function buildV3(
  c: SignatureCase,
  call: ReturnType<typeof baseCalls>[number],
  key: Key,
  token: string | undefined,
  ctx: SignatureContext,
  state: BuildState,
): BuiltSignatureRequest {
  const d: Draft = {
    method: 'POST',
    query: [...call.params],
    body: [],
    headers: [
      ['host', ctx.host],
      ['x-acs-action', call.action],
      ['x-acs-version', call.version],
      ['x-acs-date', isoSeconds(state.now)],
      ['x-acs-signature-nonce', state.nonce],
      ['x-acs-content-sha256', LATER],
      ...(token !== undefined ? ([['x-acs-security-token', token]] as Entry[]) : []),
    ],
  };
  let signedEdit: Extract<Change, { kind: 'signed-headers' }> | undefined;
  for (const change of c.before) {
    if (change.kind === 'signed-headers') signedEdit = change;
    else applyChange(d, change, state);
  }
  // The body is fixed now: encode it once, and hash it where the hash is still to come.
  d.rawBody = bodyText(d);
  d.body = [];
  if (d.rawBody && !d.headers.some(([n]) => n === 'content-type') && !c.before.some((x) => x.kind === 'content-type'))
    d.headers.push(['content-type', 'application/x-www-form-urlencoded']);
  d.headers = d.headers.map(([n, v]) => [n, v === LATER ? sha256Hex(d.rawBody!) : v]);

  const valueIn = (headers: Entry[], name: string) => headerAsRead(headers, name, ctx.host);
  const sent = [...new Set(d.headers.map(([n]) => n))].filter((n) => n !== 'authorization').sort();
  const signedHeaders = signedEdit ? editSignedHeaders(sent, signedEdit) : sent;
  const signedValues: Record<string, string | undefined> = {};
  for (const h of signedHeaders) signedValues[h] = valueIn(d.headers, h.toLowerCase());
  const canonical = v3CanonicalRequest({
    method: 'POST',
    path: '/',
    query: parseUrlEncoded(encodeEntries(d.query)),
    headers: signedValues,
    signedHeaders,
    payloadHash: valueIn(d.headers, 'x-acs-content-sha256') ?? '',
  });
  const authorization = `ACS3-HMAC-SHA256 Credential=${key.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${v3Signature(v3StringToSign(canonical), key.accessKeySecret)}`;
  if (!d.headers.some(([n]) => n === 'authorization')) d.headers.push(['authorization', authorization]);

  const signed = { headers: d.headers.map((h): Entry => [h[0], h[1]]), query: parseUrlEncoded(encodeEntries(d.query)), body: d.rawBody };
  for (const change of c.after) {
    if (change.kind === 'authorization') {
      const current = valueIn(d.headers, 'authorization') ?? authorization;
      d.headers = d.headers.filter(([n]) => n !== 'authorization');
      d.headers.push(['authorization', headerSafe(editAuthorization(current, change.edit, ctx, c.hostile))]);
    } else if (change.kind === 'set' || change.kind === 'delete' || change.kind === 'repeat' || change.kind === 'content-type') {
      if (change.kind !== 'content-type' && change.where === 'body') {
        // A body parameter after signing: appended to the body as sent.
        if (change.kind !== 'delete') d.rawBody = [d.rawBody, encodeEntries([[change.name, change.value]])].filter(Boolean).join('&');
        continue;
      }
      applyChange(d, change, state);
    }
  }
  const tampered =
    valueIn(signed.headers, 'authorization') !== valueIn(d.headers, 'authorization') ||
    // Signed header values are compared as the canonical request has them: trimmed, absent as empty.
    signedHeaders.some((h) => (valueIn(signed.headers, h.toLowerCase()) ?? '').trim() !== (valueIn(d.headers, h.toLowerCase()) ?? '').trim()) ||
    d.headers.some(([n]) => n.startsWith('x-acs-') && !signed.headers.some(([s]) => s === n)) ||
    !sameRecord(signed.query, parseUrlEncoded(encodeEntries(d.query))) ||
    (d.rawBody ?? '') !== (signed.body ?? '');
  return { request: toRequest(d, []), tampered };
}

/** Headers node keeps the first of when a request repeats them (http.IncomingMessage); others it joins with ", ". */
const FIRST_ONLY = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

/** A header's value as the server reads it; a request without Host (or with an empty one) gets app.inject's localhost:80. */
function headerAsRead(headers: Entry[], name: string, defaultHost: string): string | undefined {
  const values = headers.filter(([n]) => n === name).map(([, v]) => v);
  if (name === 'host') return values[0] || defaultHost;
  if (values.length === 0) return undefined;
  return FIRST_ONLY.has(name) ? values[0] : values.join(', ');
}

function editSignedHeaders(sent: string[], edit: Extract<Change, { kind: 'signed-headers' }>): string[] {
  const i = edit.index % Math.max(1, sent.length);
  switch (edit.edit) {
    case 'drop-one':
      return sent.filter((_, j) => j !== i);
    case 'add-unsent':
      return [...sent, 'x-acs-never-sent'].sort();
    case 'add-user-agent':
      return [...sent, 'user-agent'].sort();
    case 'uppercase':
      return sent.map((h, j) => (j === i ? h.toUpperCase() : h));
    case 'duplicate':
      return [...sent, sent[i] ?? 'host'].sort();
    case 'only-host':
      return ['host'];
  }
}

function editAuthorization(auth: string, edit: AuthorizationEdit, ctx: SignatureContext, hostile: string): string {
  const signature = /Signature=([^,]*)$/.exec(auth)?.[1] ?? '';
  switch (edit) {
    case 'lowercase-scheme':
      return auth.replace('ACS3-HMAC-SHA256', 'acs3-hmac-sha256');
    case 'double-spaces':
      return auth.replace(' ', '  ');
    case 'spaces-after-commas':
      return auth.replaceAll(',', ', ');
    case 'no-credential':
      return auth.replace(/Credential=[^,]*,/, '');
    case 'empty-credential':
      return auth.replace(/Credential=[^,]*/, 'Credential=');
    case 'unknown-key':
      return auth.replace(/Credential=[^,]*/, 'Credential=LTAIunknownkey000000001');
    case 'other-key':
      return auth.replace(/Credential=[^,]*/, `Credential=${ctx.fixture.other.key.accessKeyId}`);
    case 'signature-uppercase':
      return signature ? auth.replace(`Signature=${signature}`, `Signature=${signature.toUpperCase()}`) : auth;
    case 'signature-truncated':
      return signature ? auth.replace(`Signature=${signature}`, `Signature=${signature.slice(0, -1)}`) : auth;
    case 'signature-flipped':
      return signature ? auth.replace(`Signature=${signature}`, `Signature=${signature[0] === '0' ? '1' : '0'}${signature.slice(1)}`) : auth;
    case 'signature-empty':
      return auth.replace(`Signature=${signature}`, 'Signature=');
    case 'signature-not-hex':
      return signature ? auth.replace(`Signature=${signature}`, `Signature=${'z'.repeat(signature.length)}`) : auth;
    case 'scheme-sm3':
      return auth.replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3');
    case 'scheme-bearer':
      return `Bearer ${signature}`;
    case 'scheme-only':
      return 'ACS3-HMAC-SHA256';
    case 'trailing-comma':
      return `${auth},`;
    case 'hostile':
      return `ACS3-HMAC-SHA256 Credential=${hostile},SignedHeaders=${hostile},Signature=${signature}`;
  }
}
