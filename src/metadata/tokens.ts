import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Metadata tokens ("security hardening" mode): PUT /latest/api/token with a TTL of 1 to 21,600
 * seconds; the token is reusable until it expires and bound to the instance that asked for it
 * (metadata-service.md §3).
 *
 * Stateless: `v1.<expiry ms>.<HMAC-SHA256(secret, instance, expiry)>`, with the secret kept in
 * the database, so any replica can check a token another one issued and nothing is stored per token.
 */

export const TOKEN_TTL_MIN_SECONDS = 1;
export const TOKEN_TTL_MAX_SECONDS = 21_600;

/** The TTL header's value as seconds, or undefined when missing, not an integer or out of 1..21600. */
export function parseTokenTtl(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d{1,6}$/.test(header.trim())) return undefined;
  const ttl = Number(header.trim());
  return ttl >= TOKEN_TTL_MIN_SECONDS && ttl <= TOKEN_TTL_MAX_SECONDS ? ttl : undefined;
}

function mac(secret: string, instanceId: string, expiresAt: number): Buffer {
  return createHmac('sha256', secret).update(`v1\n${instanceId}\n${expiresAt}`).digest();
}

export function issueToken(secret: string, instanceId: string, now: number, ttlSeconds: number): string {
  const expiresAt = now + ttlSeconds * 1000;
  return `v1.${expiresAt}.${mac(secret, instanceId, expiresAt).toString('base64url')}`;
}

/** True when the token was issued for this instance and has not expired at `now`. */
export function verifyToken(secret: string, instanceId: string, token: string, now: number): boolean {
  const m = /^v1\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!m) return false;
  const expiresAt = Number(m[1]);
  if (expiresAt <= now) return false;
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = mac(secret, instanceId, expiresAt);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
