/** Time source. Everything that reads "now" takes a Clock, so tests and replicas agree on time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** `yyyy-MM-ddTHH:mm:ssZ`, the cloud's timestamp format (no milliseconds). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `yyyy-MM-ddTHH:mmZ`, the minute precision DescribeInstances uses. */
export function isoMinutes(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
}
