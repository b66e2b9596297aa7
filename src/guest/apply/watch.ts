import type { GuestModel } from '../model.ts';
import type { ApplyReport } from './apply.ts';

export interface WatchOptions {
  /** Reads the metadata (the metadata client, with its own hot-plug retries). */
  readModel: () => Promise<GuestModel>;
  /** One apply; `modelChanged` is false when the metadata answered as on the previous round. */
  apply: (model: GuestModel, modelChanged: boolean) => Promise<ApplyReport>;
  intervalMs: number;
  log: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM: the loop finishes the round in progress, then returns. */
  signal: AbortSignal;
  /** A dry run changes nothing, so every round would print the same commands: print them once. */
  dryRun?: boolean;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * Polls the metadata and converges the namespace every interval. Each round diffs the real state,
 * so it also catches what no metadata change announces: a device that appears after its MAC was
 * listed, or an address someone deleted. An unchanged round runs no command and logs nothing.
 *
 * The first round's failure is thrown (bad netns, unknown instance, unreachable service are
 * mistakes to report, not to wait out); later failures are logged and retried next round.
 */
export async function watchAndApply(opts: WatchOptions): Promise<void> {
  let lastModel: string | undefined;
  let lastNews: string | undefined;
  let lastCommands: string | undefined;
  for (let round = 0; !opts.signal.aborted; round++) {
    try {
      const model = await opts.readModel();
      const fingerprint = JSON.stringify(model);
      const changed = fingerprint !== lastModel;
      if (changed && lastModel !== undefined) opts.log(`metadata changed: ${model.enis.map((e) => `${e.eniId} (${e.mac})`).join(', ')}`);
      lastModel = fingerprint;
      const report = await opts.apply(model, changed);
      if (!opts.dryRun || report.commands.join('\n') !== lastCommands) for (const c of report.commands) opts.log(c);
      lastCommands = report.commands.join('\n');
      const news = [
        ...report.notes.map((n) => `note: ${n}`),
        ...report.missing.map((m) => `waiting for a device with MAC ${m.mac} (${m.eniId})`),
        ...(report.failed ? [`failed: ${report.failed.command}: ${report.failed.error}`] : []),
      ];
      // Say standing conditions once, not every two seconds.
      if (news.join('\n') !== lastNews) for (const n of news) opts.log(n);
      lastNews = news.join('\n');
    } catch (err) {
      if (round === 0) throw err;
      opts.log(`error (retrying in ${opts.intervalMs / 1000} s): ${(err as Error).message}`);
    }
    await pause(opts.intervalMs, opts.signal);
  }
}
