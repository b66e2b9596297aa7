import type { GuestEni, GuestModel } from '../model.ts';
import { describeEni, header, ipv6Addresses, policyOf, primaryIpv6Gateway, rpFilterDropIn, type RenderedFile } from './common.ts';

/**
 * SLES 12/15 and openSUSE (wicked): /etc/sysconfig/network/ifcfg-ethN with the secondary IPs as
 * `IPADDR_K` / `NETMASK_K` / `LABEL_K` (K from 0, labels giving `ethN:K`, seed "Assign a
 * secondary private IP address"; NETMASK as a dotted mask, which is what ifcfg(5) means by it).
 *
 * Routes: ifroute-ethN, `DESTINATION GATEWAY NETMASK INTERFACE [TYPE] [OPTIONS]` with the
 * `table` option; the primary ENI's default route goes there too (wicked's per-interface
 * routes file). Rules: ifrule-ethN, one `ip rule`-style selector per line, read by wicked
 * (SLES 12 SP2+ / 15); SLES 11's sysconfig scripts do not read it, so it is not offered.
 * No `LLADDR` (that would *set* the MAC): names come from udev.
 *
 * IPv6: `IPADDR6_K='addr/64'` (K from 0; ifcfg(5) takes any suffix and an IPv6 address with its
 * prefix length; cloud-init's SUSE renderer uses the same IPADDR6 names), `::/0` via
 * `ipv6-gateway` in ifroute-ethN (the primary ENI's in main, a secondary's in its table with the
 * /64), and the IPv6 address and /80 rules in ifrule-ethN (ifrule(5): the family may be left
 * out when the `from` prefix is an address).
 */
const DIR = 'etc/sysconfig/network';

const quoted = (pairs: [string, string | number][]) => pairs.map(([k, v]) => `${k}='${v}'\n`).join('');

function interfaceFile(model: GuestModel, eni: GuestEni): RenderedFile {
  const pairs: [string, string | number][] = [
    ['STARTMODE', 'auto'],
    ['BOOTPROTO', 'static'],
    ['IPADDR', eni.primaryIp],
    ['NETMASK', eni.netmask],
  ];
  eni.secondaryIps.forEach((ip, k) => pairs.push([`IPADDR_${k}`, ip], [`NETMASK_${k}`, eni.netmask], [`LABEL_${k}`, String(k)]));
  ipv6Addresses(eni).forEach((a, k) => pairs.push([`IPADDR6_${k}`, a]));
  return { path: `${DIR}/ifcfg-${eni.ifname}`, content: `${header(model)}# ${describeEni(eni)}\n${quoted(pairs)}`, mode: 0o644 };
}

function routeFiles(model: GuestModel, eni: GuestEni): RenderedFile[] {
  const note = `${header(model)}# ${describeEni(eni)}\n`;
  if (eni.primary) {
    const gw6 = primaryIpv6Gateway(eni);
    const v6 = gw6 ? `default ${gw6} - ${eni.ifname}\n` : '';
    return [{ path: `${DIR}/ifroute-${eni.ifname}`, content: `${note}default ${eni.gateway} - ${eni.ifname}\n${v6}`, mode: 0o644 }];
  }
  const p = policyOf(eni);
  const routes = p.routes.map((r) =>
    r.via ? `default ${r.via} - ${eni.ifname} table ${p.table}\n` : `${r.to} - - ${eni.ifname} table ${p.table} src ${r.src}\n`,
  );
  for (const r of p.routes6) routes.push(r.via ? `default ${r.via} - ${eni.ifname} table ${p.table}\n` : `${r.to} - - ${eni.ifname} table ${p.table}\n`);
  const rules = [...p.sources, ...p.sources6].map((ip) => `priority ${p.priority} from ${ip} table ${p.table}\n`);
  return [
    { path: `${DIR}/ifroute-${eni.ifname}`, content: `${note}${routes.join('')}`, mode: 0o644 },
    { path: `${DIR}/ifrule-${eni.ifname}`, content: `${note}${rules.join('')}`, mode: 0o644 },
  ];
}

export function renderSuseIfcfg(model: GuestModel): RenderedFile[] {
  return [...model.enis.flatMap((e) => [interfaceFile(model, e), ...routeFiles(model, e)]), ...rpFilterDropIn(model)];
}
