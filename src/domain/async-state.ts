/**
 * Asynchronous states stored as (status, next status, due time) and resolved on read against
 * the request's clock, so every replica agrees and no background worker is needed.
 */
export interface AsyncState {
  status: string;
  next_status: string | null;
  transition_at: number | null;
}

/** The status a row shows at `now`. */
export function effectiveStatus(row: AsyncState, now: number): string {
  return row.next_status !== null && row.transition_at !== null && row.transition_at <= now ? row.next_status : row.status;
}

/** Marks a deletion that completes when its delay has passed; a gone row is never shown. */
export const GONE = 'Gone';

/** The columns for a transition: immediate when the delay is zero. */
export function transition(from: string, to: string, delayMs: number, now: number): AsyncState {
  return delayMs <= 0 ? { status: to, next_status: null, transition_at: null } : { status: from, next_status: to, transition_at: now + delayMs };
}
