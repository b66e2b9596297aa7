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

/**
 * What a replica holds in the VPC routers besides kernel objects (the metadata listeners:
 * metadata-listeners.ts): only the replica that reconciles holds it, and lets go when it stops or
 * another replica takes over.
 */
export interface RouterHook {
  /**
   * Before a pass observes: drops what is no longer wanted, or stale (its router namespace gone
   * or made anew behind the reconciler's back); true when something was stale, so the pass
   * observes the machine now instead of trusting the last one.
   */
  prune(vpcs: readonly DesiredVpc[]): Promise<boolean>;
  /** After a pass's commands ran (the routers and their addresses exist): makes what is missing. */
  sync(vpcs: readonly DesiredVpc[]): Promise<void>;
  release(): Promise<void>;
}

export interface ReconcilerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  lock: LeaderLock;
  filter?: VpcFilter;
  hooks?: readonly RouterHook[];
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
  const hooks = opts.hooks ?? [];
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

  /** Each hook's failure is its own: logged, and retried on the next pass. */
  async function eachHook<T>(what: string, fallback: T, call: (h: RouterHook) => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (const h of hooks) {
      try {
        out.push(await call(h));
      } catch (err) {
        log.warn({ err: String(err) }, `dataplane: ${what} failed`);
        out.push(fallback);
      }
    }
    return out;
  }

  async function pass(): Promise<PassResult> {
    const desired = desiredState(await readSnapshot(store, clock.now()));
    const stale = (await eachHook('prune', false, (h) => h.prune(desired.vpcs))).some(Boolean);
    if (!stale && last && isDeepStrictEqual(desired, last) && Date.now() - lastFullAt < resyncMs) {
      // The topology is unchanged; rules and memberships may not be.
      await applyFilters(desired, false);
      await eachHook('sync', undefined, (h) => h.sync(desired.vpcs));
      return { commands: 0, failed: 0, observed: false };
    }
    const observed = await observe(new Set(desired.vpcs.map((v) => v.ns)), new Set(desired.instances.map((i) => i.ns)));
    const commands = diff(desired, observed);
    const report = await execute(commands, (c) => log.debug({ cmd: c.argv.join(' '), why: c.why }, 'dataplane: run'));
    for (const f of report.failed) log.warn({ cmd: f.command.argv.join(' '), error: f.error }, 'dataplane: command failed');
    for (const ns of last?.vpcs.map((v) => v.ns) ?? []) if (!desired.vpcs.some((v) => v.ns === ns)) filter.forget(ns);
    await applyFilters(desired, true);
    await eachHook('sync', undefined, (h) => h.sync(desired.vpcs));
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
        // The replica that reconciles now makes its own (one listener per address and port).
        if (!hold) await eachHook('release', undefined, (h) => h.release());
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
      await eachHook('release', undefined, (h) => h.release());
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
