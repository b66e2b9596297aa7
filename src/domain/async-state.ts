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

/**
 * The same state as a model carries it (camelCase fields). Models of the VPC side (VPCs,
 * vSwitches) use these; the row-shaped ones above serve the repos still handing out rows.
 */
export interface ModelAsyncState {
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
}

/** The status a model shows at `now`. */
export function statusAt(model: ModelAsyncState, now: number): string {
  return model.nextStatus !== null && model.transitionAt !== null && model.transitionAt <= now ? model.nextStatus : model.status;
}

/** A transition as model fields: immediate when the delay is zero. */
export function modelTransition(from: string, to: string, delayMs: number, now: number): ModelAsyncState {
  return delayMs <= 0 ? { status: to, nextStatus: null, transitionAt: null } : { status: from, nextStatus: to, transitionAt: now + delayMs };
}
