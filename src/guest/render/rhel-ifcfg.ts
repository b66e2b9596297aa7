import type { GuestEni, GuestModel } from '../model.ts';
import { describeEni, header, ipv6Addresses, policyOf, primaryIpv6Gateway, rpFilterDropIn, type RenderedFile } from './common.ts';

/**
 * RHEL family (Alibaba Cloud Linux, CentOS, Red Hat, Anolis, Fedora): initscripts files, also
 * read by NetworkManager's ifcfg-rh plugin.
 *
 * - ifcfg-ethN per ENI, static from the metadata, HWADDR pinning the MAC; DEFROUTE=no and no
 *   GATEWAY on secondary ENIs (the seed's rule: a secondary ENI must not take the default route).
 * - ifcfg-ethN:K alias files for secondary IPs, K from 0, as the seed "Assign a secondary private
 *   IP address" writes them, without its GATEWAY line (a second default route per alias).
 * - route-ethN / rule-ethN (`ip route` / `ip rule` arguments, one per line) for a secondary
 *   ENI's table and its `from` rules (delegated IPv4 prefixes among them).
 * - IPv6 (cloud-init's sysconfig keys): `IPV6INIT=yes`, `IPV6ADDR` (the first address) and
 *   `IPV6ADDR_SECONDARIES` in ifcfg-ethN, `IPV6_AUTOCONF=no` (no router advertisement adds
 *   routes in main), `IPV6_DEFAULTGW` on the primary ENI and `IPV6_DEFROUTE=no` on secondary ones;
 *   route6-ethN / rule6-ethN (read by initscripts' ifup-ipv6/ifup-routes and NetworkManager's
 *   ifcfg-rh) for a secondary ENI's IPv6 table routes and its IPv6 address and /80 rules.
 */
const DIR = 'etc/sysconfig/network-scripts';

function keyValues(model: GuestModel, comment: string, pairs: [string, string | number][]): string {
  return `${header(model)}# ${comment}\n${pairs.map(([k, v]) => `${k}=${v}\n`).join('')}`;
}

function interfaceFile(model: GuestModel, eni: GuestEni): RenderedFile {
  const pairs: [string, string | number][] = [
    ['DEVICE', eni.ifname],
    ['HWADDR', eni.mac],
    ['TYPE', 'Ethernet'],
    ['BOOTPROTO', 'static'],
    ['ONBOOT', 'yes'],
    ['IPADDR', eni.primaryIp],
    ['NETMASK', eni.netmask],
  ];
  if (eni.primary) {
    pairs.push(['GATEWAY', eni.gateway], ['DEFROUTE', 'yes']);
    (model.nameservers ?? []).forEach((ns, i) => pairs.push([`DNS${i + 1}`, ns]));
  } else {
    pairs.push(['DEFROUTE', 'no'], ['PEERDNS', 'no']);
  }
  const v6 = ipv6Addresses(eni);
  if (v6.length === 0) {
    pairs.push(['IPV6INIT', 'no']);
  } else {
    pairs.push(['IPV6INIT', 'yes'], ['IPV6_AUTOCONF', 'no'], ['IPV6ADDR', v6[0]!]);
    if (v6.length > 1) pairs.push(['IPV6ADDR_SECONDARIES', `"${v6.slice(1).join(' ')}"`]);
    const gw6 = primaryIpv6Gateway(eni);
    if (gw6) pairs.push(['IPV6_DEFAULTGW', gw6], ['IPV6_DEFROUTE', 'yes']);
    if (!eni.primary) pairs.push(['IPV6_DEFROUTE', 'no']);
  }
  return { path: `${DIR}/ifcfg-${eni.ifname}`, content: keyValues(model, describeEni(eni), pairs), mode: 0o644 };
}

function aliasFiles(model: GuestModel, eni: GuestEni): RenderedFile[] {
  return eni.secondaryIps.map((ip, k) => ({
    path: `${DIR}/ifcfg-${eni.ifname}:${k}`,
    content: keyValues(model, `secondary private IP ${k + 1} of ${eni.eniId}`, [
      ['DEVICE', `${eni.ifname}:${k}`],
      ['TYPE', 'Ethernet'],
      ['BOOTPROTO', 'static'],
      ['ONBOOT', 'yes'],
      ['IPADDR', ip],
      ['NETMASK', eni.netmask],
    ]),
    mode: 0o644,
  }));
}

function policyFiles(model: GuestModel, eni: GuestEni): RenderedFile[] {
  const p = policyOf(eni);
  const routes = p.routes.map((r) =>
    r.via ? `${r.to} via ${r.via} dev ${eni.ifname} table ${p.table}\n` : `${r.to} dev ${eni.ifname} src ${r.src} table ${p.table}\n`,
  );
  const rules = p.sources.map((ip) => `from ${ip} table ${p.table} priority ${p.priority}\n`);
  const note = `# ${eni.ifname}: table ${p.table} for traffic from ${eni.eniId}'s addresses.\n`;
  const files: RenderedFile[] = [
    { path: `${DIR}/route-${eni.ifname}`, content: `${header(model)}${note}${routes.join('')}`, mode: 0o644 },
    { path: `${DIR}/rule-${eni.ifname}`, content: `${header(model)}${note}${rules.join('')}`, mode: 0o644 },
  ];
  if (p.routes6.length) {
    const routes6 = p.routes6.map((r) =>
      r.via ? `default via ${r.via} dev ${eni.ifname} table ${p.table}\n` : `${r.to} dev ${eni.ifname} table ${p.table}\n`,
    );
    files.push({ path: `${DIR}/route6-${eni.ifname}`, content: `${header(model)}${note}${routes6.join('')}`, mode: 0o644 });
  }
  if (p.sources6.length) {
    const rules6 = p.sources6.map((ip) => `from ${ip} table ${p.table} priority ${p.priority}\n`);
    files.push({ path: `${DIR}/rule6-${eni.ifname}`, content: `${header(model)}${note}${rules6.join('')}`, mode: 0o644 });
  }
  return files;
}

export function renderRhelIfcfg(model: GuestModel): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const eni of model.enis) {
    files.push(interfaceFile(model, eni), ...aliasFiles(model, eni));
    if (!eni.primary) files.push(...policyFiles(model, eni));
  }
  return [...files, ...rpFilterDropIn(model)];
}
