import type { Command } from './commands.ts';
import { explainIpFailure, run } from './ip-runner.ts';

export interface ExecuteResult {
  /** The commands that ran and succeeded, in order. */
  done: Command[];
  /** The first command that failed; nothing after it ran. */
  failed?: { command: Command; error: string };
}

/**
 * Runs a diff's commands: every `ip` command in one `ip -n NS -batch -` (one process, stops at
 * the first failure and names its line), then the sysctls one by one.
 */
export async function executeCommands(netns: string, commands: Command[]): Promise<ExecuteResult> {
  const ipCommands = commands.filter((c): c is Extract<Command, { kind: 'ip' }> => c.kind === 'ip');
  const done: Command[] = [];
  if (ipCommands.length > 0) {
    const r = await run('ip', ['-n', netns, '-batch', '-'], ipCommands.map((c) => `${c.args.join(' ')}\n`).join(''));
    if (r.code !== 0) {
      const line = Number(/Command failed -:(\d+)/.exec(r.stderr)?.[1]);
      if (!Number.isInteger(line) || line < 1 || line > ipCommands.length) throw explainIpFailure(netns, r, 'ip -batch');
      done.push(...ipCommands.slice(0, line - 1));
      const error = r.stderr.replace(/Command failed -:\d+\s*/, '').trim();
      return { done, failed: { command: ipCommands[line - 1]!, error } };
    }
    done.push(...ipCommands);
  }
  for (const c of commands) {
    if (c.kind !== 'sysctl') continue;
    const r = await run('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', `${c.key}=${c.value}`]);
    if (r.code !== 0) return { done, failed: { command: c, error: r.stderr.trim() || `exit ${r.code}` } };
    done.push(c);
  }
  return { done };
}
