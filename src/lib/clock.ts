/** Time source. Everything that reads "now" takes a Clock, so tests and replicas agree on time. */
export interface Clock {
  now(): number;
}

/**
 * The wall clock, never going back within this process: a clock stepped back (NTP on a VM) would
 * otherwise give a later call an earlier time, and lists in creation order would put its resources
 * first. Replicas still each read their own host's clock.
 */
export const systemClock: Clock = (() => {
  let latest = 0;
  return {
    now: () => {
      latest = Math.max(latest, Date.now());
      return latest;
    },
  };
})();

/** `yyyy-MM-ddTHH:mm:ssZ`, the cloud's timestamp format (no milliseconds). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `yyyy-MM-ddTHH:mmZ`, the minute precision DescribeInstances uses. */
export function isoMinutes(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
}
