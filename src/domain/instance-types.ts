import { instanceTypeCatalog } from '../catalog/index.ts';

export interface InstanceTypeSpec {
  instanceTypeId: string;
  family: string;
  category: string;
  familyLevel: string;
  generation: string;
  cpuCoreCount: number;
  memorySize: number;
  cpuArchitecture: string;
  /** ENIs per instance, the primary included (API EniQuantity). */
  eniQuantity: number;
  /** Private IPv4 addresses per ENI, its primary included (API EniPrivateIpAddressQuantity). */
  eniPrivateIpAddressQuantity: number;
  eniIpv6AddressQuantity: number;
  /** false: secondary ENIs attach and detach only while the instance is Stopped. */
  hotPlug: boolean;
  primaryEniQueueNumber: number;
  secondaryEniQueueNumber: number;
  maximumQueueNumberPerEni: number;
  /**
   * Every ENI an instance may hold, trunk members included: primary + secondary + trunk + members
   * (API EniTotalQuantity; Terway's limit.go: members = EniTotalQuantity - EniQuantity).
   */
  eniTotalQuantity: number;
  /** Whether a trunk ENI may be attached (API EniTrunkSupported). */
  eniTrunkSupported: boolean;
  /** Elastic RDMA interfaces (API EriQuantity): 0 or absent, no ENI in HighPerformance traffic mode may join. */
  eriQuantity?: number;
  source: string;
}

/** The instance-type catalog is data (src/catalog/instance-types.json). */
export const instanceTypes: readonly InstanceTypeSpec[] = instanceTypeCatalog;

const byId = new Map(instanceTypes.map((t) => [t.instanceTypeId, t]));

export function findInstanceType(id: string): InstanceTypeSpec | undefined {
  return byId.get(id);
}

export function instanceTypeFamilies(): string[] {
  return [...new Set(instanceTypes.map((t) => t.family))];
}
