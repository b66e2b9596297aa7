import { EniErrors } from '../errors/ecs/enis.ts';
import type { InstanceTypeSpec } from './instance-types.ts';

/**
 * The ENI rules of "Create and use an ENI" and "Assign a secondary private IP address", as pure
 * functions (design.md: settled limits).
 */

/** Any ENI holds at most 20 private IPs (the seed document). */
export const MAX_IPS_PER_ENI = 20;
/** An ENI that is not attached holds at most 10. */
export const MAX_IPS_AVAILABLE_ENI = 10;
/** An advanced (enterprise) security group holds at most 65,536 (limits-and-rules.md §4). */
export const MAX_IPS_PER_ENTERPRISE_SECURITY_GROUP = 65536;

/**
 * How many private IPs a security group's members may hold together, by group type: a basic
 * group's quota is `basicLimit` (max-private-ips-per-security-group, 2,000 by default: the seed
 * document); an advanced group's is fixed.
 */
export function securityGroupIpCapacity(groupType: string, basicLimit: number): number {
  return groupType === 'enterprise' ? MAX_IPS_PER_ENTERPRISE_SECURITY_GROUP : basicLimit;
}

export type EniStatus = 'Available' | 'Attaching' | 'InUse' | 'Detaching' | 'Deleting';
export type InstanceStatus = 'Pending' | 'Starting' | 'Running' | 'Stopping' | 'Stopped';

/** How many private IPs the ENI may hold in its state (and, when attached, on its instance's type). */
export function ipLimitFor(status: string, instanceType: InstanceTypeSpec | undefined): { limit: number; why: string } {
  if (status === 'Available' || !instanceType) return { limit: MAX_IPS_AVAILABLE_ENI, why: 'an unattached ENI holds at most 10' };
  const limit = Math.min(MAX_IPS_PER_ENI, instanceType.eniPrivateIpAddressQuantity);
  return {
    limit,
    why: `instance type ${instanceType.instanceTypeId} allows ${instanceType.eniPrivateIpAddressQuantity} per ENI, and no ENI holds more than 20`,
  };
}

export function assertIpCount(total: number, status: string, instanceType: InstanceTypeSpec | undefined): void {
  const { limit, why } = ipLimitFor(status, instanceType);
  if (total > limit) throw EniErrors.ipv4CountExceeded(limit, why);
}

/** Assigning or unassigning needs an Available or InUse ENI; a primary ENI's instance must be Running or Stopped. */
export function assertCanChangeIps(eniStatus: string, eniType: string, instanceStatus: string | undefined): void {
  if (eniStatus !== 'Available' && eniStatus !== 'InUse') throw EniErrors.invalidEniState('Available or InUse', eniStatus);
  if (eniType === 'Primary' && instanceStatus !== 'Running' && instanceStatus !== 'Stopped') {
    throw EniErrors.invalidEcsState(`The instance of a primary ENI must be Running or Stopped, not ${instanceStatus ?? 'unknown'}.`);
  }
}

export type AttachLocality = 'vswitch' | 'zone';

export interface AttachCheck {
  eni: { status: string; type: string; vpcId: string; vswitchId: string; zoneId: string; ipCount: number; queueNumber: number | null; trafficMode: string };
  instance: { status: string; vpcId: string; vswitchId: string; zoneId: string; type: InstanceTypeSpec; eniCount: number };
  locality: AttachLocality;
}

type Placement = { vpcId: string; vswitchId: string; zoneId: string };

/**
 * Where a secondary ENI may join an instance (attached later or at creation): the same VPC and
 * zone, what the API accepts and Terway relies on (it attaches pod ENIs of other vSwitches of the
 * node's zone); `locality: 'vswitch'` (serve --attach-locality vswitch) keeps the seed document's
 * stricter rule, the same vSwitch, with its own code naming both vSwitches.
 */
export function assertPlacement(eni: Placement, instance: Placement, locality: AttachLocality): void {
  if (eni.vpcId !== instance.vpcId) throw EniErrors.vpcMismatch(`the ENI is in ${eni.vpcId}, the instance in ${instance.vpcId}`);
  if (eni.zoneId !== instance.zoneId) throw EniErrors.zoneMismatch(`the ENI is in ${eni.zoneId}, the instance in ${instance.zoneId}`);
  // DIVERGENCE: the cloud has no same-vSwitch rule; it is the seed document's, behind a switch.
  if (locality === 'vswitch' && eni.vswitchId !== instance.vswitchId) throw EniErrors.vswitchMismatch(eni.vswitchId, instance.vswitchId);
}

/** QueueNumber takes 1 to 2048 (CreateNetworkInterface, ModifyNetworkInterfaceAttribute). */
export const MAX_ENI_QUEUE_NUMBER = 2048;

export function checkQueueNumber(n: number | undefined): void {
  if (n !== undefined && (n < 1 || n > MAX_ENI_QUEUE_NUMBER)) throw EniErrors.queueNumberInvalid(n);
}

export type TrafficMode = 'Standard' | 'HighPerformance';

/**
 * What an ENI's traffic settings ask of the instance type it joins (attach, RunInstances): no
 * more queues than the type's MaximumQueueNumberPerEni, and HighPerformance (an elastic RDMA
 * interface) only on a type with EriQuantity above 0 ("Elastic RDMA interfaces": "A value of 0
 * indicates that you cannot bind an ERI to an ECS instance of the instance type").
 */
export function assertTrafficFitsType(eni: { queueNumber: number | null; trafficMode: string }, type: InstanceTypeSpec): void {
  if (eni.queueNumber !== null && eni.queueNumber > type.maximumQueueNumberPerEni) {
    throw EniErrors.queueNumberExceeded(eni.queueNumber, type.maximumQueueNumberPerEni, type.instanceTypeId);
  }
  if (eni.trafficMode === 'HighPerformance' && !(type.eriQuantity ?? 0)) throw EniErrors.trafficModeNotSupported(type.instanceTypeId);
}

/**
 * ModifyNetworkInterfaceAttribute QueueNumber: a secondary ENI only, Available or InUse on a
 * Stopped instance, within the instance type's MaximumQueueNumberPerEni when attached
 * (ModifyNetworkInterfaceAttribute, QueueNumber).
 */
export function assertCanChangeQueues(
  eni: { status: string; type: string },
  instance: { status: string; type: InstanceTypeSpec } | undefined,
  queueNumber: number,
): void {
  if (eni.type === 'Primary') throw EniErrors.eniTypeNotAllowed('Only the queue number of a secondary ENI can be changed.');
  if (eni.status === 'InUse' && instance) {
    if (instance.status !== 'Stopped')
      throw EniErrors.invalidEcsState(`The queue number of an attached ENI changes only while its instance is Stopped, not ${instance.status}.`);
    assertTrafficFitsType({ queueNumber, trafficMode: 'Standard' }, instance.type);
  } else if (eni.status !== 'Available') {
    throw EniErrors.invalidEniState('Available, or InUse on a Stopped instance', eni.status);
  }
}

/**
 * AttachNetworkInterface: an Available secondary ENI; a Running or Stopped instance (Stopped for
 * types without hot-plug); same VPC and zone (and vSwitch with `locality: 'vswitch'`); the
 * type's ENI quota, primary included; the ENI's addresses within the type's per-ENI limit; its
 * queues and traffic mode within what the type offers.
 */
export function assertCanAttach({ eni, instance, locality }: AttachCheck): void {
  if (eni.status !== 'Available') throw EniErrors.invalidEniState('Available', eni.status);
  if (eni.type !== 'Secondary') throw EniErrors.eniTypeNotAllowed('Only a secondary ENI can be attached to an existing instance.');
  if (instance.status !== 'Running' && instance.status !== 'Stopped') {
    throw EniErrors.invalidEcsState(`The instance must be Running or Stopped, not ${instance.status}.`);
  }
  if (!instance.type.hotPlug && instance.status !== 'Stopped') {
    throw EniErrors.invalidEcsState(`Instance type ${instance.type.instanceTypeId} does not support hot-plugging ENIs; stop the instance first.`);
  }
  assertPlacement(eni, instance, locality);
  if (instance.eniCount >= instance.type.eniQuantity) throw EniErrors.eniPerInstance(instance.type.eniQuantity, instance.type.instanceTypeId);
  const perEni = Math.min(MAX_IPS_PER_ENI, instance.type.eniPrivateIpAddressQuantity);
  if (eni.ipCount > perEni) throw EniErrors.ipv4CountExceeded(perEni, `instance type ${instance.type.instanceTypeId} allows ${perEni} per ENI`);
  assertTrafficFitsType(eni, instance.type);
}

/**
 * DetachNetworkInterface: an InUse secondary ENI of that instance, Running or Stopped (Stopped
 * without hot-plug). A Detaching ENI may be detached again (the cloud's advice when a detach is
 * stuck): the answer is `'again'` and nothing changes.
 */
export function assertCanDetach(eni: { status: string; type: string }, instance: { status: string; type: InstanceTypeSpec }): 'detach' | 'again' {
  if (eni.type === 'Primary') throw EniErrors.detachPrimary();
  if (eni.status !== 'InUse' && eni.status !== 'Detaching') throw EniErrors.invalidEniState('InUse', eni.status);
  if (instance.status !== 'Running' && instance.status !== 'Stopped') {
    throw EniErrors.invalidEcsState(`The instance must be Running or Stopped, not ${instance.status}.`);
  }
  if (!instance.type.hotPlug && instance.status !== 'Stopped') {
    throw EniErrors.invalidEcsState(`Instance type ${instance.type.instanceTypeId} does not support hot-plugging ENIs; stop the instance first.`);
  }
  return eni.status === 'Detaching' ? 'again' : 'detach';
}

/** The lowest device index not taken (the primary ENI has 0). */
export function nextDeviceIndex(taken: readonly number[]): number {
  const used = new Set(taken);
  let i = 1;
  while (used.has(i)) i++;
  return i;
}
