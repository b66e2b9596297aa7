import { disableIpv6Key, ip, ipOf, routeArgs, rpFilterKey, ruleArgs, type Command, type Family } from './commands.ts';
import type { DesiredRoute, DesiredState } from './desired.ts';
import { ENIPLANE_PROTO, MAIN_TABLE } from './marker.ts';
import type { ObservedRoute, ObservedRule, ObservedState } from './observed.ts';

/**
 * Addresses eniplane added and has not removed, per device MAC (`ip/len`). Routes and rules carry
 * a protocol mark; addresses cannot on Debian 12 (address protocols need Linux and iproute2 6.3),
 * so this record is how an address is known to be ours. An address someone else put on an ENI —
 * keepalived's HAVIP inside the vSwitch CIDR, say — is never in it, so never removed.
 */
export type AddressLedger = ReadonlyMap<string, ReadonlySet<string>>;

export interface Diff {
  /** In the order they must run: renames and links up, deletions, then additions, then sysctls. */
  commands: Command[];
  notes: string[];
}

const routeKey = (r: { family: Family; table: number; dst: string; gateway?: string; dev?: string }) =>
  `${r.family}|${r.table}|${r.dst}|${r.gateway ?? ''}|${r.dev ?? ''}`;
const ruleKey = (r: { family: Family; priority: number; src: string; table?: number }) => `${r.family}|${r.priority}|${r.src}|${r.table ?? ''}`;
const ours = (x: ObservedRoute | ObservedRule) => x.protocol === ENIPLANE_PROTO;

/**
 * The fewest commands that take the namespace from `observed` to `desired`: add what is missing,
 * remove what is ours (marked routes and rules, ledger addresses) and no longer wanted — also
 * when the ENI is gone from the metadata or its device from the namespace. Pure.
 */
export function diffState(desired: DesiredState, observed: ObservedState, ledger: AddressLedger): Diff {
  const commands: Command[] = [];
  const notes: string[] = [];
  const renamed = new Map(desired.interfaces.filter((i) => i.name !== i.currentName).map((i) => [i.currentName, i.name]));
  const nameAfter = (dev: string | undefined) => (dev === undefined ? undefined : (renamed.get(dev) ?? dev));
  const linkOf = (mac: string) => observed.links.find((l) => l.mac === mac);

  for (const i of desired.interfaces) {
    if (i.name !== i.currentName) commands.push(ip('link', 'set', 'dev', i.currentName, 'name', i.name));
    if (!linkOf(i.mac)?.up) commands.push(ip('link', 'set', 'dev', i.name, 'up'));
  }
  // Before any IPv6 address goes on: a device with IPv6 disabled refuses them. NetworkManager and
  // networkd likewise switch IPv6 on for a device they give IPv6 addresses.
  for (const i of desired.interfaces) {
    if (i.ipv6 && observed.disableIpv6?.get(i.currentName) === 1) commands.push({ kind: 'sysctl', key: disableIpv6Key(i.name), value: 0 });
  }

  // Deletions first: a changed route or rule is a delete and an add of the same key.
  const wantedRules = new Set(desired.rules.map(ruleKey));
  for (const r of observed.rules) if (ours(r) && !wantedRules.has(ruleKey(r))) commands.push(ruleArgs('del', r));

  const ourRoutes = observed.routes.filter(ours).map((r) => ({ ...r, dev: nameAfter(r.dev) }));
  const wantedRoutes = new Set(desired.routes.map(routeKey));
  for (const r of ourRoutes) if (!wantedRoutes.has(routeKey(r))) commands.push(routeArgs('del', r));

  const addressDeletes: { secondary: boolean; command: Command }[] = [];
  for (const link of observed.links) {
    const mine = ledger.get(link.mac);
    if (!mine) continue;
    const wanted = new Set(desired.interfaces.find((i) => i.mac === link.mac)?.addresses.map((a) => `${a.ip}/${a.prefixLength}`) ?? []);
    for (const a of link.addresses) {
      const key = `${a.ip}/${a.prefixLength}`;
      if (mine.has(key) && !wanted.has(key))
        addressDeletes.push({ secondary: a.secondary, command: ipOf(a.family, 'addr', 'del', key, 'dev', nameAfter(link.ifname)!) });
    }
  }
  // The kernel drops a subnet's "secondary" addresses with its primary one: secondaries go first.
  addressDeletes.sort((a, b) => Number(b.secondary) - Number(a.secondary));
  commands.push(...addressDeletes.map((d) => d.command));

  for (const i of desired.interfaces) {
    const present = new Set(linkOf(i.mac)?.addresses.map((a) => `${a.ip}/${a.prefixLength}`) ?? []);
    for (const a of i.addresses) {
      const key = `${a.ip}/${a.prefixLength}`;
      if (!present.has(key))
        commands.push(ipOf(a.family, 'addr', 'add', key, 'dev', i.name, ...(a.noprefixroute ? ['noprefixroute'] : []), ...(a.nodad ? ['nodad'] : [])));
    }
  }

  const ourRouteKeys = new Set(ourRoutes.map(routeKey));
  for (const r of desired.routes) {
    if (ourRouteKeys.has(routeKey(r))) continue;
    if (foreignRouteTo(r, observed.routes)) {
      // A table holds one route per destination and metric: someone else's wins, and is not ours to remove.
      if (!r.yieldToForeign) notes.push(`table ${r.table} already has a route to ${r.dst} that eniplane did not make: left alone`);
      continue;
    }
    commands.push(routeArgs('add', r));
  }

  const ourRuleKeys = new Set(observed.rules.filter(ours).map(ruleKey));
  for (const r of desired.rules) if (!ourRuleKeys.has(ruleKey(r))) commands.push(ruleArgs('add', r));

  for (const i of desired.interfaces) {
    if (i.rpFilter !== undefined && observed.rpFilter.get(i.currentName) !== i.rpFilter) {
      commands.push({ kind: 'sysctl', key: rpFilterKey(i.name), value: i.rpFilter });
    }
  }

  const secondaryNames = new Set(desired.interfaces.filter((i) => !i.primaryEni).flatMap((i) => [i.currentName, i.name]));
  for (const r of observed.routes) {
    if (!ours(r) && r.table === MAIN_TABLE && r.dst === 'default' && r.dev && secondaryNames.has(r.dev)) {
      notes.push(
        `main has ${r.family === 6 ? 'an IPv6' : 'a'} default route via ${r.dev}, a secondary ENI, that eniplane did not make: it competes with the primary ENI's (os-config.md §6.8); left alone`,
      );
    }
  }
  return { commands, notes };
}

function foreignRouteTo(r: DesiredRoute, routes: ObservedRoute[]): boolean {
  return routes.some((o) => !ours(o) && o.family === r.family && o.table === r.table && o.dst === r.dst);
}
