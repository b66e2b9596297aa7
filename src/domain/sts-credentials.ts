import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Temporary credentials of an instance RAM role, as the metadata service hands them out
 * (`meta-data/ram/security-credentials/<role>`) and the gateway verifies them.
 *
 * Stateless, so every replica issues the same set and verifies any set: everything is derived
 * with HMAC-SHA256 from one key kept in the database (service_secrets, like the metadata token
 * key). The SecurityToken carries its claims (key ID, instance, role, the attachment's time,
 * expiry) and their MAC; the AccessKeySecret is a MAC of the AccessKeyId, never stored.
 *
 * Rotation follows the cloud: a set is valid for `lifetimeMs` (6 hours on the cloud: the
 * documented example has LastUpdated 23:20:01, Expiration 05:20:01), and the next set is served
 * from 30 minutes before the current one expires (metadata-service.md §2), so a client that
 * refreshes near expiry always gets a set with most of its life ahead. Sets are numbered from the
 * role's attachment time, so a re-attached role never revives credentials of an earlier attachment.
 */

export const DEFAULT_CREDENTIAL_LIFETIME_MS = 6 * 60 * 60 * 1000;
const CLOUD_RENEW_BEFORE_MS = 30 * 60 * 1000;

export interface RoleAttachment {
  accountId: string;
  instanceId: string;
  roleName: string;
  attachedAt: number;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  issuedAt: number;
  expiration: number;
}

interface Claims {
  v: 1;
  /** AccessKeyId */
  k: string;
  a: string;
  i: string;
  r: string;
  /** attached_at */
  t: number;
  /** expiration, ms */
  x: number;
}

/** How long before expiry the next set is served: 30 minutes, or half the lifetime when that is shorter (test servers). */
export function renewBeforeMs(lifetimeMs: number): number {
  return Math.min(CLOUD_RENEW_BEFORE_MS, Math.floor(lifetimeMs / 2));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Letters and digits from MAC bytes, like the cloud's key IDs and secrets. */
function alnum(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += ALPHABET[bytes[i % bytes.length]! % ALPHABET.length];
  return out;
}

function mac(key: string, ...parts: (string | number)[]): Buffer {
  return createHmac('sha256', key).update(parts.join('\n')).digest();
}

/** The secret that belongs to a temporary AccessKeyId. */
export function secretOf(key: string, accessKeyId: string): string {
  return alnum(Buffer.concat([mac(key, 'sts-secret', accessKeyId), mac(key, 'sts-secret-2', accessKeyId)]), 44);
}

/** The set served at `now` for this attachment (the same on every replica). */
export function credentialsAt(key: string, role: RoleAttachment, now: number, lifetimeMs: number): TemporaryCredentials {
  const period = lifetimeMs - renewBeforeMs(lifetimeMs);
  const index = Math.max(0, Math.floor((now - role.attachedAt) / period));
  const issuedAt = role.attachedAt + index * period;
  const expiration = issuedAt + lifetimeMs;
  const accessKeyId = `STS.${alnum(mac(key, 'sts-id', role.instanceId, role.roleName, role.attachedAt, issuedAt), 28)}`;
  const claims: Claims = { v: 1, k: accessKeyId, a: role.accountId, i: role.instanceId, r: role.roleName, t: role.attachedAt, x: expiration };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const securityToken = `${payload}.${mac(key, 'sts-token', payload).toString('base64url')}`;
  return { accessKeyId, accessKeySecret: secretOf(key, accessKeyId), securityToken, issuedAt, expiration };
}

export type TokenCheck =
  { ok: true; accessKeyId: string; role: RoleAttachment; expiration: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' };

/**
 * Checks a SecurityToken against the AccessKeyId it came with, at `now`. The caller still checks
 * that the role is attached (the same attachment) and the signature with `secretOf`.
 */
export function checkSecurityToken(key: string, accessKeyId: string, token: string, now: number): TokenCheck {
  const m = /^([A-Za-z0-9_-]{1,2048})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = mac(key, 'sts-token', m[1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'malformed' };
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.v !== 1) return { ok: false, reason: 'malformed' };
  if (claims.k !== accessKeyId) return { ok: false, reason: 'mismatch' };
  if (claims.x <= now) return { ok: false, reason: 'expired' };
  return { ok: true, accessKeyId, role: { accountId: claims.a, instanceId: claims.i, roleName: claims.r, attachedAt: claims.t }, expiration: claims.x };
}

/** A role name as RAM accepts it (CreateRole RoleName: 1 to 64 letters, digits, periods, hyphens; underscores tolerated). */
export function isWellFormedRoleName(name: string): boolean {
  return /^[A-Za-z0-9._-]{1,64}$/.test(name);
}
