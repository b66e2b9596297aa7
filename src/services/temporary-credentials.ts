import { randomBytes } from 'node:crypto';
import { checkSecurityToken, credentialsAt, secretOf, type TemporaryCredentials } from '../domain/sts-credentials.ts';
import { CommonErrors } from '../errors/common.ts';
import type { Store } from '../store/db.ts';
import { ramRoleOf } from '../store/repos/ram-roles.ts';
import { ensureServiceSecret } from '../store/repos/service-secrets.ts';
import type { Tx } from '../store/schema.ts';
import { readerOf } from '../store/tx.ts';

/** What an AccessKeyId resolves to: its account and the secret that signs its requests. */
export interface Credential {
  accountId: string;
  secret: string;
}

const SECRET_NAME = 'sts-credential-hmac';

/** Temporary AccessKeyIds start so on the cloud (`STS.NT…`). */
export const TEMPORARY_KEY_PREFIX = 'STS.';

function reader(store: Store): Tx {
  return readerOf(store);
}

/**
 * The key temporary credentials are derived from: created once in the database (the first replica
 * wins, service_secrets), then cached. Never from the seeded random source: a seed would make
 * credentials forgeable.
 */
export function stsKeyFor(store: Store, now: () => number): () => Promise<string> {
  let key: Promise<string> | undefined;
  return () =>
    (key ??= ensureServiceSecret(reader(store), SECRET_NAME, randomBytes(32).toString('base64url'), now()).catch((err: unknown) => {
      key = undefined;
      throw err;
    }));
}

/**
 * The account and secret of a temporary AccessKeyId, checked as the gateway does: a token is
 * required, must be one this server issued, for this key, unexpired, and (eniplane's rule) its
 * role still attached to its instance by the same attachment. Temporary credentials act for the
 * account that owns the instance.
 */
export async function temporaryCredential(store: Store, key: string, accessKeyId: string, token: string | undefined, now: number): Promise<Credential> {
  if (token === undefined) throw CommonErrors.missingSecurityToken();
  const check = checkSecurityToken(key, accessKeyId, token, now);
  if (!check.ok) {
    if (check.reason === 'mismatch') throw CommonErrors.securityTokenMismatch();
    if (check.reason === 'expired') throw CommonErrors.securityTokenExpired();
    throw CommonErrors.securityTokenMalformed();
  }
  // DIVERGENCE: the cloud's STS tokens live until they expire even after DetachInstanceRamRole;
  // eniplane refuses them once the role is detached (or the instance deleted), as its issue asks.
  const attached = await ramRoleOf(reader(store), check.role.instanceId);
  if (!attached || attached.roleName !== check.role.roleName || attached.attachedAt !== check.role.attachedAt) {
    throw CommonErrors.securityTokenExpired();
  }
  return { accountId: check.role.accountId, secret: secretOf(key, accessKeyId) };
}

/** The set the metadata service serves for an instance's attached role at `now`. */
export function roleCredentials(
  key: string,
  role: { accountId: string; instanceId: string; roleName: string; attachedAt: number },
  now: number,
  lifetimeMs: number,
): TemporaryCredentials {
  return credentialsAt(key, role, now, lifetimeMs);
}
