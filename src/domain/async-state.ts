/**
 * Asynchronous states stored as (status, next status, due time) and resolved on read against
 * the request's clock, so every replica agrees and no background worker is needed.
 */
export interface AsyncState {
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
}

/** The same state as the columns of a row that a repo still hands out unmapped. */
export interface AsyncStateColumns {
  status: string;
  next_status: string | null;
  transition_at: number | null;
}

/** The status a model (or a still unmapped row) shows at `now`. */
export function effectiveStatus(state: AsyncState | AsyncStateColumns, now: number): string {
  const mapped = 'nextStatus' in state;
  const next = mapped ? state.nextStatus : state.next_status;
  const at = mapped ? state.transitionAt : state.transition_at;
  return next !== null && at !== null && at <= now ? next : state.status;
}

/** Marks a deletion that completes when its delay has passed; a gone row is never shown. */
export const GONE = 'Gone';

/** The state of a transition: immediate when the delay is zero. */
export function transition(from: string, to: string, delayMs: number, now: number): AsyncState {
  return delayMs <= 0 ? { status: to, nextStatus: null, transitionAt: null } : { status: from, nextStatus: to, transitionAt: now + delayMs };
}

/** A transition as the columns of a row that a repo still takes unmapped. */
export function transitionColumns(from: string, to: string, delayMs: number, now: number): AsyncStateColumns {
  const t = transition(from, to, delayMs, now);
  return { status: t.status, next_status: t.nextStatus, transition_at: t.transitionAt };
}
