import type { Registry } from 'prom-client';

/**
 * Counters and histograms for the per-request hot path, kept as plain numbers per series and
 * handed to a prom-client registry only at scrape time. prom-client's own label children hash and
 * validate their labels on every inc and observe (about 2 µs per request for a counter and a
 * histogram); here a caller keeps its series and updates it with a few additions.
 */

type Labels = Record<string, string>;

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** What a prom-client registry reads of a metric (the shape of its own metrics' get()). */
interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: MetricValue[];
}

export interface CounterSeries {
  inc(): void;
}

export interface HistogramSeries {
  observe(value: number): void;
}

/** A counter whose series are made once per label set (`series`) and then incremented for free. */
export function fastCounter(registry: Registry, name: string, help: string): { series(labels: Labels): CounterSeries } {
  const all: { labels: Labels; count: number }[] = [];
  registry.registerMetric({
    name,
    get: (): CollectedMetric => ({ name, help, type: 'counter', aggregator: 'sum', values: all.map((s) => ({ labels: s.labels, value: s.count })) }),
  } as never);
  return {
    series(labels) {
      const s = { labels, count: 0 };
      all.push(s);
      return {
        inc() {
          s.count++;
        },
      };
    },
  };
}

/** A histogram with fixed upper bounds (seconds), its series made once per label set. */
export function fastHistogram(registry: Registry, name: string, help: string, bounds: readonly number[]): { series(labels: Labels): HistogramSeries } {
  const all: { labels: Labels; buckets: number[]; sum: number; count: number }[] = [];
  const collect = (): CollectedMetric => {
    const values: MetricValue[] = [];
    for (const s of all) {
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += s.buckets[i]!;
        values.push({ labels: { ...s.labels, le: String(bounds[i]) }, value: cumulative, metricName: `${name}_bucket` });
      }
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
    }
    return { name, help, type: 'histogram', aggregator: 'sum', values };
  };
  registry.registerMetric({ name, get: collect } as never);
  return {
    series(labels) {
      // One slot per bound; a value above the last is counted only in +Inf (count).
      const s = { labels, buckets: new Array<number>(bounds.length).fill(0), sum: 0, count: 0 };
      all.push(s);
      return {
        observe(value) {
          s.sum += value;
          s.count++;
          for (let i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]!) {
              s.buckets[i] = s.buckets[i]! + 1;
              return;
            }
          }
        },
      };
    },
  };
}
