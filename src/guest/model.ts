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
