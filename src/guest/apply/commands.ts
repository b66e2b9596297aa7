import { ENIPLANE_PROTO } from './marker.ts';

/** 4 or 6: which `ip` family a step (and a route, rule or address) belongs to. */
export type Family = 4 | 6;

/**
 * One step of an apply. `ip` steps are iproute2 arguments after `ip -n NS` (consecutive ones of
 * one family run together through `ip -batch`; a batch line cannot carry `-6`, and `ip rule`
 * does not infer IPv6 from its `from` address, so IPv6 steps get their own `ip -6 -batch`).
 * Sysctls (rp_filter, disable_ipv6) are their own kind: iproute2 cannot set them.
 */
export type Command = { kind: 'ip'; family?: 6; args: string[] } | { kind: 'sysctl'; key: string; value: number };

export function ip(...args: (string | number)[]): Command {
  return { kind: 'ip', args: args.map(String) };
}

/** An `ip` step of the given family: IPv6 ones run as `ip -6`. */
export function ipOf(family: Family, ...args: (string | number)[]): Command {
  return family === 6 ? { kind: 'ip', family: 6, args: args.map(String) } : ip(...args);
}

/** sysctl names separate with dots, so a dot inside an interface name (eth1.100) becomes a slash. */
const sysctlName = (ifname: string) => ifname.replace(/\./g, '/');

export function rpFilterKey(ifname: string): string {
  return `net.ipv4.conf.${sysctlName(ifname)}.rp_filter`;
}

export function disableIpv6Key(ifname: string): string {
  return `net.ipv6.conf.${sysctlName(ifname)}.disable_ipv6`;
}

/** The command line an operator could type to do the same thing. */
export function renderCommand(netns: string, c: Command): string {
  return c.kind === 'ip' ? `ip -n ${netns}${c.family === 6 ? ' -6' : ''} ${c.args.join(' ')}` : `ip netns exec ${netns} sysctl -w ${c.key}=${c.value}`;
}

/** `10.0.0.5/32` prints as `10.0.0.5` (and `2408::5/128` as `2408::5`), as `ip rule` shows it. */
function bare(cidr: string): string {
  const host = cidr.includes(':') ? '/128' : '/32';
  return cidr.endsWith(host) ? cidr.slice(0, -host.length) : cidr;
}

export function routeArgs(verb: 'add' | 'del', r: { family: Family; table: number; dst: string; gateway?: string; dev?: string }): Command {
  return ipOf(
    r.family,
    'route',
    verb,
    r.dst,
    ...(r.gateway ? ['via', r.gateway] : []),
    ...(r.dev ? ['dev', r.dev] : []),
    'table',
    r.table,
    'proto',
    ENIPLANE_PROTO,
  );
}

export function ruleArgs(verb: 'add' | 'del', r: { family: Family; priority: number; src: string; table?: number }): Command {
  return ipOf(
    r.family,
    'rule',
    verb,
    'from',
    bare(r.src),
    ...(r.table !== undefined ? ['lookup', r.table] : []),
    'priority',
    r.priority,
    'protocol',
    ENIPLANE_PROTO,
  );
}
