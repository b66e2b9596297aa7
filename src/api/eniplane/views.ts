import { Type } from '@sinclair/typebox';
import { actionRef, type FaultRule } from '../../domain/faults.ts';
import { isoSeconds } from '../../lib/clock.ts';
import { N, Obj, S } from '../schema-helpers.ts';

/** A fault rule as eniplane's own API shows it (AddFault, ListFaults); unset conditions are left out. */
export const FaultItem = Obj({
  FaultId: S,
  TargetAction: S,
  ResourceId: Type.Optional(S),
  TagKey: Type.Optional(S),
  TagValue: Type.Optional(S),
  Probability: Type.Optional(N),
  Seed: S,
  Count: Type.Optional(N),
  Code: Type.Optional(S),
  LatencyMs: N,
  AsyncResult: Type.Optional(S),
  AsyncDelayMs: N,
  /** Calls that matched the rule, and those it answered, so far. */
  MatchedCount: N,
  InjectedCount: N,
  CreationTime: S,
});

export function faultItem(rule: FaultRule) {
  return {
    FaultId: rule.id,
    TargetAction: actionRef(rule),
    ...(rule.resourceId !== null && { ResourceId: rule.resourceId }),
    ...(rule.tag && { TagKey: rule.tag.key }),
    ...(rule.tag?.value != null && { TagValue: rule.tag.value }),
    ...(rule.probability !== null && { Probability: rule.probability }),
    Seed: rule.seed,
    ...(rule.maxCount !== null && { Count: rule.maxCount }),
    ...(rule.code !== null && { Code: rule.code }),
    LatencyMs: rule.latencyMs,
    ...(rule.asyncFail && { AsyncResult: 'Fail' }),
    AsyncDelayMs: rule.asyncDelayMs,
    MatchedCount: rule.matched,
    InjectedCount: rule.injected,
    CreationTime: isoSeconds(rule.createdAt),
  };
}
