import type { GuestEni, GuestModel } from '../model.ts';
import { ipv6PrefixLengthOf } from '../model.ts';
import { describeEni, header, policyOf, primaryIpv6Gateway, rpFilterDropIn, type RenderedFile } from './common.ts';

/**
 * Debian and Ubuntu 14/16: the whole /etc/network/interfaces, as the seed's procedure edits it
 * ("the primary ENI and secondary ENI configurations are in the same file"), with `ethN:K`
 * alias stanzas for secondary IPs (seed "Assign a secondary private IP address", without its
 * per-alias gateway). ifupdown cannot match a NIC by MAC: names come from the kernel/udev.
 *
 * A secondary ENI's table and rules are `post-up` commands on its stanza, removed `pre-down`.
 * A rule is deleted before it is added so that ifup after an unclean ifdown does not fail or
 * leave duplicates (`ip rule add` has no replace).
 *
 * IPv6: an `iface ethN inet6 static` stanza after the inet one (the first address, `autoconf 0`
 * and `accept_ra 0`: the metadata's gateway stands in for router advertisements; `gateway` on the
 * primary ENI), further addresses as `ethN:K inet6 static` alias stanzas numbered after the IPv4
 * ones (ifupdown adds them with `preferred_lft 0`, so the first address stays the source), and
 * on a secondary ENI its IPv6 table routes and `ip -6 rule`s on the inet6 stanza.
 */
export const INTERFACES_PATH = 'etc/network/interfaces';

function stanza(lines: string[]): string {
  const [first, ...rest] = lines;
  return `${first}\n${rest.map((l) => `    ${l}\n`).join('')}`;
}

function policyLines(eni: GuestEni, family: 4 | 6): string[] {
  const p = policyOf(eni);
  const [ipCmd, routes, sources] = family === 6 ? ['ip -6', p.routes6, p.sources6] : ['ip', p.routes, p.sources];
  const lines: string[] = [];
  for (const r of routes) {
    const route = r.via
      ? `${r.to} via ${r.via} dev ${eni.ifname} table ${p.table}`
      : `${r.to} dev ${eni.ifname}${r.src ? ` src ${r.src}` : ''} table ${p.table}`;
    lines.push(`post-up ${ipCmd} route replace ${route}`);
  }
  for (const ip of sources) {
    const rule = `from ${ip} table ${p.table} priority ${p.priority}`;
    lines.push(`post-up ${ipCmd} rule del ${rule} 2>/dev/null || true`, `post-up ${ipCmd} rule add ${rule}`);
  }
  for (const ip of sources) lines.push(`pre-down ${ipCmd} rule del from ${ip} table ${p.table} priority ${p.priority} 2>/dev/null || true`);
  if (family === 4 || routes.length) lines.push(`pre-down ${ipCmd} route flush table ${p.table} 2>/dev/null || true`);
  return lines;
}

function eniStanzas(model: GuestModel, eni: GuestEni): string {
  const body = [`iface ${eni.ifname} inet static`, `address ${eni.primaryIp}`, `netmask ${eni.netmask}`];
  if (eni.primary) {
    body.push(`gateway ${eni.gateway}`);
    if (model.nameservers?.length) body.push(`dns-nameservers ${model.nameservers.join(' ')}`);
  } else {
    body.push(...policyLines(eni, 4));
    // /80 prefixes on an ENI without an IPv6 address: their rules ride on the inet stanza.
    if (eni.ipv6s.length === 0) body.push(...policyLines(eni, 6));
  }
  const out = [`# ${describeEni(eni)}\nauto ${eni.ifname}\n${stanza(body)}`];
  const [first6, ...more6] = eni.ipv6s;
  const length6 = ipv6PrefixLengthOf(eni);
  if (first6 !== undefined) {
    const body6 = [`iface ${eni.ifname} inet6 static`, `address ${first6}`, `netmask ${length6}`, 'autoconf 0', 'accept_ra 0'];
    const gw6 = primaryIpv6Gateway(eni);
    if (gw6) body6.push(`gateway ${gw6}`);
    if (!eni.primary) body6.push(...policyLines(eni, 6));
    out.push(`# IPv6 of ${eni.eniId}\n${stanza(body6)}`);
  }
  eni.secondaryIps.forEach((ip, k) => {
    const alias = `${eni.ifname}:${k}`;
    out.push(
      `# secondary private IP ${k + 1} of ${eni.eniId}\nauto ${alias}\n${stanza([`iface ${alias} inet static`, `address ${ip}`, `netmask ${eni.netmask}`])}`,
    );
  });
  more6.forEach((ip, k) => {
    const alias = `${eni.ifname}:${eni.secondaryIps.length + k}`;
    out.push(`# IPv6 address ${k + 2} of ${eni.eniId}\nauto ${alias}\n${stanza([`iface ${alias} inet6 static`, `address ${ip}`, `netmask ${length6}`])}`);
  });
  return out.join('\n');
}

export function renderIfupdown(model: GuestModel): RenderedFile[] {
  const parts = [`${header(model)}\nauto lo\niface lo inet loopback\n`, ...model.enis.map((e) => eniStanzas(model, e))];
  return [{ path: INTERFACES_PATH, content: parts.join('\n'), mode: 0o644 }, ...rpFilterDropIn(model)];
}
