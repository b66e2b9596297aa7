import { spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion, feeding `input` on stdin. Never throws for a non-zero exit. */
export function run(program: string, args: string[], input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? new Error(`${program} not found: guest apply needs iproute2's ip (apt-get install iproute2)`) : err);
    });
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => {}); // the program may exit before reading all of its input
    child.stdin.end(input ?? '');
  });
}

/** iproute2's words for a namespace that does not exist, turned into a message an operator can act on. */
export function explainIpFailure(netns: string, r: RunResult, what: string): Error {
  if (/Cannot open network namespace|Invalid netns name/.test(r.stderr)) {
    return new Error(`no network namespace named "${netns}" (\`ip netns list\` shows those that exist)`);
  }
  return new Error(`${what} failed in netns ${netns}: ${r.stderr.trim() || `exit ${r.code}`}`);
}

/** `ip -n NETNS ARGS` with JSON output, parsed. */
export async function ipJson(netns: string, args: string[]): Promise<unknown> {
  const r = await run('ip', ['-n', netns, '-N', '-j', ...args]);
  if (r.code !== 0) throw explainIpFailure(netns, r, `ip ${args.join(' ')}`);
  // Some iproute2 versions print nothing, not [], for an empty dump.
  return JSON.parse(r.stdout.trim() || '[]') as unknown;
}
