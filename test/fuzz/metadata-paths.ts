import assert from 'node:assert/strict';
import fc from 'fast-check';
import { headerSafe } from './signature-inputs.ts';
import { hostileText, longText, TRICKY_TEXT } from './wire-values.ts';

/**
 * Requests to the metadata service (src/metadata): real item paths and arbitrary ones, dot
 * segments, percent-encoded and broken escapes, very long paths; the instance named by a path
 * prefix, a header, both, or neither; tokens (valid, another instance's, expired, forged, junk)
 * and TTL headers; every method.
 */

export type Who = 'none' | 'main' | 'other' | 'missing' | 'junk';
export type TokenChoice = 'none' | 'main' | 'other' | 'expired' | 'forged' | 'junk' | 'huge';

export interface MetadataCase {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'OPTIONS';
  prefix: Who;
  header: Who;
  /** The instance header sent twice (the second value another instance's). */
  headerTwice: boolean;
  version: string;
  /** Path segments after the version, each with how it is written. */
  segments: { text: string; encoding: 'plain' | 'percent' | 'double' }[];
  tail: string;
  token: TokenChoice;
  ttl: string | undefined;
  forwardedFor: boolean;
}

export interface MetadataWorld {
  mainInstance: string;
  otherInstance: string;
  /** Paths under the version that exist for the main instance (meta-data/instance-id, …). */
  paths: string[][];
  tokens: Record<'main' | 'other' | 'expired', string>;
}

/** One request as app.inject (or a raw socket) sends it. */
export interface MetadataRequest {
  method: MetadataCase['method'];
  url: string;
  headers: Record<string, string | string[]>;
  /** Who the request names: what an answer may be about. */
  named: Set<string>;
}

const SEGMENTS = [
  '..',
  '.',
  '',
  'meta-data',
  'api',
  'token',
  'all',
  'network',
  'interfaces',
  'macs',
  'ram',
  'security-credentials',
  'FuzzRole',
  'user-data',
  'dynamic',
];

export function metadataCaseArbitrary(world: MetadataWorld): fc.Arbitrary<MetadataCase> {
  const who = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom<Who>('main', 'none') },
    { weight: 2, arbitrary: fc.constantFrom<Who>('other', 'missing', 'junk') },
  );
  const segment = fc.record({
    text: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...SEGMENTS) },
      { weight: 1, arbitrary: hostileText },
      { weight: 1, arbitrary: fc.constantFrom(...TRICKY_TEXT) },
    ),
    encoding: fc.constantFrom<'plain' | 'percent' | 'double'>('percent', 'percent', 'plain', 'double'),
  });
  const realPath = fc.constantFrom(...world.paths).map((p) => p.map((text) => ({ text, encoding: 'percent' as const })));
  const segments: fc.Arbitrary<MetadataCase['segments']> = fc.oneof(
    { weight: 5, arbitrary: realPath },
    { weight: 2, arbitrary: fc.tuple(realPath, fc.array(segment, { maxLength: 3 })).map(([a, b]) => [...a, ...b]) },
    { weight: 2, arbitrary: fc.array(segment, { maxLength: 6 }) },
    { weight: 1, arbitrary: longText.map((t) => [{ text: t.slice(0, 8000), encoding: 'percent' as const }]) },
    {
      weight: 1,
      arbitrary: fc.constant<MetadataCase['segments']>([
        { text: 'api', encoding: 'percent' },
        { text: 'token', encoding: 'percent' },
      ]),
    },
  );
  return fc.record({
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant<MetadataCase['method']>('GET') },
      { weight: 3, arbitrary: fc.constantFrom<MetadataCase['method']>('PUT', 'HEAD', 'POST', 'DELETE', 'PATCH', 'OPTIONS') },
    ),
    prefix: who,
    header: who,
    headerTwice: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    version: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('latest', '2016-01-01') },
      { weight: 1, arbitrary: fc.constantFrom('', 'LATEST', '2009-04-04', 'latest.', '%6Catest') },
    ),
    segments,
    tail: fc.constantFrom('', '', '/', '//', '?x=1', '?', '#frag', ';p=1', '/..', '/%2e%2e', '%00'),
    token: fc.oneof(
      { weight: 4, arbitrary: fc.constant<TokenChoice>('none') },
      { weight: 2, arbitrary: fc.constant<TokenChoice>('main') },
      { weight: 2, arbitrary: fc.constantFrom<TokenChoice>('other', 'expired', 'forged', 'junk', 'huge') },
    ),
    ttl: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.constantFrom('1', '21600', '60', ' 60 ') },
      { weight: 2, arbitrary: fc.constantFrom('0', '21601', '-1', '1e3', '0x10', '', '99999999999', '６０') },
    ),
    forwardedFor: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });
}

function encodeSegment({ text, encoding }: MetadataCase['segments'][number]): string {
  if (encoding === 'plain') return /^[\x21-\x7e]*$/.test(text) && !/[?#/]/.test(text) ? text : encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  const once = encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  return encoding === 'double' ? encodeURIComponent(once) : once;
}

export function buildMetadataRequest(c: MetadataCase, world: MetadataWorld): MetadataRequest {
  const idOf = (w: Who): string | undefined =>
    w === 'main'
      ? world.mainInstance
      : w === 'other'
        ? world.otherInstance
        : w === 'missing'
          ? 'i-bp1doesnotexist000000'
          : w === 'junk'
            ? 'i-../../x'
            : undefined;
  const named = new Set<string>();
  const prefix = idOf(c.prefix);
  if (prefix) named.add(prefix);
  const headers: Record<string, string | string[]> = {};
  const header = idOf(c.header);
  if (header) {
    named.add(header);
    headers['x-eniplane-instance-id'] = c.headerTwice ? [header, world.otherInstance] : header;
    if (c.headerTwice) named.add(world.otherInstance);
  }
  const tokens: Record<TokenChoice, string | undefined> = {
    none: undefined,
    main: world.tokens.main,
    other: world.tokens.other,
    expired: world.tokens.expired,
    forged: `v1.${Date.UTC(2999, 0, 1)}.${'A'.repeat(43)}`,
    junk: headerSafe(TRICKY_TEXT[world.paths.length % TRICKY_TEXT.length]!) || 'junk',
    huge: 'v1.1.' + 'x'.repeat(60_000),
  };
  const token = tokens[c.token];
  if (token !== undefined) headers['x-aliyun-ecs-metadata-token'] = token;
  if (c.ttl !== undefined) headers['x-aliyun-ecs-metadata-token-ttl-seconds'] = headerSafe(c.ttl);
  if (c.forwardedFor) headers['x-forwarded-for'] = '10.0.0.1';
  const path = [prefix && encodeURIComponent(prefix), c.version, ...c.segments.map(encodeSegment)].filter((p) => p !== undefined && p !== '').join('/');
  return { method: c.method, url: `/${path}${c.tail}`, headers, named };
}

/** The statuses the metadata service answers with (src/metadata/server.ts). */
export const METADATA_STATUSES = new Set([200, 400, 401, 403, 404, 405]);
const ROOT_LISTING = 'latest/\n2016-01-01/';

/**
 * Whether a path (as the server receives it) names the root, the versions' listing, where tokens
 * do not apply: nothing, or an empty segment, after an optional instance prefix.
 */
export function isRootPath(path: string): boolean {
  const segments = path.split('?')[0]!.split('/').slice(1);
  let first = segments[0];
  try {
    first = first === undefined ? undefined : decodeURIComponent(first);
  } catch {
    return false;
  }
  if (first !== undefined && /^i-[a-z0-9]{1,64}$/.test(first)) segments.shift();
  return segments[0] === undefined || segments[0] === '';
}

/**
 * The oracles of one metadata answer: a status the service answers with, plain text or JSON, no
 * body for HEAD; an item never shows the other instance's data unless the request named it, and
 * is never served with a token other than the named instance's own live one.
 */
export function checkMetadataAnswer(
  c: MetadataCase,
  req: MetadataRequest,
  answer: { status: number; contentType: string; body: string },
  world: MetadataWorld & { foreign: string[] },
  context: string,
): void {
  assert.ok(METADATA_STATUSES.has(answer.status), `status ${answer.status}: ${answer.body.slice(0, 500)}\n  request: ${context}`);
  assert.match(answer.contentType, /^(text\/plain; charset=utf-8|application\/json)/, context);
  if (req.method === 'HEAD') assert.equal(answer.body, '', context);
  if (answer.status !== 200 || req.method === 'PUT') return;
  if (isRootPath(req.url)) {
    if (req.method === 'GET') assert.equal(answer.body, ROOT_LISTING, context);
    return;
  }
  if (!req.named.has(world.otherInstance)) {
    for (const value of world.foreign)
      assert.ok(!answer.body.includes(value), `an answer about ${[...req.named].join(', ')} shows ${value}\n  request: ${context}`);
  }
  const ownToken =
    c.token === 'none' ||
    (c.token === 'main' && !req.named.has(world.otherInstance)) ||
    (c.token === 'other' && req.named.has(world.otherInstance) && req.named.size === 1);
  assert.ok(ownToken, `an item served with the token "${c.token}"\n  request: ${context}`);
}

/** Every path of an instance's tree under latest/, found by following its directory listings. */
export async function treePaths(get: (url: string) => Promise<{ status: number; body: string }>, instanceId: string): Promise<string[][]> {
  const found: string[][] = [];
  const visit = async (dir: string[]) => {
    const res = await get(`/${instanceId}/latest/${dir.map(encodeURIComponent).join('/')}`);
    assert.equal(res.status, 200, `${dir.join('/')}: ${res.body}`);
    for (const line of res.body.split('\n').filter(Boolean)) {
      const path = [...dir, line.replace(/\/$/, '')];
      found.push(path);
      if (line.endsWith('/') && path.length < 8 && found.length < 400) await visit(path);
    }
  };
  await visit([]);
  return found;
}
