import type { GuestEni, GuestModel } from '../model.ts';
import { describeEni, header, ipv6Addresses, policyOf, primaryIpv6Gateway, rpFilterDropIn, type RenderedFile } from './common.ts';

/**
 * Ubuntu 18.04+ and Debian 12: one netplan file, each ENI matched by MAC with `set-name`
 * (seed example), static addresses from the metadata, a secondary ENI's routes in its own
 * `table` and its `routing-policy` rules (the shape cloud-init uses on EC2).
 *
 * Written by hand, not by a YAML library: every value is an address, a number or a name, and
 * MACs are quoted (an all-digit MAC is a base-60 integer to YAML 1.1 readers). `0.0.0.0/0`
 * rather than `default`: netplan before 0.103 (Ubuntu 18.04/20.04 at release) lacks `default`.
 * Mode 0600: netplan 0.106 warns about readable files (os-config.md §6.10).
 *
 * IPv6 (an ENI with `ipv6s`): its addresses after the IPv4 ones, `accept-ra: false` (the
 * metadata's gateway replaces what router advertisements would add, in main, on every ENI),
 * `::/0` via `ipv6-gateway` in main for the primary ENI, in the table for a secondary one, with
 * the /64 on-link and `routing-policy` entries for the IPv6 addresses and prefixes.
 */
export const NETPLAN_PATH = 'etc/netplan/90-eniplane.yaml';

function ethernet(model: GuestModel, eni: GuestEni): string[] {
  const out = [
    `    # ${describeEni(eni)}`,
    `    ${eni.ifname}:`,
    `      match:`,
    `        macaddress: "${eni.mac}"`,
    `      set-name: ${eni.ifname}`,
    `      dhcp4: false`,
    `      dhcp6: false`,
  ];
  if (eni.ipv6s.length) out.push(`      accept-ra: false`);
  out.push(
    `      addresses:`,
    ...[eni.primaryIp, ...eni.secondaryIps].map((ip) => `        - ${ip}/${eni.prefixLength}`),
    ...ipv6Addresses(eni).map((a) => `        - ${a}`),
  );
  if (eni.primary) {
    out.push(`      routes:`, `        - to: 0.0.0.0/0`, `          via: ${eni.gateway}`);
    const gw6 = primaryIpv6Gateway(eni);
    if (gw6) out.push(`        - to: ::/0`, `          via: ${gw6}`);
    if (model.nameservers?.length) out.push(`      nameservers:`, `        addresses: [${model.nameservers.join(', ')}]`);
    return out;
  }
  const p = policyOf(eni);
  out.push(`      routes:`);
  for (const r of p.routes) {
    if (r.via) out.push(`        - to: 0.0.0.0/0`, `          via: ${r.via}`, `          table: ${p.table}`);
    else out.push(`        - to: ${r.to}`, `          scope: link`, `          from: ${r.src}`, `          table: ${p.table}`);
  }
  for (const r of p.routes6) {
    if (r.via) out.push(`        - to: ::/0`, `          via: ${r.via}`, `          table: ${p.table}`);
    else out.push(`        - to: ${r.to}`, `          table: ${p.table}`);
  }
  out.push(`      routing-policy:`);
  for (const ip of [...p.sources, ...p.sources6]) out.push(`        - from: ${ip}`, `          table: ${p.table}`, `          priority: ${p.priority}`);
  return out;
}

export function renderNetplan(model: GuestModel): RenderedFile[] {
  const lines = ['network:', '  version: 2', '  ethernets:', ...model.enis.flatMap((e) => ethernet(model, e))];
  return [{ path: NETPLAN_PATH, content: `${header(model)}${lines.join('\n')}\n`, mode: 0o600 }, ...rpFilterDropIn(model)];
}
