import { Type } from '@sinclair/typebox';
import { FaultErrors } from '../../errors/eniplane/faults.ts';
import { addFault as add } from '../../services/faults.ts';
import { defineAction } from '../define-action.ts';
import { Enum } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';
import { faultRuleFrom } from './fault-rules.ts';
import { FaultItem, faultItem } from './views.ts';

/**
 * eniplane's own: a fault rule for the caller's account. Matching calls to TargetAction (those
 * naming ResourceId, or a resource tagged TagKey[=TagValue], when given) are answered with Code,
 * delayed by LatencyMs, or have their asynchronous transition changed (AsyncResult=Fail: it ends
 * back where it started; AsyncDelayMs: it lasts longer); for the first Count of them, or each with
 * Probability (drawn from Seed: the same sequence every run).
 */
export const addFault = defineAction({
  product: 'Eniplane',
  name: 'AddFault',
  summary:
    "Add a fault rule to the caller's account: calls to an action (by resource ID or tag; Count or Probability) answer an error code of that action, wait LatencyMs, or see their Attach/Detach/Delete end differently (AsyncResult=Fail, AsyncDelayMs).",
  params: Type.Object({
    TargetAction: Type.String({ maxLength: 128 }),
    ResourceId: Type.Optional(Type.String({ maxLength: 128 })),
    TagKey: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    TagValue: Type.Optional(Type.String({ maxLength: 128 })),
    Probability: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    Seed: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    Count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
    Code: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    LatencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    AsyncResult: Type.Optional(Enum(['Fail'] as const)),
    AsyncDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  }),
  result: Obj({ FaultId: S, Fault: FaultItem }),
  errors: [FaultErrors.actionUnknown, FaultErrors.codeNotAnswered, FaultErrors.noEffect, FaultErrors.asyncNotSupported, FaultErrors.conflict],
  async handler(p, ctx) {
    const rule = await add(
      ctx,
      faultRuleFrom({
        targetAction: p.TargetAction,
        resourceId: p.ResourceId,
        tagKey: p.TagKey,
        tagValue: p.TagValue,
        probability: p.Probability,
        seed: p.Seed,
        count: p.Count,
        code: p.Code,
        latencyMs: p.LatencyMs,
        asyncResult: p.AsyncResult,
        asyncDelayMs: p.AsyncDelayMs,
      }),
    );
    return { FaultId: rule.id, Fault: faultItem(rule) };
  },
});
