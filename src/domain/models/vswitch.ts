import type { ModelAsyncState } from '../async-state.ts';

/** A vSwitch as the store keeps it, with its address counters. */
export interface VSwitch extends ModelAsyncState {
  id: string;
  accountId: string;
  regionId: string;
  vpcId: string;
  zoneId: string;
  cidrBlock: string;
  name: string;
  description: string;
  isDefault: boolean;
  /** Usable addresses: the CIDR's size minus the reserved ones. */
  ipCapacity: number;
  /** Addresses held by ENIs, those of ENIs whose deletion is done but not yet purged included. */
  ipUsed: number;
  createdAt: number;
}
