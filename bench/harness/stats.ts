/** Nearest-rank percentiles over the measured latencies (milliseconds). */
export function summarize(samples: Float64Array): { p50: number; p90: number; p99: number; max: number; mean: number } {
  if (samples.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  const round = (v: number) => Math.round(v * 100) / 100;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]!), mean: round(sum / sorted.length) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The median and the range of a few repeated measurements (the spread a reader should allow for). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

export function formatSpread(s: Spread, digits = 2): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

// Student's t, 95th percentile (a two-sided 90% interval), by degrees of freedom; 1.645 beyond 30.
const T90 = [6.314, 2.92, 2.353, 2.132, 2.015, 1.943, 1.895, 1.86, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.74, 1.734, 1.729, 1.725];

/** A ratio's geometric mean over repeated paired measurements, with a 90% confidence interval (t on the log ratios). */
export interface RatioEstimate {
  mean: number;
  low: number;
  high: number;
  n: number;
}

export function ratioEstimate(ratios: readonly number[]): RatioEstimate {
  const logs = ratios.map(Math.log);
  const n = logs.length;
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean: Math.exp(mean), low: 0, high: Number.POSITIVE_INFINITY, n };
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (T90[n - 2] ?? (n <= 31 ? 1.7 : 1.645)) * (sd / Math.sqrt(n));
  return { mean: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half), n };
}

export function formatEstimate(e: RatioEstimate): string {
  return `${e.mean.toFixed(2)} [${e.low.toFixed(2)}–${e.high.toFixed(2)}]`;
}
