import { EniErrors } from '../errors/ecs/enis.ts';
import type { InstanceTypeSpec } from './instance-types.ts';
import type { Eni } from './models/eni.ts';

/**
 * Trunk and member ENIs, as pure rules. A trunk ENI (CreateNetworkInterface InstanceType=Trunk)
 * attaches to an instance like a secondary ENI; secondary ENIs then attach to the trunk as its
 * members (AttachNetworkInterface TrunkNetworkInstanceId): VLAN sub-interfaces of the trunk,
 * not NICs of the instance. What the cloud documents and Terway relies on:
 * - a type takes a trunk only with EniTrunkSupported; EniQuantity counts primary, secondary and
 *   trunk ENIs, EniTotalQuantity every ENI, members included (Terway pkg/aliyun/client/limit.go:
 *   members = EniTotalQuantity - EniQuantity, at most EniTotalQuantity - 2 "exclude eth0 eth1");
 * - while attached a member shows Type `Member`, the trunk's instance as InstanceId, and
 *   Attachment.TrunkNetworkInterfaceId; Terway lists them with Type=Member Status=InUse
 *   (pkg/controller/pod-eni/eni_controller.go gcMemberENI);
 * - a member's Attachment.DeviceIndex is its VLAN ID on the trunk: Terway copies it to the pod's
 *   `Vid` (pkg/controller/eni/eni.go) and tags the pod's traffic with it (plugin/driver/vlan);
 * - DetachNetworkInterface of an ENI "linked to another ENI" answers InvalidOperation.EniLinked
 *   (ecs-eni-api.md §2.7).
 */

/** The type an ENI shows: a secondary ENI attached to a trunk is a Member until it is detached. */
export function shownEniType(eni: Pick<Eni, 'type' | 'trunkEniId'>): string {
  return eni.trunkEniId !== null ? 'Member' : eni.type;
}

/** How an instance's attached ENIs count against its type's quotas. */
export interface InstanceEniCounts {
  /** Primary, secondary and trunk ENIs: what EniQuantity bounds. */
  eniCount: number;
  /** Every ENI, members included: what EniTotalQuantity bounds. */
  totalCount: number;
  /** Trunk ENIs (at most one). */
  trunkCount: number;
}

export function instanceEniCounts(attached: readonly Pick<Eni, 'type' | 'trunkEniId'>[]): InstanceEniCounts {
  const members = attached.filter((e) => e.trunkEniId !== null).length;
  return {
    eniCount: attached.length - members,
    totalCount: attached.length,
    trunkCount: attached.filter((e) => e.type === 'Trunk').length,
  };
}

/** The role an existing ENI takes when it joins an instance (see eni-rules.ts assertMayJoin). */
export type JoinRole = 'primary' | 'secondary' | 'member';

/**
 * Which existing ENIs may take a role: a secondary one may become a new instance's primary ENI,
 * a trunk may not (chosen: a trunk is no NIC the instance boots with); AttachNetworkInterface
 * takes a secondary or a trunk ENI; RunInstances' NetworkInterface.N only secondary ones
 * (chosen: a trunk joins with AttachNetworkInterface, as Terway attaches it); a member must be a
 * secondary ENI.
 */
export function assertTypeFitsRole(eniType: string, role: JoinRole, when: 'attach' | 'launch'): void {
  if (role === 'primary') {
    if (eniType === 'Trunk') throw EniErrors.eniTypeNotAllowed('A trunk ENI cannot be the primary ENI of an instance.');
    return;
  }
  if (role === 'member') {
    if (eniType !== 'Secondary') throw EniErrors.eniTypeNotAllowed('Only a secondary ENI can be attached to a trunk ENI as its member.');
    return;
  }
  if (eniType === 'Secondary' || (eniType === 'Trunk' && when === 'attach')) return;
  throw EniErrors.eniTypeNotAllowed(
    when === 'attach' ? 'Only a secondary or trunk ENI can be attached to an existing instance.' : 'Only a secondary ENI can be attached as one.',
  );
}

/**
 * A trunk ENI joining an instance: only on a type with EniTrunkSupported, and one trunk per
 * instance (chosen: the cloud documents one trunk per instance nowhere, but every client uses
 * one, and Terway's node records a single trunk ID).
 */
export function assertMayHostTrunk(type: InstanceTypeSpec, trunkCount: number): void {
  if (!type.eniTrunkSupported) {
    throw EniErrors.eniTypeNotAllowed(`Instance type ${type.instanceTypeId} does not support trunk ENIs (EniTrunkSupported is false).`);
  }
  if (trunkCount >= 1) throw EniErrors.eniTypeNotAllowed('The instance already has a trunk ENI; an instance holds at most one.');
}

/** EniTotalQuantity: every ENI of the instance, members included, `adding` more. */
export function assertTotalQuota(type: InstanceTypeSpec, totalCount: number, adding: number): void {
  if (totalCount + adding > type.eniTotalQuantity) throw EniErrors.eniTotalPerInstance(type.eniTotalQuantity, type.instanceTypeId);
}

/** What the rules read of the trunk a member is to join (TrunkNetworkInstanceId). */
export interface TrunkSeen {
  id: string;
  type: string;
  /** Its status at the request's time. */
  status: string;
  instanceId: string | null;
}

/**
 * TrunkNetworkInstanceId must name a trunk ENI InUse on the instance the member attaches to
 * (chosen codes: the cloud's for a wrong ENI type, and its state code naming the instance).
 */
export function assertTrunkOf(trunk: TrunkSeen, instanceId: string): void {
  if (trunk.type !== 'Trunk') throw EniErrors.eniTypeNotAllowed(`TrunkNetworkInstanceId "${trunk.id}" is not a trunk ENI.`);
  if (trunk.instanceId !== instanceId) {
    throw EniErrors.invalidEniState(`InUse on instance ${instanceId}`, trunk.instanceId ? `attached to ${trunk.instanceId}` : trunk.status);
  }
  if (trunk.status !== 'InUse') throw EniErrors.invalidEniState('InUse', trunk.status);
}

/** The highest VLAN ID (IEEE 802.1Q: 1-4094; 0 and 4095 are reserved). */
export const MAX_VLAN_ID = 4094;

/** A new member's VLAN ID (its DeviceIndex): the lowest one its trunk does not use. */
export function nextVlanId(taken: readonly (number | null)[]): number {
  const used = new Set(taken);
  let i = 1;
  while (used.has(i)) i++;
  // Unreachable with any catalog type (EniTotalQuantity is far below 4094): a guard, not a quota.
  if (i > MAX_VLAN_ID) throw EniErrors.eniLinked(`the trunk has no free VLAN ID left (1-${MAX_VLAN_ID})`);
  return i;
}

/**
 * DetachNetworkInterface's TrunkNetworkInstanceId, when given, must name the trunk the ENI is a
 * member of; an ENI that is no member is detached without it. A member detached without it
 * leaves its trunk (chosen: the ENI names its attachment alone; Terway always sends it).
 */
export function assertDetachTrunkMatches(eni: Pick<Eni, 'id' | 'status' | 'trunkEniId'>, given: string | undefined): void {
  if (!given || given === eni.trunkEniId) return;
  throw EniErrors.invalidEniState(
    `a member of trunk ${given}`,
    eni.trunkEniId ? `${eni.status}, a member of trunk ${eni.trunkEniId}` : `${eni.status}, no trunk member`,
  );
}

/** A trunk with members attached (or attaching, or detaching) stays: detach them first. */
export function assertNoMembers(trunkId: string, memberCount: number): void {
  if (memberCount > 0) throw EniErrors.eniLinked(`trunk ENI ${trunkId} still has ${memberCount} member ENI${memberCount === 1 ? '' : 's'}`);
}
