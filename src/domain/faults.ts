import { createHash } from 'node:crypto';

/**
 * Fault injection rules (eniplane faults add, the Eniplane AddFault action): which calls a rule
 * matches, whether it fires for a given call, and what it does then. Pure: the store keeps the
 * rules and their counters (store/repos/faults.ts), api/fault-injection.ts applies them.
 */

/** What an accepted call's asynchronous transition becomes (AttachNetworkInterface, DetachNetworkInterface, DeleteNetworkInterface). */
export interface AsyncFault {
  /** The transition ends back where it started: an attach in Available, a detach in InUse, a delete in Available. */
  fail: boolean;
  /** Milliseconds the transition lasts beyond its configured delay (serve --delays). */
  extraDelayMs: number;
}

export interface FaultRule {
  id: string;
  accountId: string;
  /** The action's product and name: Ecs, AttachNetworkInterface. */
  product: string;
  action: string;
  /** Only calls with a parameter whose value is this (NetworkInterfaceId, InstanceId, an entry of a list...). */
  resourceId: string | null;
  /** Only calls naming a resource that carries this tag (any value when value is null), or creating one with it. */
  tag: { key: string; value: string | null } | null;
  /** Fires with this probability (0 < p <= 1), drawn from `seed` and the match's number; null: every match. */
  probability: number | null;
  seed: string;
  /** Fires at most this many times (alone: the first N matching calls); null: no limit. */
  maxCount: number | null;
  /** The error answered (a code of the action's catalog or a common one); null: the call runs. */
  code: string | null;
  /** Milliseconds added before the answer. */
  latencyMs: number;
  asyncFail: boolean;
  asyncDelayMs: number;
  /** Calls that matched, and calls the rule fired on, so far. */
  matched: number;
  injected: number;
  createdAt: number;
}

/** The actions whose accepted calls start an asynchronous transition a rule may change (AsyncResult, AsyncDelayMs). */
export const ASYNC_FAULT_ACTIONS: ReadonlySet<string> = new Set(['Ecs:AttachNetworkInterface', 'Ecs:DetachNetworkInterface', 'Ecs:DeleteNetworkInterface']);

/** `Ecs:AttachNetworkInterface` or `AttachNetworkInterface`, as a rule names its action. */
export function parseActionRef(text: string): { product: string | undefined; action: string } | undefined {
  const m = /^(?:([A-Za-z]+):)?([A-Za-z][A-Za-z0-9]*)$/.exec(text.trim());
  return m ? { product: m[1], action: m[2]! } : undefined;
}

export function actionRef(rule: Pick<FaultRule, 'product' | 'action'>): string {
  return `${rule.product}:${rule.action}`;
}

/** A call as the rules see it: its action and decoded parameters. */
export interface FaultCall {
  product: string;
  action: string;
  params: Record<string, unknown>;
}

/** Every string value among the parameters, however deep (lists of IDs, Tag.N entries, JSON lists). */
export function paramStrings(params: unknown, out = new Set<string>()): Set<string> {
  if (typeof params === 'string') out.add(params);
  else if (Array.isArray(params)) for (const v of params) paramStrings(v, out);
  else if (params !== null && typeof params === 'object') for (const v of Object.values(params)) paramStrings(v, out);
  return out;
}

/** The tags a call gives the resource it creates (Tag.N.Key / Tag.N.Value). */
export function requestTags(params: Record<string, unknown>): { key: string; value: string }[] {
  const tags = params.Tag;
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((t: { Key?: unknown; Value?: unknown }) =>
    typeof t?.Key === 'string' ? [{ key: t.Key, value: typeof t.Value === 'string' ? t.Value : '' }] : [],
  );
}

/**
 * The rules that may match a call, in the order they were added: same action, and the resource ID
 * among the call's values when the rule names one. A rule with a tag still needs the tags of the
 * resources the call names (the store's), unless the call itself gives the tag.
 */
export function candidateRules(rules: readonly FaultRule[], call: FaultCall): FaultRule[] {
  const mine = rules.filter((r) => r.product === call.product && r.action === call.action);
  if (mine.length === 0) return mine;
  const values = mine.some((r) => r.resourceId !== null) ? paramStrings(call.params) : undefined;
  return mine.filter((r) => r.resourceId === null || values!.has(r.resourceId));
}

/** Whether the call's own Tag.N holds the rule's tag (a Create call tagging what it makes). */
export function requestHasTag(rule: FaultRule, params: Record<string, unknown>): boolean {
  const tag = rule.tag;
  return tag !== null && requestTags(params).some((t) => t.key === tag.key && (tag.value === null || t.value === tag.value));
}

/** A uniform draw in [0, 1) for the n-th match of a rule with this seed: the same on every replica and every run. */
export function draw(seed: string, n: number): number {
  const digest = createHash('sha256').update(`${seed}:${n}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Whether a rule fires on its `matchNumber`-th matching call (1 for the first), having fired
 * `injected` times before it.
 */
export function fires(rule: Pick<FaultRule, 'probability' | 'seed' | 'maxCount'>, matchNumber: number, injected: number): boolean {
  if (rule.maxCount !== null && injected >= rule.maxCount) return false;
  return rule.probability === null || draw(rule.seed, matchNumber) < rule.probability;
}

/** What a fired rule does to its call. */
export type FaultEffect =
  { kind: 'error'; code: string; latencyMs: number } | { kind: 'latency'; latencyMs: number } | { kind: 'async'; latencyMs: number; async: AsyncFault };

export function effectOf(rule: FaultRule): FaultEffect {
  if (rule.code !== null) return { kind: 'error', code: rule.code, latencyMs: rule.latencyMs };
  if (rule.asyncFail || rule.asyncDelayMs > 0)
    return { kind: 'async', latencyMs: rule.latencyMs, async: { fail: rule.asyncFail, extraDelayMs: rule.asyncDelayMs } };
  return { kind: 'latency', latencyMs: rule.latencyMs };
}

/**
 * The end and length of a transition an accepted call starts (toward `to`, or back to `back`
 * when a fault makes it fail), or undefined when the failure leaves nothing to show: with no
 * delay at all, a failed transition never starts.
 */
export function asyncOutcome(fault: AsyncFault | undefined, to: string, back: string, delayMs: number): { to: string; delayMs: number } | undefined {
  if (!fault) return { to, delayMs };
  const length = delayMs + fault.extraDelayMs;
  if (fault.fail && length <= 0) return undefined;
  return { to: fault.fail ? back : to, delayMs: length };
}
