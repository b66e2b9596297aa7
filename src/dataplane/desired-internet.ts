import type { DesiredVpc, Snapshot } from './desired.ts';
import { internetNamespace, internetRouterLink, internetVpcLink } from './names.ts';

/**
 * The internet side of the desired state (issue 15, EIPs), pure like desired.ts.
 *
 * One namespace stands for the internet. It exists while the data plane runs, and every VPC router
 * is linked to it by a veth pair (router end `ei…`, internet end `ev…`), so associating an EIP
 * changes only a route and the NAT table, never the links. The internet namespace routes each
 * public address (/32) to the link of its VPC; the router's default route leads to the internet.
 * The router translates 1:1: an EIP to its private address on the way in, the private address to
 * the EIP on the way out (eip-nat.ts).
 */

/**
 * The address that stands for "a client on the internet", on the internet namespace's `lo`:
 * TEST-NET-2 (RFC 5737), documentation space that is never routed on the real internet. EIPs
 * come from TEST-NET-3 (203.0.113.0/24, serve --eip-pool) by default, so the two never meet.
 */
export const INTERNET_CLIENT_IP = '198.51.100.10';

/**
 * The two ends of every router ↔ internet link carry the same link-local /32 pair: each router
 * is its own namespace, and in the internet namespace a next hop is resolved per device. They are
 * next hops only (routes are `onlink`), so no connected route appears in either namespace.
 */
export const ROUTER_INTERNET_IP = '169.254.0.1';
export const INTERNET_NEXT_HOP_IP = '169.254.0.2';

/** A public address in use as the store says: an EIP's, or an instance's own public IP (AllocatePublicIpAddress). */
export interface SnapshotPublicAddress {
  publicIp: string;
  privateIp: string;
  vpcId: string;
  kind: 'eip' | 'public-ip';
  /** The EIP's allocation ID or the instance ID, for status and logs. */
  owner: string;
}

/** One public address translated 1:1 to a private address of the VPC. */
export interface DesiredNat {
  publicIp: string;
  privateIp: string;
  kind: 'eip' | 'public-ip';
  owner: string;
}

export interface DesiredInternetLink {
  vpcId: string;
  vpcNs: string;
  /** The end in the internet namespace. */
  link: string;
  /** The end in the router namespace. */
  routerLink: string;
  /** `a.b.c.d/32` per public address of the VPC, routed to the link. */
  routes: string[];
}

export interface DesiredInternet {
  ns: string;
  /** The client's address (INTERNET_CLIENT_IP) as `address/32` on lo. */
  client: string;
  links: DesiredInternetLink[];
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Links every VPC router to the internet and gives each its NAT entries: the snapshot's public
 * addresses whose private address is held by an ENI plugged into this router (an EIP on an
 * unattached ENI, or on an ENI of an instance not running here, leads nowhere and is left out, so
 * no packet is translated towards an address without a route). The client address is never an EIP
 * here (it would be the internet namespace's own). Sets `internetLink` and `nat` on each VPC.
 */
export function linkVpcsToInternet(vpcs: DesiredVpc[], snapshot: Snapshot): DesiredInternet {
  const links: DesiredInternetLink[] = [];
  for (const vpc of vpcs) {
    const held = new Set(vpc.ports.flatMap((p) => p.routes));
    const nat = (snapshot.publicAddresses ?? [])
      .filter((a) => a.vpcId === vpc.vpcId && a.publicIp !== INTERNET_CLIENT_IP && held.has(`${a.privateIp}/32`))
      .map((a) => ({ publicIp: a.publicIp, privateIp: a.privateIp, kind: a.kind, owner: a.owner }))
      // EIPs first: when an address has both, its outgoing packets leave with the EIP (snatMap).
      .sort((a, b) => byString(a.kind, b.kind) || byString(a.privateIp, b.privateIp) || byString(a.publicIp, b.publicIp));
    vpc.internetLink = internetRouterLink(vpc.vpcId);
    vpc.nat = nat;
    links.push({
      vpcId: vpc.vpcId,
      vpcNs: vpc.ns,
      link: internetVpcLink(vpc.vpcId),
      routerLink: vpc.internetLink,
      routes: [...new Set(nat.map((n) => `${n.publicIp}/32`))].sort(byString),
    });
  }
  return { ns: internetNamespace(), client: `${INTERNET_CLIENT_IP}/32`, links };
}

/** Private → public for outgoing packets: one public address per private one, the first of `nat` (EIPs before public IPs). */
export function snatMap(nat: readonly DesiredNat[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of nat) if (!out.has(n.privateIp)) out.set(n.privateIp, n.publicIp);
  return out;
}
