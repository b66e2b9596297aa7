/**
 * How a metadata request names its instance and its item.
 *
 * DIVERGENCE: the cloud knows the asking instance by the request's source address on its
 * private network. eniplane does too at 100.100.100.200 with the data plane (caller.ts); on the
 * loopback listener the instance is named explicitly: the `X-Eniplane-Instance-Id` header, or a
 * path prefix `/i-.../latest/meta-data/...` (docs/divergences.md).
 */

/** The versions the tree is served under: cloud-init asks for 2016-01-01, most others for latest. */
export const METADATA_VERSIONS = ['latest', '2016-01-01'] as const;

export const INSTANCE_HEADER = 'x-eniplane-instance-id';

export type ParsedPath =
  | { kind: 'root' }
  | { kind: 'item'; version: string; instanceId?: string; segments: string[] }
  | { kind: 'not-found' }
  | { kind: 'conflict'; fromPath: string; fromHeader: string };

const INSTANCE_SEGMENT = /^i-[a-z0-9]{1,64}$/;

/**
 * Splits a request URL into (instance, version, item segments). Segments are percent-decoded
 * (tag keys may need it); empty segments from trailing or doubled slashes are kept for the
 * walker to skip.
 */
export function parseMetadataPath(url: string, header: string | undefined): ParsedPath {
  const path = url.split('?')[0] ?? '';
  let segments: string[];
  try {
    segments = path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { kind: 'not-found' };
  }
  let fromPath: string | undefined;
  if (segments[0] !== undefined && INSTANCE_SEGMENT.test(segments[0])) fromPath = segments.shift();
  const fromHeader = header?.trim() || undefined;
  if (fromPath && fromHeader && fromPath !== fromHeader) return { kind: 'conflict', fromPath, fromHeader };
  const version = segments[0];
  if (version === undefined || version === '') return { kind: 'root' };
  if (!(METADATA_VERSIONS as readonly string[]).includes(version)) return { kind: 'not-found' };
  return { kind: 'item', version, instanceId: fromPath ?? fromHeader, segments: segments.slice(1) };
}

/** True when the segments name the token endpoint (api/token, a trailing slash tolerated). */
export function isTokenPath(segments: readonly string[]): boolean {
  const s = segments.filter((x) => x !== '');
  return s.length === 2 && s[0] === 'api' && s[1] === 'token';
}

/** True for meta-data/all, the whole meta-data tree as one JSON object. */
export function isAllPath(segments: readonly string[]): boolean {
  const s = segments.filter((x) => x !== '');
  return s.length === 2 && s[0] === 'meta-data' && s[1] === 'all';
}
