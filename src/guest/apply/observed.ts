import type { Family } from './commands.ts';
import { MAIN_TABLE } from './marker.ts';

/**
 * The namespace's current network state, parsed from `ip -N -j` JSON. Pure: the observer
 * (observe.ts) runs the commands; these functions only read their output, so the differ can be
 * tested with literal JSON.
 */

export interface ObservedAddress {
  family: Family;
  ip: string;
  prefixLength: number;
  /** The kernel's "secondary" flag: deleting a non-secondary address of a subnet drops these too. */
  secondary: boolean;
}

export interface ObservedLink {
  ifname: string;
  /** Lower-case colon MAC. */
  mac: string;
  /** Administratively up (the UP flag), whatever the carrier. */
  up: boolean;
  addresses: ObservedAddress[];
}

export interface ObservedRoute {
  family: Family;
  table: number;
  /** `default`, or a CIDR (host routes get /32 or /128). */
  dst: string;
  gateway?: string;
  dev?: string;
  protocol: number;
}

export interface ObservedRule {
  family: Family;
  priority: number;
  /** `all`, or a CIDR (a single address gets /32 or /128). */
  src: string;
  table?: number;
  protocol: number;
}

export interface ObservedState {
  links: ObservedLink[];
  routes: ObservedRoute[];
  rules: ObservedRule[];
  /** rp_filter of each interface that was read (only ENI interfaces are read). */
  rpFilter: Map<string, number>;
  /** disable_ipv6 of each interface that was read (only ENIs with IPv6 addresses). */
  disableIpv6?: Map<string, number>;
}

type Json = Record<string, unknown>;

function asArray(json: unknown, what: string): Json[] {
  if (!Array.isArray(json)) throw new Error(`unexpected output of ip ${what}: not a JSON array`);
  return json as Json[];
}

function num(v: unknown, fallback: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return fallback;
}

/** Link-local (253) and host (254) scope IPv6 addresses are the kernel's, never an ENI's. */
const globalScope = (a: Json) => a.scope === undefined || a.scope === 'global' || a.scope === 0 || a.scope === '0';

/** `ip -N -j addr show`: links (with their MACs), their IPv4 and their global IPv6 addresses. */
export function parseAddrShow(json: unknown): ObservedLink[] {
  return asArray(json, 'addr show').map((l) => {
    const info = Array.isArray(l.addr_info) ? (l.addr_info as Json[]) : [];
    return {
      ifname: String(l.ifname),
      mac: String(l.address ?? '').toLowerCase(),
      up: Array.isArray(l.flags) && l.flags.includes('UP'),
      addresses: info
        .filter((a) => a.family === 'inet' || (a.family === 'inet6' && globalScope(a)))
        .map((a) => {
          const family: Family = a.family === 'inet6' ? 6 : 4;
          return { family, ip: String(a.local), prefixLength: num(a.prefixlen, family === 6 ? 128 : 32), secondary: a.secondary === true };
        }),
    };
  });
}

function withPrefix(dst: string, family: Family): string {
  return dst === 'default' || dst.includes('/') ? dst : `${dst}/${family === 6 ? 128 : 32}`;
}

/** `ip -4|-6 -N -j route show table all`. A route without `table` is in main. */
export function parseRouteShow(json: unknown, family: Family = 4): ObservedRoute[] {
  return asArray(json, 'route show').map((r) => ({
    family,
    table: num(r.table, MAIN_TABLE),
    dst: withPrefix(String(r.dst), family),
    ...(typeof r.gateway === 'string' ? { gateway: r.gateway } : {}),
    ...(typeof r.dev === 'string' ? { dev: r.dev } : {}),
    protocol: num(r.protocol, 0),
  }));
}

/** `ip -4|-6 -N -j rule show`. A rule without `protocol` is the kernel's or unspecified (0). */
export function parseRuleShow(json: unknown, family: Family = 4): ObservedRule[] {
  return asArray(json, 'rule show').map((r) => {
    const src = String(r.src ?? 'all');
    return {
      family,
      priority: num(r.priority, 0),
      src: src === 'all' ? 'all' : `${src}/${num(r.srclen, family === 6 ? 128 : 32)}`,
      ...(r.table !== undefined ? { table: num(r.table, -1) } : {}),
      protocol: num(r.protocol, 0),
    };
  });
}
