/** What a benchmark asks the load generator to do, and what it answers (plain JSON over IPC). */

import { BENCH_KEY, type BenchKey } from './sign.ts';

/** One signed call: which account's key signs it, and what it asks. */
export interface ListedRequest {
  /** Index into the request spec's `keys`. */
  key: number;
  action: string;
  version: string;
  params: Record<string, string>;
}

/**
 * The requests of a scenario, built by the benchmark from what its seed or setup made, each
 * signed (fresh nonce and date) with its account's key: sent in order, each once (then the
 * scenario stops: `nextSlot` tells how many went out), or round and round with `cycle`. With
 * `presigned`, 256 requests are signed up front and sent in turn (for the bare route, which checks
 * nothing: the load generator then spends less per request and limits that baseline less).
 */
export interface RequestSpec {
  keys: BenchKey[];
  requests: ListedRequest[];
  cycle: boolean;
  presigned?: boolean;
}

export interface ScenarioSpec {
  name: string;
  host: string;
  /** Connection i goes to ports[i mod n] (several replicas: round-robin, as a load balancer would). */
  ports: number[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Hard cap on measured requests (the latency buffer's size). */
  maxRequests: number;
  /** Per-request timeout. */
  requestTimeoutMs: number;
  request: RequestSpec;
}

export interface ScenarioResult {
  name: string;
  concurrency: number;
  windowMs: number;
  /** Completed in the measuring window (successes and errors). */
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Non-200 answers and transport failures, measuring window and warm-up. */
  errors: number;
  warmupErrors: number;
  errorSamples: string[];
  /** Requests issued in total (warm-up included). */
  issued: number;
  /** The load generator's own CPU use during the window, in % of one core. */
  clientCpuPercent: number;
  /** Set when the run stopped early: out of listed requests or at maxRequests. */
  stoppedEarly?: string;
  /** How many listed requests went out (the next unused one). */
  nextSlot: number;
}

export type ToLoadgen = { type: 'run'; spec: ScenarioSpec } | { type: 'exit' };
export type FromLoadgen =
  { type: 'ready' } | { type: 'window-start' } | { type: 'window-end' } | { type: 'result'; result: ScenarioResult } | { type: 'failed'; message: string };

/**
 * The signed no-op: ECS DescribeRegions (a catalog answer, no store read), signed by the root
 * account. It pays everything every signed call pays (HTTP, the signature, the nonce, the
 * envelope) and little else: the unit the other benchmarks' throughput is held against.
 */
export const SIGNED_NOOP: RequestSpec = {
  keys: [BENCH_KEY],
  requests: [{ key: 0, action: 'DescribeRegions', version: '2014-05-26', params: {} }],
  cycle: true,
};
export const SIGNED_NOOP_NAME = 'DescribeRegions (signed no-op)';
