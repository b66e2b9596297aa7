import type { Command } from './commands.ts';
import { explainIpFailure, run } from './ip-runner.ts';

export interface ExecuteResult {
  /** The commands that ran and succeeded, in order. */
  done: Command[];
  /** The first command that failed; nothing after it ran. */
  failed?: { command: Command; error: string };
}

type IpCommand = Extract<Command, { kind: 'ip' }>;

/** One `ip -n NS [-6] -batch -` for a run of `ip` steps of one family (stops at the first failure and names its line). */
async function runBatch(netns: string, batch: IpCommand[]): Promise<ExecuteResult> {
  const r = await run('ip', ['-n', netns, ...(batch[0]!.family === 6 ? ['-6'] : []), '-batch', '-'], batch.map((c) => `${c.args.join(' ')}\n`).join(''));
  if (r.code === 0) return { done: batch };
  const line = Number(/Command failed -:(\d+)/.exec(r.stderr)?.[1]);
  if (!Number.isInteger(line) || line < 1 || line > batch.length) throw explainIpFailure(netns, r, 'ip -batch');
  const error = r.stderr.replace(/Command failed -:\d+\s*/, '').trim();
  return { done: batch.slice(0, line - 1), failed: { command: batch[line - 1]!, error } };
}

/**
 * Runs a diff's commands in order: each run of consecutive `ip` commands of one family in one
 * batch (one process), each sysctl on its own. Order matters: a sysctl enabling IPv6 on a device
 * comes before its IPv6 addresses, rp_filter after everything.
 */
export async function executeCommands(netns: string, commands: Command[]): Promise<ExecuteResult> {
  const done: Command[] = [];
  for (let i = 0; i < commands.length;) {
    const c = commands[i]!;
    if (c.kind === 'sysctl') {
      const r = await run('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', `${c.key}=${c.value}`]);
      if (r.code !== 0) return { done, failed: { command: c, error: r.stderr.trim() || `exit ${r.code}` } };
      done.push(c);
      i++;
      continue;
    }
    const batch: IpCommand[] = [];
    for (; i < commands.length; i++) {
      const next = commands[i]!;
      if (next.kind !== 'ip' || next.family !== c.family) break;
      batch.push(next);
    }
    const result = await runBatch(netns, batch);
    done.push(...result.done);
    if (result.failed) return { done, failed: result.failed };
  }
  return { done };
}
