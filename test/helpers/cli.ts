import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/eniplane.js', import.meta.url));

/** Runs the eniplane CLI to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses the key pair `accounts create` and a first `serve` print. */
export function parseKeyPair(output: string): { accessKeyId: string; accessKeySecret: string } {
  const id = /AccessKeyId:\s+(\S+)/.exec(output)?.[1];
  const secret = /AccessKeySecret:\s+(\S+)/.exec(output)?.[1];
  if (!id || !secret) throw new Error(`no key pair in output:\n${output}`);
  return { accessKeyId: id, accessKeySecret: secret };
}

/** Creates another account in a running server's store (SQLite or PostgreSQL) and returns its keys. */
export function createAccount(server: { storeArgs: string[] }, name: string): { accessKeyId: string; accessKeySecret: string } {
  const r = runCli(['accounts', 'create', '--name', name, ...server.storeArgs]);
  if (r.status !== 0) throw new Error(`accounts create failed: ${r.stderr}`);
  return parseKeyPair(r.stdout);
}
