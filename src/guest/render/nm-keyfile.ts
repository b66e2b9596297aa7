import { createHash } from 'node:crypto';
import type { GuestEni, GuestModel } from '../model.ts';
import { describeEni, header, ipv6Addresses, policyOf, primaryIpv6Gateway, rpFilterDropIn, upperMac, type RenderedFile } from './common.ts';

/**
 * NetworkManager keyfiles (Alibaba Cloud Linux 3, RHEL 8/9, Anolis 8, Fedora), one per ENI,
 * matched by MAC. Mode 0600: NetworkManager ignores keyfiles others can read (os-config.md
 * §6.10). The UUID is derived from the MAC, so a re-render names the same connection.
 *
 * Secondary ENI: `never-default=true` (no default route in main, the keyfile spelling of
 * DEFROUTE=no), its table routes as `routeN` + `routeN_options=table=…`, and
 * `routing-ruleN=priority … from … table …` (what Alibaba's config_dual_traffic.sh sets through
 * nmcli). The primary address is address1, so NetworkManager uses it as the source (§6.7).
 * IPv6 the same way in `[ipv6]` (`method=manual`, the default via `ipv6-gateway`, the table
 * routes and `routing-rule`s of the IPv6 addresses and /80 prefixes); `method=ignore` without.
 */
const DIR = 'etc/NetworkManager/system-connections';

/** A name-based (v5-shaped) UUID from the MAC: stable across renders and hosts. */
export function connectionUuid(mac: string): string {
  const h = createHash('sha1').update(`eniplane:nm:${mac}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function keyfile(model: GuestModel, eni: GuestEni): RenderedFile {
  const id = `eniplane-${eni.ifname}`;
  const ipv4 = ['[ipv4]', 'method=manual'];
  [eni.primaryIp, ...eni.secondaryIps].forEach((ip, i) => ipv4.push(`address${i + 1}=${ip}/${eni.prefixLength}`));
  if (eni.primary) {
    ipv4.push(`gateway=${eni.gateway}`);
    if (model.nameservers?.length) ipv4.push(`dns=${model.nameservers.join(';')};`);
  } else {
    const p = policyOf(eni);
    ipv4.push('never-default=true', 'ignore-auto-dns=true');
    p.routes.forEach((r, i) => {
      ipv4.push(r.via ? `route${i + 1}=0.0.0.0/0,${r.via}` : `route${i + 1}=${r.to}`);
      ipv4.push(r.src ? `route${i + 1}_options=src=${r.src},table=${p.table}` : `route${i + 1}_options=table=${p.table}`);
    });
    p.sources.forEach((ip, i) => ipv4.push(`routing-rule${i + 1}=priority ${p.priority} from ${ip} table ${p.table}`));
  }
  const sections = [
    ['[connection]', `id=${id}`, `uuid=${connectionUuid(eni.mac)}`, 'type=ethernet', 'autoconnect=true'],
    ['[ethernet]', `mac-address=${upperMac(eni.mac)}`],
    ipv4,
    ipv6Section(eni),
  ];
  const content = `${header(model)}# ${describeEni(eni)}\n${sections.map((s) => `${s.join('\n')}\n`).join('\n')}`;
  return { path: `${DIR}/${id}.nmconnection`, content, mode: 0o600 };
}

function ipv6Section(eni: GuestEni): string[] {
  const p = policyOf(eni);
  if (eni.ipv6s.length === 0 && (eni.primary || p.sources6.length === 0)) return ['[ipv6]', 'method=ignore'];
  // /80 prefixes without an IPv6 address: `manual` needs an address, `link-local` still takes rules.
  const ipv6 = ['[ipv6]', eni.ipv6s.length ? 'method=manual' : 'method=link-local'];
  ipv6Addresses(eni).forEach((a, i) => ipv6.push(`address${i + 1}=${a}`));
  const gw6 = primaryIpv6Gateway(eni);
  if (eni.primary) {
    if (gw6) ipv6.push(`gateway=${gw6}`);
    return ipv6;
  }
  ipv6.push('never-default=true', 'ignore-auto-dns=true');
  p.routes6.forEach((r, i) => {
    ipv6.push(r.via ? `route${i + 1}=::/0,${r.via}` : `route${i + 1}=${r.to}`, `route${i + 1}_options=table=${p.table}`);
  });
  p.sources6.forEach((ip, i) => ipv6.push(`routing-rule${i + 1}=priority ${p.priority} from ${ip} table ${p.table}`));
  return ipv6;
}

export function renderNmKeyfile(model: GuestModel): RenderedFile[] {
  return [...model.enis.map((e) => keyfile(model, e)), ...rpFilterDropIn(model)];
}
