import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Memory readings for the fuzz suite's "bounded memory" oracle: this process's heap after a full
 * collection (in-process targets), and another process's resident set (real servers).
 */

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export const MiB = 1024 * 1024;

/** Heap in use after two full collections (the second catches what finalizers freed). */
export function heapAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** A process's resident set size, from /proc (Linux). */
export function residentBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}
