/** What the runner asks the load generator to do, and what it answers (plain JSON over IPC). */

import type { BenchKey } from './sign.ts';

export interface VpcSlot {
  vpcId: string;
  regionId: string;
  zoneIds: string[];
}

export interface VpcPages {
  vpcId: string;
  regionId: string;
  /** vSwitches in the VPC; pages of `pageSize` are requested round-robin. */
  total: number;
}

export type RequestSpec =
  /**
   * The same signed request every time, with a fresh nonce and date (DescribeRegions). With
   * `presigned`, 256 requests are signed up front and sent in turn (the bare route, which checks
   * nothing): the load generator then spends less per request and limits the baseline less.
   */
  | { kind: 'fixed'; action: string; version: string; params: Record<string, string>; presigned?: boolean }
  /** CreateVSwitch: slot k is the (k mod perVpc)-th /24 of VPC floor(k / perVpc); never reused. */
  | { kind: 'create-vswitch'; version: string; vpcs: VpcSlot[]; perVpc: number; firstSlot: number }
  /** DescribeVSwitches by VpcId, every page of every VPC in turn. */
  | { kind: 'describe-vswitches'; version: string; vpcs: VpcPages[]; pageSize: number }
  /**
   * Requests listed by the runner, each signed with its account's key: sent in order, each once
   * (then the scenario stops: `nextSlot` tells how many went out), or round and round with `cycle`.
   */
  | { kind: 'list'; keys: BenchKey[]; requests: ListedRequest[]; cycle: boolean };

export interface ListedRequest {
  /** Index into the spec's `keys`. */
  key: number;
  action: string;
  version: string;
  params: Record<string, string>;
}

export interface ScenarioSpec {
  name: string;
  host: string;
  port: number;
  /** Several replicas: connection i goes to ports[i mod n] (round-robin, as a load balancer would). */
  ports?: number[];
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
  /** Set when the run stopped early: out of CreateVSwitch slots or at maxRequests. */
  stoppedEarly?: string;
  /** create-vswitch and list: the next unused slot (list: how many requests went out). */
  nextSlot?: number;
}

export type ToLoadgen = { type: 'run'; spec: ScenarioSpec } | { type: 'exit' };
export type FromLoadgen =
  { type: 'ready' } | { type: 'window-start' } | { type: 'window-end' } | { type: 'result'; result: ScenarioResult } | { type: 'failed'; message: string };
