/** A vSwitch as the store keeps it, with its address counters. */
export interface VSwitch {
  id: string;
  accountId: string;
  regionId: string;
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  name: string;
  description: string;
  /** With nextStatus and transitionAt, the asynchronous state domain/async-state.ts resolves at a request's time. */
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
  isDefault: boolean;
  /** Usable addresses: the CIDR's size minus the reserved ones. */
  ipCapacity: number;
  /** Addresses held by ENIs, those of ENIs whose deletion is done but not yet purged included. */
  ipUsed: number;
  createdAt: number;
  /** The vSwitch's IPv6 /64, '' while IPv6 is off. */
  ipv6CidrBlock: string;
}
