import { ASYNC_FAULT_ACTIONS, parseActionRef, type FaultRule } from '../../domain/faults.ts';
import { ApiError, type ErrorSpec } from '../../errors/api-error.ts';
import { CommonErrors, conflictSpecOf } from '../../errors/common.ts';
import { FaultErrors } from '../../errors/eniplane/faults.ts';
import type { NewFaultRule } from '../../services/faults.ts';
import { PRODUCTS, type ActionDefinition } from '../define-action.ts';
import { allActions, resolveProductAction } from '../registry.ts';

/**
 * A fault rule as AddFault and `eniplane faults add` take it, checked against the action
 * registry: the action must be one eniplane implements (of the cloud's products), and the code one
 * that action can answer. Shared by both surfaces, so that neither stores a rule the other refuses.
 */

export interface FaultRuleInput {
  /** `Ecs:AttachNetworkInterface` or `AttachNetworkInterface` (when one product has it). */
  targetAction: string;
  resourceId?: string;
  tagKey?: string;
  tagValue?: string;
  probability?: number;
  seed?: string;
  count?: number;
  code?: string;
  latencyMs?: number;
  asyncResult?: 'Fail';
  asyncDelayMs?: number;
}

/** The action a rule names, among the cloud's actions eniplane implements. */
export function resolveFaultAction(text: string): ActionDefinition {
  const ref = parseActionRef(text);
  if (!ref) throw FaultErrors.actionUnknown(text);
  if (ref.product !== undefined) {
    const product = PRODUCTS.find((p) => p.toLowerCase() === ref.product!.toLowerCase());
    if (!product) throw FaultErrors.actionUnknown(text);
    if (product === 'Eniplane') throw FaultErrors.actionOwn(text);
    const found = resolveProductAction(product, ref.action);
    if (found.kind !== 'found') throw FaultErrors.actionUnknown(text);
    return found.action.def;
  }
  const found = allActions().filter((a) => a.def.name === ref.action);
  if (found.length === 0) throw FaultErrors.actionUnknown(text);
  const cloud = found.filter((a) => a.def.product !== 'Eniplane');
  if (cloud.length === 0) throw FaultErrors.actionOwn(text);
  if (cloud.length > 1) throw FaultErrors.actionAmbiguous(ref.action, cloud.map((a) => `${a.def.product}:${a.def.name}`).join(', '));
  return cloud[0]!.def;
}

/**
 * The codes an action can answer, so a fault can too: its declared ones (docs/errors.md), plus
 * InternalError (500), ServiceUnavailable (503) and its product's conflict code, which any call
 * may meet on the cloud.
 */
export function answerableCodes(def: Pick<ActionDefinition, 'errors' | 'product'>): ErrorSpec<unknown[]>[] {
  const specs = [...(def.errors as readonly ErrorSpec<unknown[]>[]), CommonErrors.internalError, CommonErrors.serviceUnavailable, conflictSpecOf(def.product)];
  const seen = new Set<string>();
  return specs.filter((s) => !seen.has(s.code) && seen.add(s.code)) as ErrorSpec<unknown[]>[];
}

/** Checks a rule's input and gives the rule to store (services/faults.ts addFault). */
export function faultRuleFrom(input: FaultRuleInput): NewFaultRule {
  const def = resolveFaultAction(input.targetAction);
  const ref = `${def.product}:${def.name}`;
  const hasAsync = input.asyncResult !== undefined || (input.asyncDelayMs ?? 0) > 0;
  if (input.code === undefined && !hasAsync && (input.latencyMs ?? 0) <= 0) throw FaultErrors.noEffect();
  if (input.code !== undefined && hasAsync)
    throw FaultErrors.conflict('Code and AsyncResult/AsyncDelayMs exclude each other: a call answered with an error starts nothing.');
  if (input.tagValue !== undefined && input.tagKey === undefined) throw FaultErrors.conflict('TagValue needs TagKey.');
  if (hasAsync && !ASYNC_FAULT_ACTIONS.has(ref)) throw FaultErrors.asyncNotSupported(ref, [...ASYNC_FAULT_ACTIONS].join(', '));
  if (input.code !== undefined) {
    const codes = answerableCodes(def).map((s) => s.code);
    if (!codes.includes(input.code)) throw FaultErrors.codeNotAnswered(input.code, ref, codes.join(', '));
  }
  return {
    product: def.product,
    action: def.name,
    resourceId: input.resourceId || null,
    tag: input.tagKey ? { key: input.tagKey, value: input.tagValue ?? null } : null,
    probability: input.probability ?? null,
    ...(input.seed && { seed: input.seed }),
    maxCount: input.count ?? null,
    code: input.code ?? null,
    latencyMs: input.latencyMs ?? 0,
    asyncFail: input.asyncResult === 'Fail',
    asyncDelayMs: input.asyncDelayMs ?? 0,
  };
}

/**
 * The error a fired rule answers: the code's status, and the message the action would give; a
 * message built from the call's values (an ID) is replaced by the code's description, which
 * needs none.
 */
export function faultError(rule: Pick<FaultRule, 'code' | 'product'>, def: Pick<ActionDefinition, 'errors' | 'product'>): ApiError {
  const spec = answerableCodes(def).find((s) => s.code === rule.code) ?? CommonErrors.internalError;
  const own = spec();
  const message = own.message.includes('undefined') ? spec.description || spec.code : own.message;
  return new ApiError(spec.httpStatus, spec.code, message);
}
