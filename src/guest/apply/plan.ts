import ipaddr from 'ipaddr.js';
import { ipv6PrefixLengthOf, routeTableOf, type GuestEni, type GuestModel } from '../model.ts';
import type { DesiredAddress, DesiredInterface, DesiredRoute, DesiredRule, DesiredState } from './desired.ts';
import { LOOSE_RP_FILTER, MAIN_TABLE, rulePriorityOf } from './marker.ts';
import type { ObservedLink } from './observed.ts';

/** `10.1.0.7/24` → `10.1.0.0/24` (and likewise for IPv6): the form the kernel stores and prints routes in. */
export function networkOf(cidr: string): string {
  if (cidr.includes(':')) {
    const [, len6] = ipaddr.IPv6.parseCIDR(cidr);
    return `${ipaddr.IPv6.networkAddressFromCIDR(cidr).toString()}/${len6}`;
  }
  const [, len] = ipaddr.IPv4.parseCIDR(cidr);
  return `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${len}`;
}

/**
 * Two ENIs on one index would share a table and rule priority, and their rules would route
 * each other's traffic (ec2-net-utils #90, #153; os-config.md §6.6): refuse rather than guess.
 */
function assertDistinct(model: GuestModel): void {
  const seen = new Map<string, string>();
  for (const eni of model.enis) {
    for (const key of [`index ${eni.index}`, `MAC ${eni.mac}`]) {
      const other = seen.get(key);
      if (other) throw new Error(`${other} and ${eni.eniId} have the same ${key}: refusing to configure either`);
      seen.set(key, eni.eniId);
    }
  }
}

/**
 * Renames a NIC to eth<index> only while it is down and the name is free: a rename of a running
 * NIC fails (EBUSY) and would pull the name from under whatever configured it (os-config.md
 * §6.5: renames belong to the moment the device appears). Otherwise the kernel's name stays.
 */
function chooseName(eni: GuestEni, link: ObservedLink, links: ObservedLink[], notes: string[]): string {
  if (link.ifname === eni.ifname) return link.ifname;
  if (link.up) {
    notes.push(`${eni.eniId} (${eni.mac}) keeps the name ${link.ifname}: it is up, and a running NIC is not renamed to ${eni.ifname}`);
    return link.ifname;
  }
  if (links.some((l) => l.ifname === eni.ifname)) {
    notes.push(`${eni.eniId} (${eni.mac}) keeps the name ${link.ifname}: ${eni.ifname} is taken by another device`);
    return link.ifname;
  }
  return eni.ifname;
}

function addressesOf(eni: GuestEni): DesiredAddress[] {
  // The primary ENI's primary IP keeps its connected route in main (the instance's own subnet).
  // Everything else goes in with the vSwitch prefix length but `noprefixroute`: the address still
  // shows its real mask, yet adds no second connected route to main (os-config.md §6.7), and a
  // secondary ENI's subnet route lives in its own table (as ec2-net-utils 2.x puts it there).
  // DIVERGENCE: on ECS, DHCP on eth1 puts its subnet route in main too (the seed's `route -n`);
  // here main knows only the primary ENI's subnet, so no reply leaves by the wrong NIC.
  const all = [eni.primaryIp, ...eni.secondaryIps.filter((ip) => ip !== eni.primaryIp)];
  const v4 = all.map((ip, i): DesiredAddress => ({ family: 4, ip, prefixLength: eni.prefixLength, noprefixroute: !(eni.primary && i === 0) }));
  // IPv6 the same way: the vSwitch's /64 (or /128 without it), the primary ENI's first IPv6
  // address alone keeping its /64 route in main (the on-link route to the IPv6 gateway).
  // chosen: `nodad`. The cloud's IPAM already guarantees the address is unique in the vSwitch
  // (eniplane's database does), and duplicate address detection would only hold the address
  // "tentative" for a second or more: not usable as a source, and routes with it refused.
  const v6Length = ipv6PrefixLengthOf(eni);
  const v6 = eni.ipv6s.map((ip, i): DesiredAddress => ({
    family: 6,
    ip,
    prefixLength: v6Length,
    noprefixroute: !(eni.primary && i === 0) || v6Length === 128,
    nodad: true,
  }));
  return [...v4, ...v6];
}

/**
 * The namespace's desired state for a model, given the devices present (matched by MAC, never
 * by name or order). Pure.
 */
export function planDesired(model: GuestModel, links: ObservedLink[]): DesiredState {
  assertDistinct(model);
  const interfaces: DesiredInterface[] = [];
  const routes: DesiredRoute[] = [];
  const rules: DesiredRule[] = [];
  const missing: DesiredState['missing'] = [];
  const notes: string[] = [];
  for (const eni of model.enis) {
    const link = links.find((l) => l.mac === eni.mac.toLowerCase());
    if (!link) {
      missing.push({ eniId: eni.eniId, mac: eni.mac });
      continue;
    }
    const name = chooseName(eni, link, links, notes);
    const addresses = addressesOf(eni);
    interfaces.push({
      eniId: eni.eniId,
      mac: link.mac,
      primaryEni: eni.primary,
      currentName: link.ifname,
      name,
      addresses,
      ...(eni.primary ? {} : { rpFilter: LOOSE_RP_FILTER }),
      ...(eni.ipv6s.length ? { ipv6: true } : {}),
    });
    if (eni.primary) {
      // No rules for the primary ENI (ec2-net-utils #97: they broke docker bridges); just the
      // instance's default routes in main, unless something else already provides them (DHCP,
      // the image's config; for IPv6 a router advertisement).
      routes.push({ family: 4, table: MAIN_TABLE, dst: 'default', gateway: eni.gateway, dev: name, yieldToForeign: true });
      if (eni.ipv6s.length && eni.ipv6Gateway) {
        routes.push({ family: 6, table: MAIN_TABLE, dst: 'default', gateway: eni.ipv6Gateway, dev: name, yieldToForeign: true });
      }
      continue;
    }
    // A secondary ENI's default route lives only in its table, never in main (os-config.md §6.8).
    const table = routeTableOf(eni);
    const priority = rulePriorityOf(table);
    routes.push({ family: 4, table, dst: networkOf(eni.vswitchCidr), dev: name });
    routes.push({ family: 4, table, dst: 'default', gateway: eni.gateway, dev: name });
    // IPv6 in the same table: the vSwitch /64 on-link (the gateway is inside it), then the default.
    if (eni.ipv6s.length && eni.vswitchIpv6Cidr) routes.push({ family: 6, table, dst: networkOf(eni.vswitchIpv6Cidr), dev: name });
    if (eni.ipv6s.length && eni.ipv6Gateway) routes.push({ family: 6, table, dst: 'default', gateway: eni.ipv6Gateway, dev: name });
    for (const a of addresses) rules.push({ family: a.family, priority, src: `${a.ip}/${a.family === 6 ? 128 : 32}`, table });
    // Delegated prefixes are not addresses here (Terway gives their addresses to pods), but what
    // they send must leave through this ENI too: one rule per prefix (os-config.md §2).
    for (const p of eni.ipv4Prefixes) rules.push({ family: 4, priority, src: p, table });
    for (const p of eni.ipv6Prefixes) rules.push({ family: 6, priority, src: p, table });
  }
  return { interfaces, routes, rules, missing, notes };
}
