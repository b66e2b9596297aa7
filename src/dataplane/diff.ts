import type { DesiredInstance, DesiredState, DesiredVpc } from './desired.ts';
import { internetCommands } from './diff-internet.ts';
import { EMPTY_NAMESPACE, ip, observedNs, sysctlIn } from './commands.ts';
import type { ObservedLink, ObservedNamespace, ObservedState } from './observed.ts';

/**
 * Desired minus observed, as the ordered commands that converge the machine (pure; unit-tested in
 * test/unit/dataplane-diff.test.ts). What matches is adopted untouched, so a restart with nothing
 * changed yields no command. Only the data plane's own objects are ever removed: `ep-` namespaces,
 * and in a router namespace (all of it ours) its links, routes and lo addresses (the gateways and
 * the metadata service's).
 * Inside an instance namespace the guest's own configuration is left alone: only a stopped
 * instance's NICs are forced down and unconfigured, and a running one's primary NIC configured.
 */

export interface Command {
  argv: string[];
  /** Why, for the debug log. */
  why: string;
  /** The object may be gone already (a namespace deleted with its veth ends): "not found" is no failure. */
  mayBeGone?: boolean;
}

/** Router-side ENI links: `ep` + 13 hex digits (names.ts eniRouterLink). */
export const ROUTER_LINK = /^ep[0-9a-f]{13}$/;

export const ROUTER_SYSCTLS: Record<string, string> = {
  'net.ipv4.ip_forward': '1',
  'net.ipv4.conf.default.proxy_arp': '1',
};

/**
 * Per router link: proxy ARP (also inherited from conf.default), and no proxy delay: by default proxy
 * ARP answers broadcast requests after a random delay of up to 0.8 s, and a namespace other than
 * the host's has no neigh.default to change that once for all links.
 */
export function linkSysctls(link: string): Record<string, string> {
  return { [`net.ipv4.conf.${link}.proxy_arp`]: '1', [`net.ipv4.neigh.${link}.proxy_delay`]: '0' };
}

/** The instance-side peer of a router link, if it is where and what the desired port says. */
function peerMatches(router: ObservedLink, peer: ObservedLink | undefined, mac: string): boolean {
  return !!peer && peer.mac === mac && peer.kind === 'veth' && peer.peerIndex === router.ifindex && router.peerIndex === peer.ifindex;
}

export function diff(desired: DesiredState, observed: ObservedState): Command[] {
  const out: Command[] = [];
  const wantNs = new Set([...desired.vpcs.map((v) => v.ns), ...desired.instances.map((i) => i.ns), desired.internet.ns]);
  const strayNs = [...observed.namespaces].filter((n) => !wantNs.has(n)).sort();

  // 1. Router links that are not wanted, or whose peer is not the ENI's NIC where it should be
  //    (an ENI moved to another instance, or a previous run's leftovers): deleted, before their
  //    namespaces go (deleting a namespace destroys its veth ends, and their peers with them).
  const deletedLinks = new Map<string, Set<string>>();
  const vpcFresh = new Map<string, boolean>();
  for (const vpc of desired.vpcs) {
    const seen = observedNs(observed, vpc.ns);
    vpcFresh.set(vpc.ns, !seen);
    const gone = new Set<string>();
    deletedLinks.set(vpc.ns, gone);
    if (!seen) continue;
    const ports = new Map(vpc.ports.map((p) => [p.link, p]));
    for (const link of seen.links) {
      if (!ROUTER_LINK.test(link.name)) continue;
      const port = ports.get(link.name);
      const peerNs = port && observedNs(observed, port.instanceNs);
      const peer = peerNs?.links.find((l) => l.name === port!.guestLink);
      if (port && peerMatches(link, peer, port.mac)) continue;
      out.push({ argv: ip(vpc.ns, 'link', 'del', link.name), why: port ? `${port.eniId}: peer not in place` : 'stray router link', mayBeGone: true });
      gone.add(link.name);
    }
  }
  // 2. Stray namespaces (released instances, VPCs with nothing left, a previous run's).
  for (const ns of strayNs) out.push({ argv: ['ip', 'netns', 'del', ns], why: 'stray namespace', mayBeGone: true });
  // 3. New namespaces: router ones first (ip_forward and the link defaults before any link).
  for (const vpc of desired.vpcs) {
    if (!vpcFresh.get(vpc.ns)) continue;
    out.push({ argv: ['ip', 'netns', 'add', vpc.ns], why: `router of ${vpc.vpcId}` });
    out.push({ argv: sysctlIn(vpc.ns, ROUTER_SYSCTLS), why: 'forwarding, proxy ARP' });
  }
  for (const inst of desired.instances) {
    if (!observed.namespaces.has(inst.ns)) out.push({ argv: ['ip', 'netns', 'add', inst.ns], why: `instance ${inst.instanceId}` });
  }
  for (const vpc of desired.vpcs) routerCommands(vpc, observedNs(observed, vpc.ns) ?? EMPTY_NAMESPACE, deletedLinks.get(vpc.ns)!, observed, out);
  for (const inst of desired.instances) instanceCommands(inst, desired, observed, deletedLinks, out);
  // 4. The internet namespace and each router's link to it (EIPs), once every router exists.
  internetCommands(desired, observed, out);
  return out;
}

function routerCommands(vpc: DesiredVpc, seen: ObservedNamespace, deleted: Set<string>, observed: ObservedState, out: Command[]): void {
  const ns = vpc.ns;
  const fresh = !observed.namespaces.has(ns);
  if (!fresh) {
    const wrong = Object.fromEntries(Object.entries(ROUTER_SYSCTLS).filter(([k, v]) => seen.sysctl[k] !== v));
    if (Object.keys(wrong).length) out.push({ argv: sysctlIn(ns, wrong), why: 'forwarding, proxy ARP' });
  }
  const lo = seen.links.find((l) => l.name === 'lo');
  if (!lo?.up) out.push({ argv: ip(ns, 'link', 'set', 'lo', 'up'), why: 'loopback' });
  const loAddrs = new Set(lo?.inet ?? []);
  for (const gw of vpc.gateways) if (!loAddrs.has(gw)) out.push({ argv: ip(ns, 'addr', 'add', gw, 'dev', 'lo'), why: 'vSwitch gateway' });
  if (!loAddrs.has(vpc.metadataAddress)) out.push({ argv: ip(ns, 'addr', 'add', vpc.metadataAddress, 'dev', 'lo'), why: 'metadata service' });
  for (const a of loAddrs) {
    if (a === '127.0.0.1/8' || a === vpc.metadataAddress || vpc.gateways.includes(a)) continue;
    out.push({ argv: ip(ns, 'addr', 'del', a, 'dev', 'lo'), why: 'stray gateway', mayBeGone: true });
  }
  const present = new Map(seen.links.filter((l) => !deleted.has(l.name)).map((l) => [l.name, l]));
  for (const port of vpc.ports) {
    const link = present.get(port.link);
    if (!link) {
      // The peer is made in the instance namespace directly, named and addressed as the NIC.
      out.push({
        argv: ip(ns, 'link', 'add', port.link, 'type', 'veth', 'peer', 'name', port.guestLink, 'address', port.mac, 'netns', port.instanceNs),
        why: `${port.eniId} plugged into ${port.instanceNs} as ${port.guestLink}`,
      });
      out.push({ argv: ip(ns, 'link', 'set', port.link, 'up'), why: port.eniId });
      out.push({ argv: sysctlIn(ns, linkSysctls(port.link)), why: `${port.eniId}: proxy ARP` });
      continue;
    }
    const wrong = Object.fromEntries(Object.entries(linkSysctls(port.link)).filter(([k, v]) => seen.sysctl[k] !== undefined && seen.sysctl[k] !== v));
    if (Object.keys(wrong).length) out.push({ argv: sysctlIn(ns, wrong), why: `${port.eniId}: proxy ARP` });
    if (!link.up) out.push({ argv: ip(ns, 'link', 'set', port.link, 'up'), why: port.eniId });
  }
  // Routes: every address and prefix to the link of the ENI that holds it; nothing else in the main table.
  const wanted = new Map<string, string>();
  for (const port of vpc.ports) for (const dst of port.routes) wanted.set(dst, port.link);
  const routes = new Map(seen.routes.map((r) => [r.dst, r]));
  for (const [dst, dev] of wanted) {
    const r = routes.get(dst);
    if (r && r.dev === dev && !r.gateway && !deleted.has(dev)) continue;
    out.push({ argv: ip(ns, 'route', 'replace', dst, 'dev', dev), why: `to ${dev}` });
  }
  for (const r of seen.routes) {
    // The default route leads to the internet link (diff-internet.ts).
    if (wanted.has(r.dst) || r.dst === '0.0.0.0/0' || (r.dev && deleted.has(r.dev))) continue;
    out.push({ argv: ip(ns, 'route', 'del', r.dst, ...(r.dev ? ['dev', r.dev] : [])), why: 'stray route', mayBeGone: true });
  }
  // Neighbors: each private IP's MAC, permanent, on its ENI's link (no ARP from the router).
  const neighborKey = (dev: string, dst: string) => `${dev} ${dst}`;
  const wantedNeighbors = new Map<string, { dst: string; dev: string; mac: string }>();
  for (const port of vpc.ports) for (const dst of port.neighbors) wantedNeighbors.set(neighborKey(port.link, dst), { dst, dev: port.link, mac: port.mac });
  const seenNeighbors = new Map((seen.neighbors ?? []).filter((n) => !deleted.has(n.dev)).map((n) => [neighborKey(n.dev, n.dst), n]));
  for (const [key, want] of wantedNeighbors) {
    if (seenNeighbors.get(key)?.mac === want.mac) continue;
    out.push({ argv: ip(ns, 'neigh', 'replace', want.dst, 'lladdr', want.mac, 'dev', want.dev, 'nud', 'permanent'), why: `${want.dst} lives at ${want.mac}` });
  }
  for (const [key, n] of seenNeighbors) {
    if (!wantedNeighbors.has(key)) out.push({ argv: ip(ns, 'neigh', 'del', n.dst, 'dev', n.dev), why: 'stray neighbor', mayBeGone: true });
  }
}

function instanceCommands(inst: DesiredInstance, desired: DesiredState, observed: ObservedState, deletedLinks: Map<string, Set<string>>, out: Command[]): void {
  const ns = inst.ns;
  const seen = observedNs(observed, ns) ?? EMPTY_NAMESPACE;
  const lo = seen.links.find((l) => l.name === 'lo');
  if (!lo?.up) out.push({ argv: ip(ns, 'link', 'set', 'lo', 'up'), why: 'loopback' });
  const vpc = desired.vpcs.find((v) => v.ns === inst.vpcNs);
  const routerSeen = observedNs(observed, inst.vpcNs);
  for (const want of inst.links) {
    const router = routerSeen?.links.find((l) => l.name === want.routerLink);
    const deleted = deletedLinks.get(inst.vpcNs)?.has(want.routerLink) ?? false;
    // A NIC plugged in this pass arrives down and unconfigured.
    const link = router && !deleted ? seen.links.find((l) => l.name === want.name && peerMatches(router, l, want.mac)) : undefined;
    const up = link?.up ?? false;
    const inet = link?.inet ?? [];
    if (!vpc) continue;
    if (want.mode === 'down') {
      if (up) out.push({ argv: ip(ns, 'link', 'set', want.name, 'down'), why: `${inst.instanceId} stopped` });
      if (inet.length) out.push({ argv: ip(ns, 'addr', 'flush', 'dev', want.name), why: `${inst.instanceId} stopped` });
      continue;
    }
    if (want.mode !== 'up' || !want.config) continue;
    // As the image does at boot: the primary NIC up with its address and the default route.
    if (!up) out.push({ argv: ip(ns, 'link', 'set', want.name, 'up'), why: `${inst.instanceId} running` });
    if (!inet.includes(want.config.address)) out.push({ argv: ip(ns, 'addr', 'add', want.config.address, 'dev', want.name), why: 'primary address' });
    const def = seen.routes.find((r) => r.dst === '0.0.0.0/0');
    if (!link || def?.gateway !== want.config.gateway || def.dev !== want.name) {
      out.push({ argv: ip(ns, 'route', 'replace', 'default', 'via', want.config.gateway, 'dev', want.name), why: 'default route' });
    }
  }
}
