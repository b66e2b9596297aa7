import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { instanceNamespace, isOwnNamespace } from '../../src/dataplane/names.ts';

/**
 * What the data plane suites share: the skip rule (root and ip netns; a failure in CI), JSON reads
 * of iproute2, TCP probes between the namespaces the data plane made, and polling.
 */

export const regionId = 'cn-hangzhou';
export const zoneId = 'cn-hangzhou-i';
export const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

/**
 * Gives this test file its own namespace prefix (ENIPLANE_DATAPLANE_PREFIX, inherited by the
 * servers and CLI commands it spawns), so data plane files run side by side without one's
 * reconciler removing the other's namespaces. Call at the top of the file, before any server starts.
 */
export function ownPrefix(prefix: string): void {
  process.env.ENIPLANE_DATAPLANE_PREFIX = prefix;
}

export function netnsSkip(): string | false {
  const probe = `epprobe${process.pid}`;
  const root = process.getuid?.() === 0;
  const works = root && spawnSync('ip', ['netns', 'add', probe]).status === 0 && spawnSync('ip', ['netns', 'del', probe]).status === 0;
  if (works) return false;
  const why = root ? '`ip netns add` does not work here (iproute2 missing, or no network namespaces)' : 'not root';
  if (process.env.CI === 'true') throw new Error(`data plane tests need root and ip netns, required in CI (CI=true): ${why}`);
  const msg = `*** SKIPPED: data plane netns tests: ${why}; CI fails here ***`;
  console.error(msg);
  return msg;
}

export type Link = { ifindex: number; ifname: string; address: string; flags: string[]; addr_info: { family: string; local: string; prefixlen: number }[] };

export function ipJson<T>(args: string[]): T {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout || '[]') as T;
}

export const ownNamespaces = () =>
  ipJson<{ name: string }[]>(['-j', 'netns', 'list'])
    .map((n) => n.name)
    .filter(isOwnNamespace);
export const linksOf = (instanceId: string): Link[] => {
  const ns = instanceNamespace(instanceId);
  return ownNamespaces().includes(ns) ? ipJson<Link[]>(['-n', ns, '-j', 'addr', 'show']) : [];
};
export const inet = (l: Link | undefined) => (l?.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);

export const PROBE = `const s=require('net').connect({host:process.argv[1],port:Number(process.argv[2]),timeout:1000});
s.on('connect',()=>{console.log('open');process.exit(0)});
s.on('error',(e)=>{console.log(e.code);process.exit(e.code==='ECONNREFUSED'?0:1)});
s.on('timeout',()=>{console.log('timeout');process.exit(1)});`;

/** A TCP connect from inside an instance's namespace: reached (open or refused) or not (timeout, unreachable). */
export function reaches(fromInstance: string, ip: string, port = 9): boolean {
  const r = spawnSync('ip', ['netns', 'exec', instanceNamespace(fromInstance), process.execPath, '-e', PROBE, ip, String(port)], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return r.status === 0;
}

/** Whether something listens at 100.100.100.200:80 in the namespace (its /proc/net/tcp: address and port in hex, state 0A). */
export function listensIn(ns: string): boolean {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'cat', '/proc/net/tcp'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.split('\n').some((l) => /^\s*\d+: C8646464:0050 00000000:0000 0A /.test(l));
}

export async function until<T>(what: string, read: () => T, ok: (v: T) => boolean, ms = 15_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(v)} after ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const SERVER_ARGS = ['--dataplane', 'netns', '--dataplane-interval', '100', '--log-level', 'info'];
