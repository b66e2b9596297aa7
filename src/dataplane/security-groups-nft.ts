import { spawn } from 'node:child_process';
import { SG_TABLE, securityGroupsDigest } from './security-groups.ts';

/**
 * Putting a compiled security group ruleset (security-groups.ts) into a VPC's router namespace,
 * and reading back what is there. Programs run without a shell: `ip netns exec NS nft …`.
 */

export interface NftResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `nft ARGS` inside the namespace, `input` on its stdin (also the EIP NAT table's: eip-nat-filter.ts). */
export function nft(namespace: string, args: readonly string[], input = ''): Promise<NftResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', namespace, 'nft', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? new Error('ip not found: the data plane needs iproute2 and nftables') : err);
    });
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => {}); // nft may exit before reading all of its input
    child.stdin.end(input);
  });
}

export function failure(namespace: string, what: string, r: NftResult): Error {
  if (/Cannot open network namespace|Invalid netns name/.test(r.stderr)) return new Error(`no network namespace named "${namespace}"`);
  return new Error(`${what} failed in netns ${namespace}: ${r.stderr.trim() || `exit ${r.code}`}`);
}

/**
 * Replaces the namespace's security group table with `ruleset` (compileSecurityGroups' output) in
 * one nft transaction: either all of it applies or nothing changes (and this throws).
 */
export async function applySecurityGroups(namespace: string, ruleset: string): Promise<void> {
  const r = await nft(namespace, ['-f', '-'], ruleset);
  if (r.code !== 0) throw failure(namespace, 'nft -f', r);
}

/**
 * The digest of the ruleset applied in the namespace (the table's comment), or undefined when it
 * has no security group table. Compare with securityGroupsDigest(compiled) to skip an unchanged apply.
 */
export async function appliedSecurityGroupsDigest(namespace: string): Promise<string | undefined> {
  const r = await nft(namespace, ['list', 'table', 'inet', SG_TABLE]);
  if (r.code !== 0) {
    if (/No such file or directory/.test(r.stderr)) return undefined;
    throw failure(namespace, 'nft list table', r);
  }
  return securityGroupsDigest(r.stdout);
}

/** Removes the security group table (nothing to do if there is none): every packet passes again. */
export async function removeSecurityGroups(namespace: string): Promise<void> {
  const r = await nft(namespace, ['-f', '-'], `table inet ${SG_TABLE}\ndelete table inet ${SG_TABLE}\n`);
  if (r.code !== 0) throw failure(namespace, 'nft delete table', r);
}

/**
 * Applies `ruleset` unless the namespace already carries it (same digest). Returns whether nft
 * changed anything: the reconciler's "no change: no command run" after a restart costs one read.
 */
export async function syncSecurityGroups(namespace: string, ruleset: string): Promise<boolean> {
  const want = securityGroupsDigest(ruleset);
  if (want !== undefined && (await appliedSecurityGroupsDigest(namespace)) === want) return false;
  await applySecurityGroups(namespace, ruleset);
  return true;
}
