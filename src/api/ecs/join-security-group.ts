import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../errors/common.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { changeMembership } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

/**
 * Exactly one of InstanceId and NetworkInterfaceId. RegionId is optional for an instance (its ID
 * names the region) and required for an ENI (the cloud's JoinSecurityGroup page).
 */
export function membershipTarget(p: { RegionId?: string; InstanceId?: string; NetworkInterfaceId?: string }): { instanceId: string } | { eniId: string } {
  if (p.InstanceId !== undefined && p.NetworkInterfaceId !== undefined) throw EniErrors.eniAndInstanceConflict();
  if (p.InstanceId !== undefined) return { instanceId: p.InstanceId };
  if (p.NetworkInterfaceId === undefined) throw CommonErrors.missingParameter('InstanceId');
  if (p.RegionId === undefined) throw EniErrors.regionIdRequired();
  return { eniId: p.NetworkInterfaceId };
}

export const membershipParams = Type.Object({
  RegionId: OptionalRegionId,
  SecurityGroupId: Type.String(),
  InstanceId: Type.Optional(Type.String()),
  NetworkInterfaceId: Type.Optional(Type.String()),
});

export const joinSecurityGroup = defineAction({
  product: 'Ecs',
  name: 'JoinSecurityGroup',
  summary:
    "Add an instance (its primary ENI; Running or Stopped) or a secondary ENI to one more security group of its VPC: at most five groups each, within the group's address capacity.",
  params: membershipParams,
  result: Obj({}),
  errors: [
    EniErrors.eniAndInstanceConflict,
    EniErrors.regionIdRequired,
    EniErrors.instanceNotFound,
    EniErrors.eniNotFound,
    InstanceErrors.incorrectStatus,
    EniErrors.eniTypeNotAllowed,
    EniErrors.invalidEniState,
    EniErrors.securityGroupNotFound,
    InstanceErrors.securityGroupMismatch,
    EniErrors.vpcMismatch,
    InstanceErrors.alreadyInSecurityGroup,
    InstanceErrors.securityGroupLimit,
    EniErrors.multiGroupType,
    InstanceErrors.securityGroupFull,
  ],
  async handler(p, ctx) {
    await changeMembership(ctx, membershipTarget(p), p.SecurityGroupId, true);
    return {};
  },
});
