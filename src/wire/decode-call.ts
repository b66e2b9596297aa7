import type { Caller } from '../api/invoke.ts';
import { resolveAction, type RegisteredAction } from '../api/registry.ts';
import { CommonErrors } from '../errors/common.ts';
import type { Logger } from '../lib/logger.ts';
import { GATEWAY_PARAMS, type AuthenticatedRequest } from './authenticate.ts';
import { decodeFlatParams } from './flat-params.ts';

/** An authenticated RPC request as invoke takes it: the action, its decoded parameters, the caller. */
export interface DecodedCall {
  action: RegisteredAction;
  params: Record<string, unknown>;
  caller: Caller;
}

/** RegionId is accepted everywhere: the Go SDK sends it even to actions that take none. */
const ALWAYS_ACCEPTED = new Set([...GATEWAY_PARAMS, 'RegionId']);

/**
 * Resolves the action by name and version, and turns its flat wire parameters into the object its
 * schema describes. A parameter the action does not declare is refused by name in strict mode,
 * ignored with a log line in loose mode (serve --loose). Validation against the schema is
 * invoke's, for every surface alike.
 */
export function decodeCall(req: AuthenticatedRequest, settings: { strict: boolean }, log: Logger): DecodedCall {
  const resolution = resolveAction(req.action, req.version);
  if (resolution.kind === 'unknown') throw CommonErrors.invalidAction();
  if (resolution.kind === 'not-implemented') throw CommonErrors.notImplemented(req.action);
  const action = resolution.action;

  const { value, unknown } = decodeFlatParams(action.def.params, req.params, ALWAYS_ACCEPTED);
  if (unknown.length > 0) {
    if (settings.strict) throw CommonErrors.unsupportedParameter(unknown[0]!, action.def.name);
    log.warn({ action: action.def.name, ignored: unknown }, 'loose mode: ignoring unsupported parameters');
  }
  // An action that declares no RegionId still runs in the region the request names.
  return { action, params: value, caller: { accountId: req.accountId, regionId: req.params.RegionId } };
}
