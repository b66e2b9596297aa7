import type { ModelAsyncState } from '../async-state.ts';

/** A VPC as the store keeps it. Its system route table (and vRouter) live on it: one per VPC. */
export interface Vpc extends ModelAsyncState {
  id: string;
  accountId: string;
  regionId: string;
  cidrBlock: string;
  name: string;
  description: string;
  isDefault: boolean;
  vrouterId: string;
  routeTableId: string;
  resourceGroupId: string;
  createdAt: number;
}
