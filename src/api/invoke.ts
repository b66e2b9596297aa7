import { createHash } from 'node:crypto';
import type { ServerConfig } from '../config.ts';
import type { AsyncFault } from '../domain/faults.ts';
import { findRegion } from '../domain/regions.ts';
import { CommonErrors, conflictOf, isConflictAnswer } from '../errors/common.ts';
import type { Clock } from '../lib/clock.ts';
import type { Random } from '../lib/random.ts';
import type { ServiceContext, ServiceSettings } from '../services/context.ts';
import type { Throttle } from '../services/throttle.ts';
import type { Store } from '../store/db.ts';
import { findClientToken, insertClientToken } from '../store/repos/client-tokens.ts';
import type { Tx } from '../store/schema.ts';
import { inTransaction, readConsistently, StoreConflictError } from '../store/tx.ts';
import { canonicalJson } from './canonical-json.ts';
import type { Product } from './define-action.ts';
import { PureResults } from './pure-results.ts';
import { resolveProductAction, type RegisteredAction } from './registry.ts';
import { validateParams } from './validate-params.ts';
import type { FaultInjector } from './fault-injection.ts';

/**
 * The one way into an action, for every surface (the RPC wire, the console, the CLI, tests):
 * parameters already decoded to the shape of the action's schema go in, the action's result
 * comes out, or an ApiError with the cloud's code. Everything between is here once: validation,
 * the region, ClientToken, DryRun, the transaction, the result check. Nothing here knows a wire.
 */

/** The settings invoke reads: the use cases' own, the default region and whether results are checked (a ServerConfig will do). */
export type InvokeSettings = ServiceSettings & Pick<ServerConfig, 'defaultRegion' | 'checkResults'>;

export interface InvokerDeps {
  store: Store;
  settings: InvokeSettings;
  clock: Clock;
  random: Random;
  /** Flow control (services/throttle.ts, `serve --throttle`); absent: none. */
  throttle?: Throttle | undefined;
  /** Injected faults (eniplane faults add); none without it. */
  faults?: FaultInjector;
}

/** Who calls, and what the surface knows of the call beyond its parameters. */
export interface Caller {
  accountId: string;
  /**
   * The region the call names outside its parameters (the RPC wire sends RegionId even to actions
   * that declare none), used when the parameters hold no RegionId; else the default region.
   */
  regionId?: string;
  /** The RequestId the surface answers with, for the log lines of what happens inside (an injected fault). */
  requestId?: string;
}

export interface Invocation {
  product: Product;
  action: string;
  body: Record<string, unknown>;
  /**
   * The body is a pure action's kept result: the same frozen object for every equal call, so
   * whatever is derived from it alone (its encoding) may be kept with it.
   */
  shared: boolean;
}

export interface Invoker {
  /** Resolves `action` in `product` (api/registry.ts) and runs it. */
  invoke(product: Product, action: string, params: Record<string, unknown>, caller: Caller): Promise<Invocation>;
  /** Runs an action the surface has resolved already (the RPC route resolves by version). */
  invokeAction(action: RegisteredAction, params: Record<string, unknown>, caller: Caller): Promise<Invocation>;
}

export function createInvoker(deps: InvokerDeps): Invoker {
  return {
    invoke(product, name, params, caller) {
      const resolution = resolveProductAction(product, name);
      if (resolution.kind === 'unknown') return Promise.reject(CommonErrors.invalidAction());
      if (resolution.kind === 'not-implemented') return Promise.reject(CommonErrors.notImplemented(name));
      return invokeAction(resolution.action, params, caller, deps);
    },
    invokeAction: (action, params, caller) => invokeAction(action, params, caller, deps),
  };
}

function regionOf(params: Record<string, unknown>, caller: Caller, settings: InvokeSettings): string {
  const regionId = (params.RegionId as string | undefined) ?? caller.regionId ?? settings.defaultRegion;
  if (!findRegion(regionId)) throw CommonErrors.invalidRegionId(regionId);
  return regionId;
}

function checkClientToken(token: unknown): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (typeof token !== 'string' || token.length > 64 || !/^[\x20-\x7e]+$/.test(token)) throw CommonErrors.invalidClientToken();
  return token;
}

/**
 * Validates, resolves the region, then runs the handler (runHandler), or reuses the result of the
 * same call to a pure action.
 */
async function invokeAction(action: RegisteredAction, params: Record<string, unknown>, caller: Caller, deps: InvokerDeps): Promise<Invocation> {
  const def = action.def;
  validateParams(action, params);
  const regionId = regionOf(params, caller, deps.settings);
  // As the cloud's gateway: after authentication, per account, region and API, before the action (the console too).
  const admitted = deps.throttle?.admit({ accountId: caller.accountId, regionId, product: def.product, action: def.name });
  if (admitted) await admitted;
  const token = def.idempotent ? checkClientToken(params.ClientToken) : undefined;
  const dryRun = params.DryRun === true;
  // Injected faults (api/fault-injection.ts): their errors are thrown here, before anything runs or changes. No await without a rule.
  const pending = deps.faults?.before(def, params, caller);
  const asyncFault = pending && (await pending);

  // A DryRun answers with an error, never with the result: it always goes through the handler.
  const pure = dryRun ? undefined : action.pureResults;
  const key = pure ? PureResults.keyOf(regionId, params) : '';
  const known = pure?.get(key);
  const body =
    known ??
    (await runHandler({ action, accountId: caller.accountId, params, regionId, token, dryRun, asyncFault }, deps).catch((err: unknown) => {
      // The store and the use cases answer a lasting conflict without knowing the product; the code is the product's.
      throw err instanceof StoreConflictError || isConflictAnswer(err) ? conflictOf(def.product) : err;
    }));

  if (deps.settings.checkResults && !action.checkResult.Check(body)) {
    const first = action.checkResult.Errors(body).First();
    throw new Error(`${def.name} returned a result that does not match its declaration at ${first?.path}: ${first?.message}`);
  }
  if (pure && !known) return { product: def.product, action: def.name, body: pure.remember(key, body), shared: true };
  return { product: def.product, action: def.name, body, shared: pure !== undefined };
}

interface Call {
  action: RegisteredAction;
  accountId: string;
  params: Record<string, unknown>;
  regionId: string;
  token: string | undefined;
  dryRun: boolean;
  asyncFault: AsyncFault | undefined;
}

type Body = Record<string, unknown>;

/** The handler in exactly one transaction, with ClientToken and DryRun handled here once for all. */
async function runHandler(call: Call, deps: InvokerDeps): Promise<Body> {
  const { action, accountId, params, token, dryRun } = call;
  const def = action.def;
  const paramsHash = token
    ? createHash('sha256')
        .update(canonicalJson({ ...params, ClientToken: undefined }))
        .digest('hex')
    : '';

  // Read-only actions need no transaction of their own, only one state across their statements.
  const run =
    def.readOnly && !dryRun
      ? (fn: (tx: Tx) => Promise<Body>) => readConsistently(deps.store, fn)
      : (fn: (tx: Tx) => Promise<Body>) => inTransaction(deps.store, fn);
  return run(async (tx) => {
    const now = deps.clock.now();
    if (token) {
      const previous = await findClientToken(tx, accountId, def.name, token);
      if (previous) {
        if (previous.params_hash !== paramsHash) throw CommonErrors.idempotentMismatch();
        return JSON.parse(previous.response) as Body;
      }
    }
    const ctx: ServiceContext = {
      tx,
      accountId,
      regionId: call.regionId,
      now,
      random: deps.random,
      settings: deps.settings,
      ...(call.asyncFault && { asyncFault: call.asyncFault }),
    };
    const result = (await def.handler(params as never, ctx)) as Body;
    // DryRun: every check above passed; throwing rolls the transaction back.
    if (dryRun) throw CommonErrors.dryRun();
    if (token) {
      await insertClientToken(tx, { accountId, action: def.name, token, paramsHash, response: JSON.stringify(result), createdAt: now });
    }
    return result;
  });
}
