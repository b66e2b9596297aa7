import type { GuestEni, GuestModel } from '../model.ts';
import { describeEni, header, policyOf, rpFilterDropIn, type RenderedFile } from './common.ts';

/**
 * Debian and Ubuntu 14/16: the whole /etc/network/interfaces, as the seed's procedure edits it
 * ("the primary ENI and secondary ENI configurations are in the same file"), with `ethN:K`
 * alias stanzas for secondary IPs (seed "Assign a secondary private IP address", without its
 * per-alias gateway). ifupdown cannot match a NIC by MAC: names come from the kernel/udev.
 *
 * A secondary ENI's table and rules are `post-up` commands on its stanza, removed `pre-down`.
 * A rule is deleted before it is added so that ifup after an unclean ifdown does not fail or
 * leave duplicates (`ip rule add` has no replace).
 */
export const INTERFACES_PATH = 'etc/network/interfaces';

function stanza(lines: string[]): string {
  const [first, ...rest] = lines;
  return `${first}\n${rest.map((l) => `    ${l}\n`).join('')}`;
}

function eniStanzas(model: GuestModel, eni: GuestEni): string {
  const body = [`iface ${eni.ifname} inet static`, `address ${eni.primaryIp}`, `netmask ${eni.netmask}`];
  if (eni.primary) {
    body.push(`gateway ${eni.gateway}`);
    if (model.nameservers?.length) body.push(`dns-nameservers ${model.nameservers.join(' ')}`);
  } else {
    const p = policyOf(eni);
    for (const r of p.routes) {
      const route = r.via ? `${r.to} via ${r.via} dev ${eni.ifname} table ${p.table}` : `${r.to} dev ${eni.ifname} src ${r.src} table ${p.table}`;
      body.push(`post-up ip route replace ${route}`);
    }
    for (const ip of p.sources) {
      const rule = `from ${ip} table ${p.table} priority ${p.priority}`;
      body.push(`post-up ip rule del ${rule} 2>/dev/null || true`, `post-up ip rule add ${rule}`);
    }
    for (const ip of p.sources) body.push(`pre-down ip rule del from ${ip} table ${p.table} priority ${p.priority} 2>/dev/null || true`);
    body.push(`pre-down ip route flush table ${p.table} 2>/dev/null || true`);
  }
  const out = [`# ${describeEni(eni)}\nauto ${eni.ifname}\n${stanza(body)}`];
  eni.secondaryIps.forEach((ip, k) => {
    const alias = `${eni.ifname}:${k}`;
    out.push(
      `# secondary private IP ${k + 1} of ${eni.eniId}\nauto ${alias}\n${stanza([`iface ${alias} inet static`, `address ${ip}`, `netmask ${eni.netmask}`])}`,
    );
  });
  return out.join('\n');
}

export function renderIfupdown(model: GuestModel): RenderedFile[] {
  const parts = [`${header(model)}\nauto lo\niface lo inet loopback\n`, ...model.enis.map((e) => eniStanzas(model, e))];
  return [{ path: INTERFACES_PATH, content: parts.join('\n'), mode: 0o644 }, ...rpFilterDropIn(model)];
}
