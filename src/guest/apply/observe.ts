import { ipJson, run } from './ip-runner.ts';
import { parseAddrShow, parseRouteShow, parseRuleShow, type ObservedState } from './observed.ts';

/**
 * Reads the namespace's links, addresses, routes (every table) and rules of both families,
 * numerically (`-N`), so protocol and table numbers never come back as names from /etc/iproute2.
 * A kernel without IPv6 (ipv6.disable=1) answers the -6 dumps with an error: no IPv6 state then.
 */
export async function observeNetns(netns: string): Promise<ObservedState> {
  const links = parseAddrShow(await ipJson(netns, ['addr', 'show']));
  const routes = parseRouteShow(await ipJson(netns, ['-4', 'route', 'show', 'table', 'all']), 4);
  const rules = parseRuleShow(await ipJson(netns, ['-4', 'rule', 'show']), 4);
  const v6 = await Promise.all([ipJson(netns, ['-6', 'route', 'show', 'table', 'all']), ipJson(netns, ['-6', 'rule', 'show'])]).catch(() => undefined);
  if (v6) {
    routes.push(...parseRouteShow(v6[0], 6));
    rules.push(...parseRuleShow(v6[1], 6));
  }
  return { links, routes, rules, rpFilter: new Map() };
}

/**
 * A per-interface sysctl of the named interfaces, read from /proc/sys inside the namespace
 * (iproute2 cannot read sysctls). An interface whose file is unreadable (it just vanished, or the
 * kernel has no IPv6) is left out.
 */
async function readSysctls(netns: string, ifnames: string[], path: (ifname: string) => string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of ifnames) {
    const r = await run('ip', ['netns', 'exec', netns, 'cat', path(name)]);
    const value = Number(r.stdout.trim());
    if (r.code === 0 && r.stdout.trim() !== '' && Number.isInteger(value)) out.set(name, value);
  }
  return out;
}

export function readRpFilters(netns: string, ifnames: string[]): Promise<Map<string, number>> {
  return readSysctls(netns, ifnames, (name) => `/proc/sys/net/ipv4/conf/${name}/rp_filter`);
}

export function readDisableIpv6(netns: string, ifnames: string[]): Promise<Map<string, number>> {
  return readSysctls(netns, ifnames, (name) => `/proc/sys/net/ipv6/conf/${name}/disable_ipv6`);
}

/** Fails with a clear message when the namespace does not exist (or iproute2 is missing). */
export async function checkNetns(netns: string): Promise<void> {
  await ipJson(netns, ['link', 'show', 'dev', 'lo']);
}
