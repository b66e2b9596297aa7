import { rateFor, verdict, windowAt, type Rate, type ThrottlePolicy, type ThrottleWindow } from '../domain/throttle.ts';
import { CommonErrors } from '../errors/common.ts';
import type { Clock } from '../lib/clock.ts';
import type { Store } from '../store/db.ts';
import { throttleCounterFor, type ThrottleCounter } from '../store/repos/throttle.ts';

/** A call about to run, as flow control sees it: the authenticated account, the region, the API. */
export interface ThrottledCall {
  accountId: string;
  regionId: string;
  product: string;
  action: string;
}

/** Flow control, asked once per call before the action runs (api/invoke.ts). */
export interface Throttle {
  /** Counts the call; throws Throttling.User (with x-acs-retry-after) when it is over its rate. */
  admit(call: ThrottledCall): void | Promise<void>;
}

/**
 * The header the official SDKs read into ThrottlingError.retryAfter (openapi-core
 * getThrottlingTimeLeft, an integer); their retry loop sleeps that many milliseconds (capped by
 * the retry condition's maxDelay, 120 s by default), so the value is the milliseconds left in the
 * window, after which the call passes again.
 */
export const RETRY_AFTER_HEADER = 'x-acs-retry-after';

export function throttledError(retryAfterMs: number) {
  const err = CommonErrors.throttlingUser();
  err.headers = { [RETRY_AFTER_HEADER]: String(Math.ceil(retryAfterMs)) };
  return err;
}

function refuseOver(count: number, rate: Rate, window: ThrottleWindow, now: number): void {
  if (count <= rate.limit) return;
  const v = verdict(count, rate, window, now);
  if (v.throttled) throw throttledError(v.retryAfterMs);
}

export function createThrottle(policy: ThrottlePolicy, counter: ThrottleCounter, clock: Clock): Throttle {
  // The rate of each `Product:Action` seen, resolved once (null: not throttled).
  const rates = new Map<string, Rate | null>();
  return {
    admit(call) {
      const api = `${call.product}:${call.action}`;
      let rate = rates.get(api);
      if (rate === undefined) rates.set(api, (rate = rateFor(policy, call.product, call.action) ?? null));
      if (!rate) return;
      const limit = rate;
      const now = clock.now();
      const window = windowAt(now, limit.windowMs);
      const counted = counter.count({ accountId: call.accountId, regionId: call.regionId, api, window }, now);
      // The single process's counter answers at once: no promise on the path of every call.
      if (typeof counted === 'number') return refuseOver(counted, limit, window, now);
      return counted.then((count) => refuseOver(count, limit, window, now));
    },
  };
}

/** The server's flow control for `policy` (undefined: `--throttle none`), counting where the store can share it. */
export function throttleFor(store: Store, policy: ThrottlePolicy | undefined, clock: Clock): Throttle | undefined {
  return policy ? createThrottle(policy, throttleCounterFor(store), clock) : undefined;
}
