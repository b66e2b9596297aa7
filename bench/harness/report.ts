import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Measured } from './loadgen.ts';

/** What every benchmark reports the same way: the machine, numbers, Markdown tables, the JSON results file. */

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started: other users of a shared machine. */
  loadAverage: number;
}

export function machine(): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${osType()} ${release()}`,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function describeMachine(m: MachineInfo): string {
  return `nproc ${m.nproc}, ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.os}; load average ${m.loadAverage} at the start`;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function mib(bytes: number): string {
  return fmt(bytes / 2 ** 20, 1);
}

/** A Markdown table (right-aligned columns are marked with a trailing ':' in their header). */
export function markdownTable(headers: string[], rows: (string | number)[][]): string {
  const names = headers.map((h) => h.replace(/:$/, ''));
  const align = headers.map((h) => (h.endsWith(':') ? '---:' : '---'));
  return [`| ${names.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** One measured scenario on one line of the console. */
export function progressLine(label: string, r: Measured): string {
  const db = r.databaseCpuUsPerRequest !== undefined ? `  db ${r.databaseCpuUsPerRequest} µs/req` : '';
  const early = r.stoppedEarly ? `  (stopped early: ${r.stoppedEarly})` : '';
  return (
    `  ${label.padEnd(66)} ${fmt(r.requestsPerSecond).padStart(7)} req/s  p50 ${fmt(r.latencyMs.p50, 2)} ms  p99 ${fmt(r.latencyMs.p99, 2)} ms` +
    `  errors ${r.errors + r.warmupErrors}  server ${r.serverCpuUsPerRequest ?? '?'} µs/req${db}  other load ${r.otherCpuPercent ?? '?'}%${early}`
  );
}

/** Writes a run's report (git-ignored under bench/results/) and says where. */
export function writeReport(out: string, report: object): void {
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(resolve(out), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`results written to ${resolve(out)}`);
}
