/**
 * `serve --metadata-lag <ms>`: answers that trail the API by a fixed time, so a client's wait
 * loop ("attach, then poll macs/ until the MAC appears") can be tested against a service that is
 * not instantly consistent.
 *
 * Each read records what it saw (a change is recorded when a read first sees it) and is answered
 * with what was current `lag` ms earlier. Kept in this process's memory: a testing aid, so each
 * replica lags on its own observations.
 */
export interface LaggedView<T> {
  /** Records `current` as seen at `now` and returns the value to serve. */
  observe(key: string, current: T, now: number): T;
}

interface Observation<T> {
  at: number;
  value: T;
  fingerprint: string;
}

export function laggedView<T>(lagMs: number, fingerprint: (value: T) => string): LaggedView<T> {
  const history = new Map<string, Observation<T>[]>();
  return {
    observe(key, current, now) {
      if (lagMs <= 0) return current;
      const seen = history.get(key) ?? [];
      const print = fingerprint(current);
      if (seen.at(-1)?.fingerprint !== print) seen.push({ at: now, value: current, fingerprint: print });
      // What was current at now - lag: the last observation at or before then, else the oldest known.
      const cutoff = now - lagMs;
      let index = 0;
      for (let i = 0; i < seen.length; i++) if (seen[i]!.at <= cutoff) index = i;
      // Older observations can never be served again.
      if (index > 0) seen.splice(0, index);
      history.set(key, seen);
      return seen[0]!.value;
    },
  };
}
