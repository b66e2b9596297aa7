import type { Command } from './diff.ts';
import { run } from './observed.ts';

export interface ExecuteReport {
  ran: number;
  failed: { command: Command; error: string }[];
}

const GONE = /Cannot find device|No such file|does not exist|No such process|Invalid netns name|Cannot remove namespace file/i;

/**
 * Runs the commands in order, each as its own process (no shell). A failure is recorded and the
 * rest still run: the next pass observes again and retries what is still missing.
 */
export async function execute(commands: readonly Command[], onCommand?: (c: Command) => void): Promise<ExecuteReport> {
  const report: ExecuteReport = { ran: 0, failed: [] };
  for (const command of commands) {
    onCommand?.(command);
    const r = await run(command.argv);
    report.ran++;
    if (r.code === 0) continue;
    if (command.mayBeGone && GONE.test(r.stderr)) continue;
    report.failed.push({ command, error: r.stderr.trim() || `exit ${r.code}` });
  }
  return report;
}
