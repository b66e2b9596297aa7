import { createHash } from 'node:crypto';
import { snatMap, type DesiredNat } from './desired-internet.ts';

/**
 * 1:1 NAT of public addresses (EIPs, instances' public IPs) in a VPC's router namespace: a pure
 * compiler from the desired VPC to one nftables table, `ip eniplane_nat`, replaced atomically by
 * `nft -f` and applied when its digest differs (eip-nat-filter.ts), as the security groups are.
 *
 * - prerouting (dstnat): a packet arriving from the internet link to a public address gets the
 *   private address as destination. Its source stays the internet client's: the ENI sees who
 *   connects, and its security group's ingress rules (table inet eniplane, forward hook, after
 *   dstnat) judge the translated packet by that source and the private address's port.
 * - postrouting (srcnat): a packet leaving by the internet link from a private address with a
 *   public one gets that as source. Replies of either direction are translated back by conntrack.
 * - forward (filter): nothing reaches the internet from a private address without a public one
 *   (dropped, as on the cloud, where such an ENI has no path out); from the internet only
 *   translated connections enter (not a packet to a private address); and nothing goes back out
 *   the link it came in by (a public address whose translation is not in place yet).
 */

export const NAT_TABLE = 'eniplane_nat';

export interface NatVpcInput {
  /** The router end of the internet link (names.ts internetRouterLink). */
  internetLink: string;
  nat: readonly DesiredNat[];
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const LINK = /^[a-z0-9]{1,15}$/;

function checked(address: string): string {
  if (!IPV4.test(address)) throw new Error(`not an IPv4 address: "${address}"`);
  return address;
}

export function compileEipNat(input: NatVpcInput): string {
  if (!LINK.test(input.internetLink)) throw new Error(`bad internet link name "${input.internetLink}"`);
  const link = `"${input.internetLink}"`;
  const dnat = new Map<string, string>();
  for (const n of input.nat) {
    if (dnat.has(checked(n.publicIp))) throw new Error(`public address ${n.publicIp} translated twice`);
    dnat.set(n.publicIp, checked(n.privateIp));
  }
  const snat = snatMap(input.nat);
  const map = (m: Map<string, string>) => `{ ${[...m].map(([k, v]) => `${k} : ${v}`).join(', ')} }`;

  const out: string[] = [`table ip ${NAT_TABLE}`, `delete table ip ${NAT_TABLE}`, `table ip ${NAT_TABLE} {`];
  out.push('\tchain prerouting {', '\t\ttype nat hook prerouting priority dstnat; policy accept;');
  if (dnat.size) out.push(`\t\tiifname ${link} dnat to ip daddr map ${map(dnat)}`);
  out.push('\t}');
  out.push('\tchain postrouting {', '\t\ttype nat hook postrouting priority srcnat; policy accept;');
  if (snat.size) out.push(`\t\toifname ${link} snat to ip saddr map ${map(snat)}`);
  out.push('\t}');
  out.push('\tchain forward {', '\t\ttype filter hook forward priority filter - 10; policy accept;');
  out.push(`\t\tiifname ${link} oifname ${link} drop`);
  out.push(`\t\tiifname ${link} ct direction original ct status & dnat == 0 drop`);
  const sources = [...snat.keys()];
  out.push(`\t\toifname ${link} ct direction original ${sources.length ? `ip saddr != { ${sources.join(', ')} } ` : ''}drop`);
  out.push('\t}', '}');
  // As the security group table: the table carries the digest of its own definition, so a
  // restarted reconciler reads it back instead of applying an unchanged table again.
  const digest = createHash('sha256').update(out.join('\n')).digest('hex');
  out.splice(3, 0, `\tcomment "${DIGEST_PREFIX}${digest}"`);
  return `${out.join('\n')}\n`;
}

const DIGEST_PREFIX = 'eniplane-nat sha256:';
const DIGEST_LINE = /^\s*comment "eniplane-nat sha256:([0-9a-f]{64})"\s*$/m;

/** The digest a compiled NAT table, or `nft list table ip eniplane_nat`'s output, carries; undefined if none. */
export function eipNatDigest(text: string): string | undefined {
  return DIGEST_LINE.exec(text)?.[1];
}
