/**
 * Asynchronous states stored as (status, next status, due time) and resolved on read against
 * the request's clock, so every replica agrees and no background worker is needed.
 */
export interface AsyncState {
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
}

/** The status a model shows at `now`. */
export function effectiveStatus(state: AsyncState, now: number): string {
  const next = state.nextStatus;
  const at = state.transitionAt;
  return next !== null && at !== null && at <= now ? next : state.status;
}

/** Marks a deletion that completes when its delay has passed; a gone row is never shown. */
export const GONE = 'Gone';

/** The state of a transition: immediate when the delay is zero. */
export function transition(from: string, to: string, delayMs: number, now: number): AsyncState {
  return delayMs <= 0 ? { status: to, nextStatus: null, transitionAt: null } : { status: from, nextStatus: to, transitionAt: now + delayMs };
}
