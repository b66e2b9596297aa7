import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CommonErrors } from '../errors/common.ts';
import { ApiError } from '../errors/api-error.ts';
import type { Clock } from '../lib/clock.ts';
import { TEMPORARY_KEY_PREFIX } from '../services/temporary-credentials.ts';
import type { Store } from '../store/db.ts';
import { findAccessKey } from '../store/repos/accounts.ts';
import { deleteConsoleSession, findConsoleSession, insertConsoleSession, pruneConsoleSessions, type ConsoleSession } from '../store/repos/console-sessions.ts';
import { inTransaction, readerOf } from '../store/tx.ts';

/**
 * Console sessions: an AccessKey pair is checked once at sign-in, and from then on the browser
 * holds only a random session token in an HttpOnly cookie. The secret is never stored by the
 * browser nor by us beyond the access_keys row it was checked against.
 */

export const SESSION_COOKIE = 'eniplane_console';

/**
 * How long an expired session is remembered (its row kept, its cookie left in the browser), so
 * that the console can say "expired" rather than only "sign in". It grants nothing: an expired
 * session is refused whatever its age.
 */
export const EXPIRED_SESSION_MEMORY_MS = 24 * 60 * 60 * 1000;

/** The console's own refusals (not cloud codes: the cloud's console has no AccessKey sign-in). */
export const ConsoleErrors = {
  signInRequired: () => new ApiError(401, 'Console.SignInRequired', 'Sign in with an AccessKey pair to use the console.'),
  sessionExpired: () => new ApiError(401, 'Console.SessionExpired', 'Your console session has expired. Sign in again.'),
  csrf: () => new ApiError(403, 'Console.InvalidCsrfToken', 'The request did not carry this session’s CSRF token; reload the page.'),
  badRequest: (what: string) => new ApiError(400, 'Console.BadRequest', what),
  /** The message the cloud gives a signature made with the wrong secret. */
  wrongSecret: () => new ApiError(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.'),
};

export interface SignedIn {
  token: string;
  session: ConsoleSession;
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ConsoleSessions {
  signIn(accessKeyId: string, accessKeySecret: string): Promise<SignedIn>;
  /** The live session of a cookie token; refuses a missing, unknown or expired one. */
  resolve(token: string | undefined): Promise<ConsoleSession>;
  signOut(token: string | undefined): Promise<void>;
}

export function consoleSessions(store: Store, clock: Clock, ttlMs: number): ConsoleSessions {
  return {
    async signIn(accessKeyId, accessKeySecret) {
      // Temporary (STS) keys expire on their own schedule and need a token: the console takes permanent keys only.
      const key = accessKeyId.startsWith(TEMPORARY_KEY_PREFIX) ? undefined : await findAccessKey(readerOf(store), accessKeyId);
      if (!key) throw CommonErrors.accessKeyNotFound();
      if (!sameSecret(key.secret, accessKeySecret)) throw ConsoleErrors.wrongSecret();
      const now = clock.now();
      const token = randomBytes(32).toString('base64url');
      const session: ConsoleSession = {
        accountId: key.accountId,
        accessKeyId,
        csrfToken: randomBytes(24).toString('base64url'),
        createdAt: now,
        expiresAt: now + ttlMs,
      };
      await inTransaction(store, async (tx) => {
        await pruneConsoleSessions(tx, now - EXPIRED_SESSION_MEMORY_MS);
        await insertConsoleSession(tx, hashOf(token), session);
      });
      return { token, session };
    },
    async resolve(token) {
      if (!token) throw ConsoleErrors.signInRequired();
      const session = await findConsoleSession(readerOf(store), hashOf(token));
      if (!session) throw ConsoleErrors.signInRequired();
      if (session.expiresAt <= clock.now()) throw ConsoleErrors.sessionExpired();
      // A key deleted since sign-in ends the session: the console must not outlive its credential.
      if (!(await findAccessKey(readerOf(store), session.accessKeyId))) throw ConsoleErrors.signInRequired();
      return session;
    },
    async signOut(token) {
      if (!token) return;
      await inTransaction(store, (tx) => deleteConsoleSession(tx, hashOf(token)));
    },
  };
}

/** Compares the CSRF header with the session's token in constant time. */
export function checkCsrf(session: ConsoleSession, header: string | string[] | undefined): void {
  if (typeof header !== 'string' || !sameSecret(session.csrfToken, header)) throw ConsoleErrors.csrf();
}
