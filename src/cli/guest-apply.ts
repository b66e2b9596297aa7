import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { applyOnce, type ApplyReport } from '../guest/apply/apply.ts';
import { INDEX_FILE } from '../guest/apply/ledger.ts';
import { checkNetns } from '../guest/apply/observe.ts';
import { watchAndApply } from '../guest/apply/watch.ts';
import { loadIndexState, saveIndexState } from '../guest/index-state.ts';
import { readGuestModel, type TokenMode } from '../guest/metadata-client.ts';
import type { GuestModel } from '../guest/model.ts';

interface ApplyCliOptions {
  netns: string;
  instance: string;
  metadata: string;
  metadataToken: string;
  watch?: boolean;
  interval: number;
  waitSeconds: number;
  stateDir?: string;
  dryRun?: boolean;
}

const TOKEN_MODES: readonly TokenMode[] = ['auto', 'required', 'off'];

function seconds(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${what} must be a number of seconds (got "${value}")`);
    return n;
  };
}

/** A namespace name becomes a directory name under /run: nothing that could walk out of it. */
function checkNetnsName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) throw new Error(`"${name}" is not a network namespace name`);
}

function printReport(netns: string, report: ApplyReport, dryRun: boolean): void {
  for (const c of report.commands) console.log(c);
  for (const n of report.notes) console.error(`note: ${n}`);
  if (dryRun) return;
  console.error(report.commands.length === 0 && !report.failed ? `netns ${netns}: nothing to do` : `netns ${netns}: ${report.commands.length} command(s) run`);
}

/** `eniplane guest apply`: configures ENIs at runtime, with iproute2, inside a network namespace. */
export function registerGuestApply(guest: Command): void {
  guest
    .command('apply')
    .description(
      'configure the instance\'s ENIs inside a network namespace with iproute2: links up (by MAC), IPv4 and IPv6 addresses, a route table 1000+N and "from" rules (addresses and delegated prefixes, both families) per secondary ENI, loose rp_filter; removes only what it made. Exit 0 when converged, 1 on error, 2 when a listed ENI\'s device never appeared',
    )
    .requiredOption('--netns <name>', 'network namespace standing in for the guest (`ip netns list`)')
    .requiredOption('--instance <id>', 'instance ID, sent to the metadata service as X-Eniplane-Instance-Id')
    .requiredOption('--metadata <url>', 'metadata service base URL, e.g. http://100.100.100.200')
    .option('--metadata-token <mode>', 'metadata token mode: auto, required, off', 'auto')
    .option('--watch', 'keep polling the metadata and converging (hot-plug, secondary IP changes) until SIGINT/SIGTERM')
    .option('--interval <seconds>', 'polling interval of --watch', seconds('--interval'), 2)
    .option(
      '--wait-seconds <seconds>',
      "how long to wait for a listed ENI's device to appear, and for the metadata to complete a hot-plugged ENI",
      seconds('--wait-seconds'),
      30,
    )
    .option('--state-dir <dir>', 'where the stable NIC indexes and the addresses eniplane added are kept (default /run/eniplane-guest/<netns>)')
    .option('--dry-run', 'print the commands that would run; change nothing, record nothing')
    .action(async (o: ApplyCliOptions) => {
      checkNetnsName(o.netns);
      if (!(TOKEN_MODES as readonly string[]).includes(o.metadataToken)) throw new Error(`--metadata-token must be one of ${TOKEN_MODES.join(', ')}`);
      const stateDir = o.stateDir ?? join('/run/eniplane-guest', o.netns);
      const dryRun = o.dryRun ?? false;
      await checkNetns(o.netns);

      const readModel = async (log: (line: string) => void): Promise<GuestModel> => {
        const indexFile = join(stateDir, INDEX_FILE);
        const { model, indexes } = await readGuestModel(o.metadata, o.instance, {
          token: o.metadataToken as TokenMode,
          previousIndexes: loadIndexState(indexFile),
          hotplugDeadlineMs: o.waitSeconds * 1000,
          onRetry: (reason) => log(`metadata not ready, retrying: ${reason}`),
        });
        if (!dryRun) saveIndexState(indexFile, indexes);
        return model;
      };
      const apply = (model: GuestModel, waitSeconds: number) => applyOnce({ netns: o.netns, model, stateDir, waitSeconds, dryRun });

      if (!o.watch) {
        const report = await apply(await readModel((l) => console.error(l)), o.waitSeconds);
        printReport(o.netns, report, dryRun);
        if (report.failed) throw new Error(`${report.failed.command}: ${report.failed.error}`);
        if (report.missing.length > 0) {
          for (const m of report.missing)
            console.error(
              `eniplane: ${m.eniId} (MAC ${m.mac}) is in the metadata, but no device in netns ${o.netns} carries that MAC after ${o.waitSeconds} s`,
            );
          process.exitCode = 2;
        }
        return;
      }

      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
      log(`watching instance ${o.instance} at ${o.metadata} every ${o.interval} s, netns ${o.netns}${dryRun ? ' (dry run)' : ''}`);
      try {
        await watchAndApply({
          readModel: () => readModel(log),
          // Wait for missing devices only when the metadata just changed; otherwise the next round looks again.
          apply: (model, changed) => apply(model, changed ? o.waitSeconds : 0),
          intervalMs: o.interval * 1000,
          log,
          signal: stop.signal,
          dryRun,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      log('stopped');
    });
}
