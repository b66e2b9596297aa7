/**
 * An elastic network interface as every layer above the store sees it (store/repos/enis.ts maps
 * its rows). Times are epoch milliseconds; the asynchronous state is (status, nextStatus,
 * transitionAt), resolved at a request's time by domain/async-state.ts.
 */
export interface Eni {
  id: string;
  accountId: string;
  regionId: string;
  zoneId: string;
  vpcId: string;
  vswitchId: string;
  /**
   * Primary | Secondary | Trunk, as stored. A member ENI stays Secondary here and shows as
   * `Member` while attached to a trunk (domain/trunk-rules.ts shownEniType).
   */
  type: string;
  name: string;
  description: string;
  macAddress: string;
  primaryIp: string;
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
  /** The instance while Attaching, InUse or Detaching. */
  instanceId: string | null;
  deviceIndex: number | null;
  deleteOnRelease: boolean;
  resourceGroupId: string;
  createdAt: number;
  /** The cloud drops packets whose source or destination is not the ENI's. */
  sourceDestCheck: boolean;
  /** Queues asked for (QueueNumber); null: never set, the instance type's default shows while attached. */
  queueNumber: number | null;
  /** Standard | HighPerformance (eRDMA). */
  trafficMode: string;
  /** The trunk ENI it is a member of while attached to one (then `instanceId` is the trunk's instance). */
  trunkEniId: string | null;
}

/** What may change on an ENI after it is created (its identity and owner never do). */
export type EniChanges = Partial<Omit<Eni, 'id' | 'accountId'>>;

/** One private IPv4 address of an ENI. */
export interface PrivateIp {
  address: string;
  addressInt: number;
  isPrimary: boolean;
}

/** An EIP bound to one of an ENI's addresses, as DescribeNetworkInterfaces / DescribeInstances show it. */
export interface EipBinding {
  allocationId: string;
  publicIp: string;
  privateIp: string;
  /** How it was associated: EcsInstance (with the instance) or NetworkInterface (with the ENI). */
  associatedType: string;
  /** Mbit/s, and the EIP's metering (PayByBandwidth | PayByTraffic), for DescribeInstances' EipAddress. */
  bandwidth: number;
  internetChargeType: string;
}
