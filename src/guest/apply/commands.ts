import { ENIPLANE_PROTO } from './marker.ts';

/**
 * One step of an apply. `ip` steps are iproute2 arguments after `ip -n NS` (they run together
 * through `ip -batch`); rp_filter is a sysctl, which iproute2 cannot set, so it is its own kind.
 */
export type Command = { kind: 'ip'; args: string[] } | { kind: 'sysctl'; key: string; value: number };

export function ip(...args: (string | number)[]): Command {
  return { kind: 'ip', args: args.map(String) };
}

/** sysctl names separate with dots, so a dot inside an interface name (eth1.100) becomes a slash. */
export function rpFilterKey(ifname: string): string {
  return `net.ipv4.conf.${ifname.replace(/\./g, '/')}.rp_filter`;
}

/** The command line an operator could type to do the same thing. */
export function renderCommand(netns: string, c: Command): string {
  return c.kind === 'ip' ? `ip -n ${netns} ${c.args.join(' ')}` : `ip netns exec ${netns} sysctl -w ${c.key}=${c.value}`;
}

/** `10.0.0.5/32` prints as `10.0.0.5`, as `ip rule` shows it. */
function bare(cidr: string): string {
  return cidr.endsWith('/32') ? cidr.slice(0, -3) : cidr;
}

export function routeArgs(verb: 'add' | 'del', r: { table: number; dst: string; gateway?: string; dev?: string }): Command {
  return ip('route', verb, r.dst, ...(r.gateway ? ['via', r.gateway] : []), ...(r.dev ? ['dev', r.dev] : []), 'table', r.table, 'proto', ENIPLANE_PROTO);
}

export function ruleArgs(verb: 'add' | 'del', r: { priority: number; src: string; table?: number }): Command {
  return ip('rule', verb, 'from', bare(r.src), ...(r.table !== undefined ? ['lookup', r.table] : []), 'priority', r.priority, 'protocol', ENIPLANE_PROTO);
}
