import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Store } from '../store/db.ts';
import type { LeaderLock } from '../store/leader-lock.ts';
import { desiredState, type DesiredState, type DesiredVpc } from './desired.ts';
import { diff } from './diff.ts';
import { execute } from './execute.ts';
import { observe } from './observed.ts';
import { readSnapshot } from './snapshot.ts';

/**
 * What a VPC router namespace filters (security groups: security-group-filter.ts), applied on
 * every pass after its links exist; `full` on passes that observed the machine (start, resync,
 * a topology change), where the kernel's state is checked rather than remembered.
 */
export interface VpcFilter {
  applyFilter(vpcNs: string, desiredVpc: DesiredVpc, full: boolean): Promise<void>;
  /** The namespace is gone: what was applied there is forgotten. */
  forget(vpcNs: string): void;
}

export const NO_FILTER: VpcFilter = { applyFilter: async () => {}, forget: () => {} };

/** Several filters on each router (security groups, EIP NAT), in order; one failing does not keep the others from applying. */
export function allFilters(...filters: VpcFilter[]): VpcFilter {
  return {
    async applyFilter(vpcNs, desiredVpc, full) {
      const errors: unknown[] = [];
      for (const f of filters) {
        await f.applyFilter(vpcNs, desiredVpc, full).catch((err: unknown) => {
          f.forget(vpcNs);
          errors.push(err);
        });
      }
      if (errors.length) throw errors[0];
    },
    forget(vpcNs) {
      for (const f of filters) f.forget(vpcNs);
    },
  };
}

export interface ReconcilerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  lock: LeaderLock;
  filter?: VpcFilter;
  /** Between passes, ms. */
  intervalMs?: number;
  /** A full observation at least this often even when the store did not change (drift), ms. */
  resyncMs?: number;
}

export interface PassResult {
  commands: number;
  failed: number;
  observed: boolean;
}

/**
 * Converges the machine to the store: read (one consistent snapshot) → desired → observe → diff →
 * execute. A pass whose desired state equals the last converged one skips observing until the
 * resync period has passed, so an idle server spawns nothing.
 */
export function createReconciler(opts: ReconcilerOptions) {
  const { store, clock, log, lock } = opts;
  const filter = opts.filter ?? NO_FILTER;
  const intervalMs = opts.intervalMs ?? 250;
  const resyncMs = opts.resyncMs ?? 10_000;
  let last: DesiredState | undefined;
  let lastFullAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let leading = false;
  let passes = 0;

  async function applyFilters(desired: DesiredState, full: boolean): Promise<void> {
    for (const vpc of desired.vpcs) {
      await filter.applyFilter(vpc.ns, vpc, full).catch((err: unknown) => {
        filter.forget(vpc.ns);
        log.warn({ ns: vpc.ns, err: String(err) }, 'dataplane: filter failed');
      });
    }
  }

  async function pass(): Promise<PassResult> {
    const desired = desiredState(await readSnapshot(store, clock.now()));
    if (last && isDeepStrictEqual(desired, last) && Date.now() - lastFullAt < resyncMs) {
      // The topology is unchanged; rules and memberships may not be.
      await applyFilters(desired, false);
      return { commands: 0, failed: 0, observed: false };
    }
    const observed = await observe(new Set(desired.vpcs.map((v) => v.ns)), new Set(desired.instances.map((i) => i.ns)));
    const commands = diff(desired, observed);
    const report = await execute(commands, (c) => log.debug({ cmd: c.argv.join(' '), why: c.why }, 'dataplane: run'));
    for (const f of report.failed) log.warn({ cmd: f.command.argv.join(' '), error: f.error }, 'dataplane: command failed');
    for (const ns of last?.vpcs.map((v) => v.ns) ?? []) if (!desired.vpcs.some((v) => v.ns === ns)) filter.forget(ns);
    await applyFilters(desired, true);
    // Converged only when nothing failed; otherwise the next pass observes again.
    last = report.failed.length === 0 ? desired : undefined;
    lastFullAt = Date.now();
    return { commands: report.ran, failed: report.failed.length, observed: true };
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    try {
      const hold = await lock.hold();
      if (hold !== leading) {
        leading = hold;
        last = undefined;
        log.info(hold ? 'dataplane: this replica reconciles' : 'dataplane: another replica reconciles');
      }
      if (hold) {
        const t0 = Date.now();
        const r = await pass();
        const ms = Date.now() - t0;
        if (passes++ === 0) log.info({ commands: r.commands, failed: r.failed, ms }, 'dataplane: first pass done');
        else if (r.commands > 0) log.info({ commands: r.commands, failed: r.failed, ms }, 'dataplane: pass');
      }
    } catch (err) {
      last = undefined;
      log.warn({ err: String(err) }, 'dataplane: pass failed');
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), intervalMs);
  }

  return {
    start() {
      running = tick();
    },
    /** One pass now, outside the loop (tests, `dataplane status`). */
    pass,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await lock.release();
    },
  };
}

/** The data plane needs Linux and root (network namespaces, veth, sysctl). */
export function dataplaneRefusal(): string | undefined {
  if (process.platform !== 'linux') return `the netns data plane needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'the netns data plane needs root (network namespaces, veth pairs, sysctl)';
  return undefined;
}
