import { EniErrors } from '../errors/ecs/enis.ts';
import { InstanceErrors } from '../errors/ecs/instances.ts';
import type { InstanceTypeSpec } from './instance-types.ts';
import type { Eni } from './models/eni.ts';
import { assertIpv6FitsType } from './ipv6-rules.ts';
import { assertMayHostTrunk, assertTotalQuota, assertTypeFitsRole, type JoinRole } from './trunk-rules.ts';

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

/** How many private IPs one ENI of an instance of this type may hold: the type's figure, and never more than 20. */
export function perEniIpLimit(type: InstanceTypeSpec): number {
  return Math.min(MAX_IPS_PER_ENI, type.eniPrivateIpAddressQuantity);
}

/** How many private IPs the ENI may hold in its state (and, when attached, on its instance's type). */
export function ipLimitFor(status: string, instanceType: InstanceTypeSpec | undefined): { limit: number; why: string } {
  if (status === 'Available' || !instanceType) return { limit: MAX_IPS_AVAILABLE_ENI, why: 'an unattached ENI holds at most 10' };
  const limit = perEniIpLimit(instanceType);
  return {
    limit,
    why: `instance type ${instanceType.instanceTypeId} allows ${instanceType.eniPrivateIpAddressQuantity} per ENI, and no ENI holds more than 20`,
  };
}

export function assertIpCount(total: number, status: string, instanceType: InstanceTypeSpec | undefined): void {
  const { limit, why } = ipLimitFor(status, instanceType);
  if (total > limit) throw EniErrors.ipv4CountExceeded(limit, why);
}

/**
 * An unattached ENI holds at most 50 IPv4 entries once prefixes are counted: "You can assign up
 * to 9 IP prefixes to an available ENI in the ECS console, or up to 49 by calling the
 * AssignPrivateIpAddresses operation" ("IP prefixes"), besides its primary address. Its single
 * addresses stay within MAX_IPS_AVAILABLE_ENI.
 */
export const MAX_IPV4_ENTRIES_AVAILABLE_ENI = 50;

/**
 * The per-ENI IPv4 limit with prefixes: "Each IP prefix counts as one IP address" toward the
 * instance type's per-ENI figure ("IP prefixes": an ecs.g7.large ENI, 6 addresses, takes at most
 * five prefixes beside its primary address; each secondary address takes one prefix slot), which
 * is also how Terway sizes prefix mode (IPv4PerAdapter - addresses - prefixes). Addresses alone
 * keep their own limits (assertIpCount).
 */
export function assertIpv4EntryCount(addresses: number, prefixes: number, status: string, instanceType: InstanceTypeSpec | undefined): void {
  assertIpCount(addresses, status, instanceType);
  if (prefixes === 0) return;
  const { limit, why } =
    status === 'Available' || !instanceType
      ? { limit: MAX_IPV4_ENTRIES_AVAILABLE_ENI, why: 'an unattached ENI holds at most 50 addresses and prefixes together' }
      : ipLimitFor(status, instanceType);
  if (addresses + prefixes > limit) throw EniErrors.ipv4CountExceeded(limit, `${why}; each IPv4 prefix counts as one`);
}

/** Assigning or unassigning needs an Available or InUse ENI; a primary ENI's instance must be Running or Stopped. */
export function assertCanChangeIps(eniStatus: string, eniType: string, instanceStatus: string | undefined): void {
  if (eniStatus !== 'Available' && eniStatus !== 'InUse') throw EniErrors.invalidEniState('Available or InUse', eniStatus);
  if (eniType === 'Primary' && instanceStatus !== 'Running' && instanceStatus !== 'Stopped') {
    throw EniErrors.invalidEcsState(`The instance of a primary ENI must be Running or Stopped, not ${instanceStatus ?? 'unknown'}.`);
  }
}

export type AttachLocality = 'vswitch' | 'zone';

/** Where an ENI or an instance sits. */
export interface Placement {
  vpcId: string;
  vswitchId: string;
  zoneId: string;
}

/** Just the placement of something that has one (a model carries much more). */
export function placementOf(p: Placement): Placement {
  return { vpcId: p.vpcId, vswitchId: p.vswitchId, zoneId: p.zoneId };
}

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

/** The role an ENI takes on its instance: the primary one (device 0), a secondary (or trunk) one, or a member of its trunk. */
export type { JoinRole };

/** When it joins: AttachNetworkInterface on an existing instance, or RunInstances / CreateInstance creating one. */
export type JoinMoment = 'attach' | 'launch';

/** What the rules read of the joining ENI. */
export interface JoiningEni extends Pick<Eni, 'type' | 'vpcId' | 'vswitchId' | 'zoneId' | 'queueNumber' | 'trafficMode'> {
  /** Its status; undefined for an ENI created for the instance at launch (it has none yet). */
  status: string | undefined;
  /** The private IPs it holds (a new ENI: those it is created with), each IPv4 prefix counting as one. */
  ipCount: number;
  /** Its ID, for the codes that name it; none for an ENI created at launch. */
  id?: string;
  /** The IPv6 addresses and /80 prefixes it holds (or is created with); none: 0. */
  ipv6Count?: number;
}

/** What the rules read of the instance it joins. */
export interface JoinedInstance {
  /** Its status at the request's time; undefined at launch (it does not exist yet). */
  status: string | undefined;
  vpcId: string;
  vswitchId: string;
  zoneId: string;
  type: InstanceTypeSpec;
  /** ENIs it has already that EniQuantity counts: the primary one included, trunk members not. */
  eniCount: number;
  /** Every ENI it has already, trunk members included (EniTotalQuantity); absent: eniCount (no members, as at launch). */
  totalCount?: number;
  /** Trunk ENIs it has already; absent: none. */
  trunkCount?: number;
}

export interface JoinCheck {
  eni: JoiningEni;
  instance: JoinedInstance;
  role: JoinRole;
  when: JoinMoment;
  locality: AttachLocality;
}

/**
 * Whether the instance takes secondary ENIs now: with hot-plug always, without it only while
 * Stopped; so never at launch, where RunInstances answers with its own code.
 */
export function assertSecondaryEnisNow(type: InstanceTypeSpec, instanceStatus: string | undefined, when: JoinMoment): void {
  if (type.hotPlug) return;
  if (when === 'launch') throw InstanceErrors.secondaryEniNotSupported(type.instanceTypeId);
  if (instanceStatus !== 'Stopped') {
    throw EniErrors.invalidEcsState(`Instance type ${type.instanceTypeId} does not support hot-plugging ENIs; stop the instance first.`);
  }
}

/** The type's ENI quota, the primary ENI included: `eniCount` ENIs already there, `adding` more. */
export function assertEniQuota(type: InstanceTypeSpec, eniCount: number, adding: number): void {
  if (eniCount + adding > type.eniQuantity) throw EniErrors.eniPerInstance(type.eniQuantity, type.instanceTypeId);
}

/**
 * The one rule of an ENI joining an instance, on every path: AttachNetworkInterface (`attach`,
 * as a secondary ENI) and RunInstances / CreateInstance (`launch`: an existing or new ENI as the
 * primary one, existing or new ENIs as secondary ones). In the order the checks answer:
 * - an existing ENI must be Available, of a type that fits its role (trunk-rules.ts assertTypeFitsRole:
 *   a primary ENI belongs to its instance; a secondary one may become a new instance's primary
 *   one; a trunk joins with AttachNetworkInterface only; a member is a secondary ENI);
 * - an existing instance must be Running or Stopped;
 * - a secondary, trunk or member ENI needs hot-plug (or a Stopped instance), must sit where the
 *   instance is (assertPlacement; the primary ENI decides where that is) and fit the type's ENI
 *   quotas: EniQuantity for secondary and trunk ENIs (a trunk only where EniTrunkSupported, one
 *   per instance), EniTotalQuantity for all of them, members included (the trunk itself is
 *   checked by the caller: trunk-rules.ts assertTrunkOf);
 * - its addresses within the type's per-ENI limit (perEniIpLimit), its IPv6 ones within the type's (assertIpv6FitsType);
 * - its queues and traffic mode within what the type offers (assertTrafficFitsType).
 */
export function assertMayJoin({ eni, instance, role, when, locality }: JoinCheck): void {
  if (eni.status !== undefined && eni.status !== 'Available') throw EniErrors.invalidEniState('Available', eni.status);
  if (eni.status !== undefined) assertTypeFitsRole(eni.type, role, when);
  if (when === 'attach' && instance.status !== 'Running' && instance.status !== 'Stopped') {
    throw EniErrors.invalidEcsState(`The instance must be Running or Stopped, not ${instance.status}.`);
  }
  if (role !== 'primary') {
    assertSecondaryEnisNow(instance.type, instance.status, when);
    assertPlacement(eni, instance, locality);
    if (role === 'secondary') {
      if (eni.type === 'Trunk') assertMayHostTrunk(instance.type, instance.trunkCount ?? 0);
      assertEniQuota(instance.type, instance.eniCount, 1);
    }
    assertTotalQuota(instance.type, instance.totalCount ?? instance.eniCount, 1);
  }
  const perEni = perEniIpLimit(instance.type);
  if (eni.ipCount > perEni) throw EniErrors.ipv4CountExceeded(perEni, `instance type ${instance.type.instanceTypeId} allows ${perEni} per ENI`);
  assertIpv6FitsType(eni.id ?? '', eni.ipv6Count ?? 0, instance.type, when);
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
