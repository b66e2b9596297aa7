import { CommonErrors } from '../errors/common.ts';
import type { RegisteredAction } from './registry.ts';

/**
 * `/Tag/0/Key` (a validation path) → `Tag.1.Key`: the name the RPC wire gives that parameter, one
 * the caller recognises whatever surface it used, as every surface answers with the cloud's codes.
 */
export function wireName(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .map((seg) => (/^\d+$/.test(seg) ? String(Number(seg) + 1) : seg))
    .join('.');
}

/** Checks decoded parameters against the action's schema; the first problem is the answer. */
export function validateParams(action: RegisteredAction, params: Record<string, unknown>): void {
  if (action.checkParams.Check(params)) return;
  const first = action.checkParams.Errors(params).First();
  if (!first) return;
  const name = wireName(first.path);
  // A required property that is absent is reported as such; anything else is an invalid value.
  const absent = first.value === undefined;
  throw absent ? CommonErrors.missingParameter(name) : CommonErrors.invalidParameter(name, `${first.message}.`);
}
