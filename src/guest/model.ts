/**
 * What the guest side knows about one instance's network, read from the metadata service
 * and nothing else (a guest has no API keys). Renderers (model -> files) and the applier
 * (model -> iproute2 commands) both consume this one shape, so they agree on names,
 * tables and rules.
 */

export interface GuestEni {
  /** Lower-case colon MAC, as under meta-data/network/interfaces/macs/. */
  mac: string;
  eniId: string;
  /** True for the ENI whose MAC is the top-level meta-data/mac. */
  primary: boolean;
  /**
   * Stable attachment index: 0 for the primary ENI, then the lowest unused number for each
   * new MAC, remembered across runs (see index-state.ts). ECS metadata has no device number,
   * and deriving it from list order would renumber tables on hot-plug (os-config.md §6.6).
   */
  index: number;
  /** Interface name the guest gives it: eth<index>. */
  ifname: string;
  primaryIp: string;
  /** Secondary private IPv4s, in the order metadata lists them, primary excluded. */
  secondaryIps: string[];
  netmask: string;
  prefixLength: number;
  gateway: string;
  vswitchId: string;
  vswitchCidr: string;
  vpcId: string;
  vpcCidr: string;
  /** `ipv6s`: the ENI's IPv6 addresses in metadata order, RFC 5952 form; empty when it has none (HTTP 404). */
  ipv6s: string[];
  /** `ipv6-gateway`: absent when the vSwitch has no IPv6 CIDR block. */
  ipv6Gateway?: string;
  /** `vswitch-ipv6-cidr-block` (a /64); absent when the vSwitch has no IPv6 CIDR block. */
  vswitchIpv6Cidr?: string;
  /** `vpc-ipv6-cidr-blocks`; empty when the VPC has none. */
  vpcIpv6Cidrs: string[];
  /**
   * `ipv4-prefixes` (/28s) and `ipv6-prefixes` (/80s) delegated to the ENI. Never interface
   * addresses (Terway hands their addresses to pods); a secondary ENI gets a `from <prefix>` rule
   * for each, as amazon-ec2-net-utils does for delegated prefixes (os-config.md §2).
   */
  ipv4Prefixes: string[];
  ipv6Prefixes: string[];
}

export interface GuestModel {
  instanceId: string;
  regionId: string;
  zoneId: string;
  /** ENIs ordered by index; the primary first. */
  enis: GuestEni[];
  /** meta-data/image-id, when the metadata service gives one: picks the distro when none is named. */
  imageId?: string;
  /** meta-data/dns-conf/nameservers, in order; rendered on the primary ENI with static addressing. */
  nameservers?: string[];
}

/**
 * Prefix length of the ENI's IPv6 addresses: the vSwitch's (/64), as cloud-init gives EC2's
 * secondary IPv6 addresses the subnet's; /128 when the vSwitch CIDR is unknown (cloud-init's
 * fallback), so that no on-link route is guessed.
 */
export function ipv6PrefixLengthOf(eni: Pick<GuestEni, 'vswitchIpv6Cidr'>): number {
  return eni.vswitchIpv6Cidr ? Number(eni.vswitchIpv6Cidr.split('/')[1]) : 128;
}

/** Policy-routing table of a secondary ENI: 1000 + index, as Alibaba's docs do (eth1 -> 1001). */
export function routeTableOf(eni: Pick<GuestEni, 'index'>): number {
  return 1000 + eni.index;
}

/**
 * Priority of the `ip rule from <address>` rules of a secondary ENI: the table number, as
 * amazon-ec2-net-utils does. Explicit (not kernel-assigned) so every format and the applier
 * produce the same rule list, and below main's 32766 so the rules are consulted first.
 */
export function rulePriorityOf(eni: Pick<GuestEni, 'index'>): number {
  return routeTableOf(eni);
}
