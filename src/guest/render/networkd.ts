import type { GuestEni, GuestModel } from '../model.ts';
import { describeEni, header, ipv6Addresses, policyOf, primaryIpv6Gateway, rpFilterDropIn, type RenderedFile } from './common.ts';

/**
 * systemd-networkd: per ENI a `.link` file naming the NIC ethN by MAC (what netplan's set-name
 * becomes) and a `.network` file matched by MAC, with a secondary ENI's routes in `Table=` and
 * its rules as `[RoutingPolicyRule]` (systemd ≥ 235: Ubuntu 18.04, Debian 10). rp_filter through
 * the sysctl.d drop-in, not `IPv4ReversePathFilter=` (newer than Debian 12's systemd 252).
 * IPv6 as netplan generates it from the netplan rendering: `[Address]`es, `::/0` via
 * `ipv6-gateway` (in the table for a secondary ENI, with the /64 on-link), rules per address and
 * prefix; router advertisements stay ignored (`IPv6AcceptRA=no`).
 */
const DIR = 'etc/systemd/network';

function files(model: GuestModel, eni: GuestEni): RenderedFile[] {
  const top = `${header(model)}# ${describeEni(eni)}\n`;
  const link = `${top}[Match]\nMACAddress=${eni.mac}\n\n[Link]\nName=${eni.ifname}\n`;
  const sections: string[][] = [['[Match]', `MACAddress=${eni.mac}`]];
  const network = ['[Network]', 'DHCP=no', 'IPv6AcceptRA=no'];
  if (eni.primary) for (const ns of model.nameservers ?? []) network.push(`DNS=${ns}`);
  sections.push(network);
  for (const ip of [eni.primaryIp, ...eni.secondaryIps]) sections.push(['[Address]', `Address=${ip}/${eni.prefixLength}`]);
  for (const a of ipv6Addresses(eni)) sections.push(['[Address]', `Address=${a}`]);
  if (eni.primary) {
    sections.push(['[Route]', 'Destination=0.0.0.0/0', `Gateway=${eni.gateway}`]);
    const gw6 = primaryIpv6Gateway(eni);
    if (gw6) sections.push(['[Route]', 'Destination=::/0', `Gateway=${gw6}`]);
  } else {
    const p = policyOf(eni);
    for (const r of p.routes) {
      sections.push(
        r.via
          ? ['[Route]', 'Destination=0.0.0.0/0', `Gateway=${r.via}`, `Table=${p.table}`]
          : ['[Route]', `Destination=${r.to}`, 'Scope=link', `PreferredSource=${r.src}`, `Table=${p.table}`],
      );
    }
    for (const r of p.routes6) {
      sections.push(
        r.via ? ['[Route]', 'Destination=::/0', `Gateway=${r.via}`, `Table=${p.table}`] : ['[Route]', `Destination=${r.to}`, 'Scope=link', `Table=${p.table}`],
      );
    }
    for (const ip of [...p.sources, ...p.sources6]) sections.push(['[RoutingPolicyRule]', `From=${ip}`, `Table=${p.table}`, `Priority=${p.priority}`]);
  }
  const base = `10-eniplane-${eni.ifname}`;
  return [
    { path: `${DIR}/${base}.link`, content: link, mode: 0o644 },
    { path: `${DIR}/${base}.network`, content: `${top}${sections.map((s) => `${s.join('\n')}\n`).join('\n')}`, mode: 0o644 },
  ];
}

export function renderNetworkd(model: GuestModel): RenderedFile[] {
  return [...model.enis.flatMap((e) => files(model, e)), ...rpFilterDropIn(model)];
}
