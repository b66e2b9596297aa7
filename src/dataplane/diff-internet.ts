import { INTERNET_NEXT_HOP_IP, ROUTER_INTERNET_IP, type DesiredInternetLink } from './desired-internet.ts';
import type { DesiredState } from './desired.ts';
import type { Command } from './diff.ts';
import { EMPTY_NAMESPACE, ip, observedNs, sysctlIn } from './commands.ts';
import type { ObservedLink, ObservedNamespace, ObservedState } from './observed.ts';

/**
 * The internet part of the diff (desired-internet.ts), pure like diff.ts, whose commands it
 * appends after the routers and instances exist: the internet namespace with the client address,
 * one veth pair per VPC router, the router's default route to it, and the internet's /32 route per
 * public address. What matches is adopted. Strays go: an `ev…` link no VPC wants (its router end
 * goes with it), an `ei…` link in a router that is not its own, a route to an address no longer
 * associated.
 */

/** Router ends (names.ts internetRouterLink) and internet ends (internetVpcLink). */
export const INTERNET_ROUTER_LINK = /^ei[0-9a-f]{13}$/;
export const INTERNET_VPC_LINK = /^ev[0-9a-f]{13}$/;

/** The internet namespace forwards between its links: an instance with an EIP reaches another VPC's EIP, as on the internet. */
export const INTERNET_SYSCTLS: Record<string, string> = { 'net.ipv4.ip_forward': '1' };

function pairIntact(a: ObservedLink | undefined, b: ObservedLink | undefined): boolean {
  return !!a && !!b && a.kind === 'veth' && b.kind === 'veth' && a.peerIndex === b.ifindex && b.peerIndex === a.ifindex;
}

/** Up, and exactly `address` (a /32) on it; `link` undefined: just made, nothing on it yet. */
function linkCommands(ns: string, name: string, link: ObservedLink | undefined, address: string, why: string, out: Command[]): void {
  if (!link?.up) out.push({ argv: ip(ns, 'link', 'set', name, 'up'), why });
  const inet = link?.inet ?? [];
  if (!inet.includes(address)) out.push({ argv: ip(ns, 'addr', 'add', address, 'dev', name), why: `${why}: next hop` });
  for (const a of inet) if (a !== address) out.push({ argv: ip(ns, 'addr', 'del', a, 'dev', name), why: 'stray address', mayBeGone: true });
}

export function internetCommands(desired: DesiredState, observed: ObservedState, out: Command[]): void {
  const net = desired.internet;
  const seen = observedNs(observed, net.ns);
  const here = seen ?? EMPTY_NAMESPACE;
  if (!seen) {
    out.push({ argv: ['ip', 'netns', 'add', net.ns], why: 'the internet' });
    out.push({ argv: sysctlIn(net.ns, INTERNET_SYSCTLS), why: 'the internet forwards' });
  } else {
    const wrong = Object.fromEntries(Object.entries(INTERNET_SYSCTLS).filter(([k, v]) => seen.sysctl[k] !== v));
    if (Object.keys(wrong).length) out.push({ argv: sysctlIn(net.ns, wrong), why: 'the internet forwards' });
  }
  const lo = here.links.find((l) => l.name === 'lo');
  if (!lo?.up) out.push({ argv: ip(net.ns, 'link', 'set', 'lo', 'up'), why: 'loopback' });
  const loAddrs = lo?.inet ?? [];
  if (!loAddrs.includes(net.client)) out.push({ argv: ip(net.ns, 'addr', 'add', net.client, 'dev', 'lo'), why: 'the internet client' });
  for (const a of loAddrs) {
    if (a !== '127.0.0.1/8' && a !== net.client) out.push({ argv: ip(net.ns, 'addr', 'del', a, 'dev', 'lo'), why: 'stray address', mayBeGone: true });
  }

  const wanted = new Map(net.links.map((l) => [l.link, l]));
  for (const l of here.links) {
    if (INTERNET_VPC_LINK.test(l.name) && !wanted.has(l.name)) {
      out.push({ argv: ip(net.ns, 'link', 'del', l.name), why: 'no VPC router for this link', mayBeGone: true });
    }
  }
  const gone = new Set<string>();
  for (const link of net.links) {
    const router = observedNs(observed, link.vpcNs) ?? EMPTY_NAMESPACE;
    for (const l of router.links) {
      if (INTERNET_ROUTER_LINK.test(l.name) && l.name !== link.routerLink) {
        out.push({ argv: ip(link.vpcNs, 'link', 'del', l.name), why: 'not this router’s internet link', mayBeGone: true });
      }
    }
    if (!routerLinkCommands(net.ns, link, router, here, out)) gone.add(link.link);
  }

  // Routes: each public address to its VPC's link, from the client address; nothing else.
  const want = new Map<string, DesiredInternetLink>();
  for (const link of net.links) for (const dst of link.routes) want.set(dst, link);
  const src = net.client.replace(/\/32$/, '');
  const routes = new Map(here.routes.map((r) => [r.dst, r]));
  for (const [dst, link] of want) {
    const r = routes.get(dst);
    if (r && r.dev === link.link && r.gateway === ROUTER_INTERNET_IP && r.src === src && !gone.has(link.link)) continue;
    out.push({
      argv: ip(net.ns, 'route', 'replace', dst, 'via', ROUTER_INTERNET_IP, 'dev', link.link, 'onlink', 'src', src),
      why: `public address of ${link.vpcId}`,
    });
  }
  for (const r of here.routes) {
    if (want.has(r.dst) || (r.dev && (gone.has(r.dev) || (INTERNET_VPC_LINK.test(r.dev) && !wanted.has(r.dev))))) continue;
    out.push({ argv: ip(net.ns, 'route', 'del', r.dst, ...(r.dev ? ['dev', r.dev] : [])), why: 'no longer associated', mayBeGone: true });
  }
}

/**
 * One router ↔ internet veth pair, made again when either end is missing or they are not each
 * other's peer; both ends up with their next-hop address, and the router's default route.
 * Returns whether the observed pair was kept (false: it is made in this pass).
 */
function routerLinkCommands(internetNs: string, link: DesiredInternetLink, router: ObservedNamespace, internet: ObservedNamespace, out: Command[]): boolean {
  const routerEnd = router.links.find((l) => l.name === link.routerLink);
  const internetEnd = internet.links.find((l) => l.name === link.link);
  const intact = pairIntact(routerEnd, internetEnd);
  if (!intact) {
    if (routerEnd) out.push({ argv: ip(link.vpcNs, 'link', 'del', link.routerLink), why: `${link.vpcId}: internet link not in place`, mayBeGone: true });
    if (internetEnd) out.push({ argv: ip(internetNs, 'link', 'del', link.link), why: `${link.vpcId}: internet link not in place`, mayBeGone: true });
    out.push({
      argv: ip(link.vpcNs, 'link', 'add', link.routerLink, 'type', 'veth', 'peer', 'name', link.link, 'netns', internetNs),
      why: `${link.vpcId} linked to the internet`,
    });
  }
  linkCommands(link.vpcNs, link.routerLink, intact ? routerEnd : undefined, `${ROUTER_INTERNET_IP}/32`, `${link.vpcId}: to the internet`, out);
  linkCommands(internetNs, link.link, intact ? internetEnd : undefined, `${INTERNET_NEXT_HOP_IP}/32`, `the internet: to ${link.vpcId}`, out);
  const def = router.routes.find((r) => r.dst === '0.0.0.0/0');
  if (!intact || def?.dev !== link.routerLink || def.gateway !== INTERNET_NEXT_HOP_IP) {
    out.push({
      argv: ip(link.vpcNs, 'route', 'replace', 'default', 'via', INTERNET_NEXT_HOP_IP, 'dev', link.routerLink, 'onlink'),
      why: `${link.vpcId}: default route to the internet`,
    });
  }
  return intact;
}
