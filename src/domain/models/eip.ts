/** An elastic IP address as every layer above the store sees it (store/repos/eips.ts maps its rows). */
export interface Eip {
  id: string;
  accountId: string;
  regionId: string;
  ipAddress: string;
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
  name: string;
  description: string;
  /** Mbit/s. */
  bandwidth: number;
  internetChargeType: string;
  instanceChargeType: string;
  isp: string;
  /** What it is bound to (an instance or an ENI) while Associating, InUse or Unassociating. */
  instanceId: string | null;
  /** EcsInstance | NetworkInterface. */
  instanceType: string | null;
  privateIp: string | null;
  mode: string | null;
  vpcId: string | null;
  createdAt: number;
  resourceGroupId: string;
}

/** What may change on an EIP after it is allocated. */
export type EipChanges = Partial<Omit<Eip, 'id' | 'accountId'>>;
