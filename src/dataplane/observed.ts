import { spawn } from 'node:child_process';
import { internetNamespace, isOwnNamespace } from './names.ts';

/** What exists on the machine, read with `ip -j` (and sysctl in the router namespaces). */

export interface ObservedLink {
  name: string;
  ifindex: number;
  mac: string;
  /** Administratively up. */
  up: boolean;
  /** veth, dummy…; undefined for lo and kinds iproute2 does not name. */
  kind?: string;
  /** The peer's ifindex (a veth's other end). */
  peerIndex?: number;
  /** IPv4 addresses as `address/prefix`. */
  inet: string[];
}

export interface ObservedRoute {
  /** `a.b.c.d/32` for host routes (ip prints them bare), `default` as `0.0.0.0/0`. */
  dst: string;
  dev?: string;
  gateway?: string;
  /** The preferred source address (`src`), if the route names one. */
  src?: string;
}

/** A permanent IPv4 neighbor entry (the router's: desired.ts DesiredPort.neighbors). */
export interface ObservedNeighbor {
  dst: string;
  dev: string;
  mac: string;
}

export interface ObservedNamespace {
  links: ObservedLink[];
  /** The main table's IPv4 routes. */
  routes: ObservedRoute[];
  /** Router namespaces only: permanent IPv4 neighbors. */
  neighbors?: ObservedNeighbor[];
  /** Router namespaces only: the sysctls the data plane sets, by key. */
  sysctl: Record<string, string>;
}

export interface ObservedState {
  /** Every `ep-` namespace, observed or not. */
  namespaces: Set<string>;
  byNs: Map<string, ObservedNamespace>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with arguments (no shell) and collects its output. */
export function run(argv: readonly string[], timeoutMs = 10_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: stderr + String(err.message) }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function ipJson<T>(args: string[]): Promise<T> {
  const r = await run(['ip', ...args]);
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
  return (r.stdout.trim() ? JSON.parse(r.stdout) : []) as T;
}

/** The sysctls a router namespace carries (set when it is made; new links inherit the defaults). */
export function routerSysctlKeys(links: readonly string[]): string[] {
  return [
    'net.ipv4.ip_forward',
    'net.ipv4.conf.default.proxy_arp',
    ...links.flatMap((l) => [`net.ipv4.conf.${l}.proxy_arp`, `net.ipv4.neigh.${l}.proxy_delay`]),
  ];
}

type IpAddrJson = {
  ifindex: number;
  ifname: string;
  flags?: string[];
  address?: string;
  link_index?: number;
  linkinfo?: { info_kind?: string };
  addr_info?: { family: string; local: string; prefixlen: number }[];
}[];

type IpRouteJson = { dst: string; dev?: string; gateway?: string; prefsrc?: string; type?: string }[];

type IpNeighJson = { dst: string; dev: string; lladdr?: string; state?: string[] }[];

export function parseNeighbors(json: IpNeighJson): ObservedNeighbor[] {
  return json.filter((n) => (n.state ?? []).includes('PERMANENT')).map((n) => ({ dst: n.dst, dev: n.dev, mac: (n.lladdr ?? '').toLowerCase() }));
}

export function parseLinks(json: IpAddrJson): ObservedLink[] {
  const byIndex = new Map(json.map((l) => [l.ifindex, l.ifname]));
  return json.map((l) => {
    // In one namespace ip names the peer (`link`) instead of giving its index.
    const sameNsPeer = (l as { link?: string }).link;
    const peerIndex = l.link_index ?? (sameNsPeer ? [...byIndex].find(([, n]) => n === sameNsPeer)?.[0] : undefined);
    return {
      name: l.ifname,
      ifindex: l.ifindex,
      mac: (l.address ?? '').toLowerCase(),
      up: (l.flags ?? []).includes('UP'),
      ...(l.linkinfo?.info_kind && { kind: l.linkinfo.info_kind }),
      ...(peerIndex !== undefined && { peerIndex }),
      inet: (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
    };
  });
}

export function parseRoutes(json: IpRouteJson): ObservedRoute[] {
  return json
    .filter((r) => (r.type ?? 'unicast') === 'unicast')
    .map((r) => ({
      dst: r.dst === 'default' ? '0.0.0.0/0' : r.dst.includes('/') ? r.dst : `${r.dst}/32`,
      ...(r.dev && { dev: r.dev }),
      ...(r.gateway && { gateway: r.gateway }),
      ...(r.prefsrc && { src: r.prefsrc }),
    }));
}

export function parseSysctl(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s*=\s*(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The `ep-` namespaces that exist; the internet namespace only with `withInternet` (an instance or VPC is never it). */
export async function listOwnNamespaces(withInternet = false): Promise<string[]> {
  const list = await ipJson<{ name: string }[]>(['-j', 'netns', 'list']);
  return list.map((n) => n.name).filter((n) => isOwnNamespace(n) && (withInternet || n !== internetNamespace()));
}

export async function observeNamespace(ns: string, router: boolean): Promise<ObservedNamespace> {
  const [links, routes] = await Promise.all([
    ipJson<IpAddrJson>(['-n', ns, '-d', '-j', 'addr', 'show']).then(parseLinks),
    ipJson<IpRouteJson>(['-n', ns, '-4', '-j', 'route', 'show']).then(parseRoutes),
  ]);
  if (!router) return { links, routes, sysctl: {} };
  const keys = routerSysctlKeys(links.filter((l) => l.kind === 'veth').map((l) => l.name));
  const [sysctl, neighbors] = await Promise.all([
    // -e: a link gone since the listing is no error.
    run(['ip', 'netns', 'exec', ns, 'sysctl', '-e', ...keys]).then((r) => parseSysctl(r.stdout)),
    ipJson<IpNeighJson>(['-n', ns, '-4', '-j', 'neigh', 'show', 'nud', 'permanent']).then(parseNeighbors),
  ]);
  return { links, routes, sysctl, neighbors };
}

/**
 * Observes the namespaces that exist among `wanted` (router ones with their sysctls), and the
 * internet namespace (with its sysctls, as a router: it forwards between its links).
 */
export async function observe(routerNamespaces: ReadonlySet<string>, instanceNamespaces: ReadonlySet<string>): Promise<ObservedState> {
  const namespaces = new Set(await listOwnNamespaces(true));
  const byNs = new Map<string, ObservedNamespace>();
  const routers = new Set([...routerNamespaces, internetNamespace()]);
  const wanted = [...namespaces].filter((n) => routers.has(n) || instanceNamespaces.has(n));
  // A few at a time: each is two or three short-lived processes.
  for (let i = 0; i < wanted.length; i += 8) {
    const batch = wanted.slice(i, i + 8);
    const seen = await Promise.all(batch.map((ns) => observeNamespace(ns, routers.has(ns)).catch(() => undefined)));
    batch.forEach((ns, k) => {
      const o = seen[k];
      if (o) byNs.set(ns, o);
    });
  }
  return { namespaces, byNs };
}
