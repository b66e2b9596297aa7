import type { ServerConfig } from '../config.ts';
import { CommonErrors } from '../errors/common.ts';
import type { Clock } from '../lib/clock.ts';
import { stsKeyFor, temporaryCredential, TEMPORARY_KEY_PREFIX } from '../services/temporary-credentials.ts';
import type { Store } from '../store/db.ts';
import { findAccessKey } from '../store/repos/accounts.ts';
import { nonceGuardFor, type NonceGuard } from '../store/repos/nonces.ts';
import { readerOf } from '../store/tx.ts';
import type { AuthDeps, Credential } from '../wire/authenticate.ts';

const NONCE_PRUNE_INTERVAL_MS = 60_000;

/**
 * What the RPC endpoint's signature check asks of the store: the secret of an AccessKeyId
 * (permanent or temporary) and the one use of each signature nonce.
 */
export function rpcAuthFor(deps: { store: Store; config: Pick<ServerConfig, 'timestampWindowMs'>; clock: Clock }): AuthDeps {
  // Keys are cached once found; an unknown key is looked up again next time (new accounts appear).
  const credentials = new Map<string, Credential>();
  // Loaded while the server starts listening; the first signed request waits for it.
  const nonces = nonceGuardFor(deps.store, deps.clock.now());
  nonces.catch(() => {}); // a failure surfaces where a request awaits it, not as an unhandled rejection
  // Once loaded, the guard is called directly: no promise hops in front of every signed request.
  let loadedNonces: NonceGuard | undefined;
  void nonces.then(
    (guard) => (loadedNonces = guard),
    () => {},
  );
  let lastPrune = deps.clock.now();
  const pruneAndRecord = async (accessKeyId: string, nonce: string, expiresAt: number, now: number) => {
    if (now - lastPrune > NONCE_PRUNE_INTERVAL_MS) {
      lastPrune = now;
      await (await nonces).prune(now);
    }
    return (await nonces).record(accessKeyId, nonce, expiresAt);
  };
  const stsKey = stsKeyFor(deps.store, () => deps.clock.now());
  return {
    now: () => deps.clock.now(),
    timestampWindowMs: deps.config.timestampWindowMs,
    async credentialOf(accessKeyId, securityToken) {
      // Temporary keys are never cached: a detached role must stop working at once.
      if (accessKeyId.startsWith(TEMPORARY_KEY_PREFIX)) return temporaryCredential(deps.store, await stsKey(), accessKeyId, securityToken, deps.clock.now());
      // A token sent with a permanent key is refused, never ignored.
      if (securityToken !== undefined) throw CommonErrors.securityTokenMismatch();
      const cached = credentials.get(accessKeyId);
      if (cached) return cached;
      const key = await findAccessKey(readerOf(deps.store), accessKeyId);
      if (!key) return null;
      const credential = { accountId: key.accountId, secret: key.secret };
      credentials.set(accessKeyId, credential);
      return credential;
    },
    useNonce(accessKeyId, nonce, expiresAt) {
      const now = deps.clock.now();
      if (loadedNonces && now - lastPrune <= NONCE_PRUNE_INTERVAL_MS) return loadedNonces.record(accessKeyId, nonce, expiresAt);
      return pruneAndRecord(accessKeyId, nonce, expiresAt, now);
    },
  };
}
