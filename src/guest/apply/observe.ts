import { ipJson, run } from './ip-runner.ts';
import { parseAddrShow, parseRouteShow, parseRuleShow, type ObservedState } from './observed.ts';

/**
 * Reads the namespace's links, IPv4 addresses, routes (every table) and rules, numerically
 * (`-N`), so protocol and table numbers never come back as names from /etc/iproute2.
 */
export async function observeNetns(netns: string): Promise<ObservedState> {
  const links = parseAddrShow(await ipJson(netns, ['addr', 'show']));
  const routes = parseRouteShow(await ipJson(netns, ['-4', 'route', 'show', 'table', 'all']));
  const rules = parseRuleShow(await ipJson(netns, ['-4', 'rule', 'show']));
  return { links, routes, rules, rpFilter: new Map() };
}

/**
 * rp_filter of the named interfaces, read from /proc/sys inside the namespace (iproute2 cannot
 * read sysctls). An interface whose file is unreadable (it just vanished) is left out.
 */
export async function readRpFilters(netns: string, ifnames: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of ifnames) {
    const r = await run('ip', ['netns', 'exec', netns, 'cat', `/proc/sys/net/ipv4/conf/${name}/rp_filter`]);
    const value = Number(r.stdout.trim());
    if (r.code === 0 && Number.isInteger(value)) out.set(name, value);
  }
  return out;
}

/** Fails with a clear message when the namespace does not exist (or iproute2 is missing). */
export async function checkNetns(netns: string): Promise<void> {
  await ipJson(netns, ['link', 'show', 'dev', 'lo']);
}
