// TEMPORARY, for bench/in-process.ts only (it may not be edited on this branch): `dispatch` as it
// was, now the RPC route's decoding (wire/decode-call.ts) followed by invoke (api/invoke.ts). It
// imports the wire, which api/ must not (the one layer error left in api/): delete this file when
// bench calls createInvoker(...).invoke directly.
import type { ServerConfig } from '../config.ts';
import type { Logger } from '../lib/logger.ts';
import type { Clock } from '../lib/clock.ts';
import type { Random } from '../lib/random.ts';
import type { Store } from '../store/db.ts';
import type { AuthenticatedRequest } from '../wire/authenticate.ts';
import { decodeCall } from '../wire/decode-call.ts';
import { createInvoker, type Invocation, type Invoker } from './invoke.ts';

export interface DispatchDeps {
  store: Store;
  config: ServerConfig;
  clock: Clock;
  random: Random;
  log: Logger;
}

const invokers = new WeakMap<DispatchDeps, Invoker>();

export async function dispatch(req: AuthenticatedRequest, _requestId: string, deps: DispatchDeps): Promise<Invocation> {
  let invoker = invokers.get(deps);
  if (!invoker) invokers.set(deps, (invoker = createInvoker({ store: deps.store, settings: deps.config, clock: deps.clock, random: deps.random })));
  const call = decodeCall(req, deps.config, deps.log);
  return invoker.invokeAction(call.action, call.params, call.caller);
}
