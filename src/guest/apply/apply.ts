import type { GuestModel } from '../model.ts';
import { renderCommand, type Command } from './commands.ts';
import type { DesiredState } from './desired.ts';
import { diffState } from './diff.ts';
import { executeCommands } from './execute.ts';
import { loadLedger, nextLedger, saveLedger } from './ledger.ts';
import { observeNetns, readDisableIpv6, readRpFilters } from './observe.ts';
import type { ObservedState } from './observed.ts';
import { planDesired } from './plan.ts';

export interface ApplyOptions {
  netns: string;
  model: GuestModel;
  /** Holds the address ledger (ledger.ts). */
  stateDir: string;
  /** How long to wait for a device carrying a listed MAC to appear (hot-plug, os-config.md §6.4). */
  waitSeconds: number;
  /** Work out the commands, run none, record nothing. */
  dryRun?: boolean;
  /** How often to look for missing devices while waiting. */
  pollMs?: number;
}

export interface ApplyReport {
  /** Command lines run (or, in a dry run, that would run), in order. */
  commands: string[];
  notes: string[];
  /** ENIs the metadata lists whose MAC no device carried by the deadline. */
  missing: { eniId: string; mac: string }[];
  /** The command that failed, if one did; the commands before it ran. */
  failed?: { command: string; error: string };
}

/** A kernel-side cascade (a subnet's primary address taking its secondaries along) can leave work for a second pass. */
const MAX_PASSES = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function observeAndPlan(opts: ApplyOptions): Promise<{ observed: ObservedState; desired: DesiredState }> {
  const deadline = Date.now() + opts.waitSeconds * 1000;
  for (;;) {
    const observed = await observeNetns(opts.netns);
    const desired = planDesired(opts.model, observed.links);
    // The hot-plug race: metadata may name a NIC a moment before the device shows up.
    if (desired.missing.length === 0 || Date.now() >= deadline) {
      observed.rpFilter = await readRpFilters(
        opts.netns,
        desired.interfaces.filter((i) => i.rpFilter !== undefined).map((i) => i.currentName),
      );
      observed.disableIpv6 = await readDisableIpv6(
        opts.netns,
        desired.interfaces.filter((i) => i.ipv6).map((i) => i.currentName),
      );
      return { observed, desired };
    }
    await sleep(Math.min(opts.pollMs ?? 250, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Converges the namespace on the model once: observe, plan, diff, execute, record the addresses
 * added; again while a pass still finds work (at most MAX_PASSES). Nothing to do → no command.
 */
export async function applyOnce(opts: ApplyOptions): Promise<ApplyReport> {
  let ledger = loadLedger(opts.stateDir);
  const report: ApplyReport = { commands: [], notes: [], missing: [] };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { observed, desired } = await observeAndPlan(pass === 0 ? opts : { ...opts, waitSeconds: 0 });
    const diff = diffState(desired, observed, ledger);
    if (pass === 0) {
      report.notes = [...desired.notes, ...diff.notes];
      report.missing = desired.missing;
    }
    if (diff.commands.length === 0) break;
    if (opts.dryRun) {
      report.commands.push(...diff.commands.map((c) => renderCommand(opts.netns, c)));
      break;
    }
    const result = await executeCommands(opts.netns, diff.commands);
    report.commands.push(...result.done.map((c: Command) => renderCommand(opts.netns, c)));
    const after = await observeNetns(opts.netns);
    const wanted = new Map(desired.interfaces.map((i) => [i.mac, i.addresses.map((a) => `${a.ip}/${a.prefixLength}`)]));
    ledger = nextLedger(ledger, observed.links, after.links, wanted);
    saveLedger(opts.stateDir, ledger);
    if (result.failed) {
      report.failed = { command: renderCommand(opts.netns, result.failed.command), error: result.failed.error };
      break;
    }
  }
  return report;
}
