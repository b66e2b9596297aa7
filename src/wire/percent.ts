import { parse } from 'node:querystring';

/** RFC 3986 encoding the signatures use: unreserved `A-Z a-z 0-9 - _ . ~` stay, space is %20. */
export function pct(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose
const ASCII = /^[\x00-\x7f]*$/;

/** Byte order, which is how both signature versions sort parameter names. */
export function byBytes(a: string, b: string): number {
  // For ASCII (every real parameter name) UTF-16 order is byte order: no buffers needed.
  if (ASCII.test(a) && ASCII.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Decodes `a=b&c=d` (query string or form body) into single values. A literal `+` is a space, as
 * form encoding has it; a repeated name keeps its first value. Every pair is read (no maxKeys cut,
 * which would drop parameters silently): authenticate bounds their number first (countPairs).
 */
export function parseUrlEncoded(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const [k, v] of Object.entries(parse(raw, '&', '=', { maxKeys: 0 }))) {
    out[k] = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  }
  return out;
}

const AMPERSAND = 0x26;

/** How many `&`-separated pairs a query string or form body holds, without decoding it. */
export function countPairs(raw: string | Buffer): number {
  if (raw.length === 0) return 0;
  let n = 1;
  if (typeof raw === 'string') {
    for (let i = raw.indexOf('&'); i >= 0; i = raw.indexOf('&', i + 1)) n++;
  } else {
    for (let i = raw.indexOf(AMPERSAND); i >= 0; i = raw.indexOf(AMPERSAND, i + 1)) n++;
  }
  return n;
}
