import { createHash } from 'node:crypto';
import type { ServerConfig } from '../config.ts';
import { ApiError } from '../errors/api-error.ts';
import { CommonErrors, conflictOf, isConflictAnswer } from '../errors/common.ts';
import { findRegion } from '../domain/regions.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Random } from '../lib/random.ts';
import type { Store } from '../store/db.ts';
import { findClientToken, insertClientToken } from '../store/repos/client-tokens.ts';
import type { Tx } from '../store/schema.ts';
import { inTransaction } from '../store/tx.ts';
import { GATEWAY_PARAMS, type AuthenticatedRequest } from '../wire/authenticate.ts';
import { decodeFlatParams, wireName } from '../wire/flat-params.ts';
import type { ActionContext, Product } from './define-action.ts';
import { canonicalJson } from './canonical-json.ts';
import { PureResults } from './pure-results.ts';
import { resolveAction, type RegisteredAction } from './registry.ts';

export interface DispatchDeps {
  store: Store;
  config: ServerConfig;
  clock: Clock;
  random: Random;
  log: Logger;
}

export interface DispatchResult {
  product: Product;
  action: string;
  body: Record<string, unknown>;
  /**
   * The body is a pure action's kept result: the same frozen object for every equal call, so
   * whatever is derived from it alone (its encoding) may be kept with it.
   */
  shared: boolean;
}

/** RegionId is accepted everywhere: the Go SDK sends it even to actions that take none. */
const ALWAYS_ACCEPTED = new Set([...GATEWAY_PARAMS, 'RegionId']);

function decodeAndValidate(action: RegisteredAction, req: AuthenticatedRequest, deps: DispatchDeps): Record<string, unknown> {
  const { value, unknown } = decodeFlatParams(action.def.params, req.params, ALWAYS_ACCEPTED);
  if (unknown.length > 0) {
    if (deps.config.strict) throw CommonErrors.unsupportedParameter(unknown[0]!, action.def.name);
    deps.log.warn({ action: action.def.name, ignored: unknown }, 'loose mode: ignoring unsupported parameters');
  }
  if (!action.checkParams.Check(value)) {
    const first = action.checkParams.Errors(value).First();
    if (first) {
      const name = wireName(first.path);
      // A required property that is absent is reported as such; anything else is an invalid value.
      const absent = first.value === undefined;
      throw absent ? CommonErrors.missingParameter(name) : CommonErrors.invalidParameter(name, `${first.message}.`);
    }
  }
  return value;
}

function regionOf(params: Record<string, unknown>, req: AuthenticatedRequest, config: ServerConfig): string {
  const regionId = (params.RegionId as string | undefined) ?? req.params.RegionId ?? config.defaultRegion;
  if (!findRegion(regionId)) throw CommonErrors.invalidRegionId(regionId);
  return regionId;
}

function checkClientToken(token: unknown): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (typeof token !== 'string' || token.length > 64 || !/^[\x20-\x7e]+$/.test(token)) throw CommonErrors.invalidClientToken();
  return token;
}

interface Call {
  action: RegisteredAction;
  req: AuthenticatedRequest;
  requestId: string;
  params: Record<string, unknown>;
  regionId: string;
  token: string | undefined;
  dryRun: boolean;
}

/**
 * Read-only actions need no transaction of their own. On SQLite they hold the one connection for
 * all their statements (Kysely's lock, taken once instead of per statement), so no writer's
 * transaction commits between them: a listing and the addresses of what it listed are one state.
 * On PostgreSQL each statement reads committed data from the pool.
 */
function readOnly<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (store.dialect !== 'sqlite') return fn({ db: store.db, dialect: store.dialect });
  return store.db.connection().execute((db) => fn({ db, dialect: store.dialect }));
}

/** The handler in exactly one transaction, with ClientToken and DryRun handled here once for all. */
async function runHandler(call: Call, deps: DispatchDeps): Promise<Record<string, unknown>> {
  const { action, req, params, token, dryRun } = call;
  const def = action.def;
  const paramsHash = token
    ? createHash('sha256')
        .update(canonicalJson({ ...params, ClientToken: undefined }))
        .digest('hex')
    : '';

  const run =
    def.readOnly && !dryRun
      ? (fn: (tx: Tx) => Promise<Record<string, unknown>>) => readOnly(deps.store, fn)
      : (fn: (tx: Tx) => Promise<Record<string, unknown>>) => inTransaction(deps.store, fn);
  return run(async (tx) => {
    const now = deps.clock.now();
    if (token) {
      const previous = await findClientToken(tx, req.accountId, def.name, token);
      if (previous) {
        if (previous.params_hash !== paramsHash) throw CommonErrors.idempotentMismatch();
        return JSON.parse(previous.response) as Record<string, unknown>;
      }
    }
    const ctx: ActionContext = {
      tx,
      accountId: req.accountId,
      regionId: call.regionId,
      now,
      random: deps.random,
      settings: deps.config,
    };
    const result = (await def.handler(params as never, ctx)) as Record<string, unknown>;
    // DryRun: every check above passed; throwing rolls the transaction back.
    if (dryRun) throw CommonErrors.dryRun();
    if (token) {
      await insertClientToken(tx, { accountId: req.accountId, action: def.name, token, paramsHash, response: JSON.stringify(result), createdAt: now });
    }
    return result;
  });
}

/**
 * Runs one authenticated call: resolve the action, decode and validate its parameters, then run
 * its handler (runHandler), or reuse the result of the same call to a pure action.
 */
export async function dispatch(req: AuthenticatedRequest, requestId: string, deps: DispatchDeps): Promise<DispatchResult> {
  const resolution = resolveAction(req.action, req.version);
  if (resolution.kind === 'unknown') throw CommonErrors.invalidAction();
  if (resolution.kind === 'not-implemented') throw CommonErrors.notImplemented(req.action);
  const action = resolution.action;
  const def = action.def;

  const params = decodeAndValidate(action, req, deps);
  const regionId = regionOf(params, req, deps.config);
  const token = def.idempotent ? checkClientToken(params.ClientToken) : undefined;
  const dryRun = params.DryRun === true;

  // A DryRun answers with an error, never with the result: it always goes through the handler.
  const pure = dryRun ? undefined : action.pureResults;
  const key = pure ? PureResults.keyOf(regionId, params) : '';
  const known = pure?.get(key);
  const body =
    known ??
    (await runHandler({ action, req, requestId, params, regionId, token, dryRun }, deps).catch((err: unknown) => {
      // The store answers a lasting conflict without knowing the product; the code is the product's.
      throw isConflictAnswer(err) ? conflictOf(def.product) : err;
    }));

  if (deps.config.checkResults && !action.checkResult.Check(body)) {
    const first = action.checkResult.Errors(body).First();
    throw new Error(`${def.name} returned a result that does not match its declaration at ${first?.path}: ${first?.message}`);
  }
  if (pure && !known) return { product: def.product, action: def.name, body: pure.remember(key, body), shared: true };
  return { product: def.product, action: def.name, body, shared: pure !== undefined };
}

export { ApiError };
