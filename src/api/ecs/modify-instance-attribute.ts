import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { modifyInstance } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RepeatList } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

// Takes no RegionId in the SDK model: the instance ID names the region (a RegionId is accepted anyway).
export const modifyInstanceAttribute = defineAction({
  product: 'Ecs',
  name: 'ModifyInstanceAttribute',
  summary:
    "Rename an instance, change its description, host name or deletion protection, or replace its security groups (SecurityGroupIds.N, which are its primary ENI's).",
  // The Terraform provider sends a ClientToken (resource_alicloud_instance.go modifyInstanceAttribute)
  // although the SDK model has none; eniplane honours it as an idempotency token.
  idempotent: true,
  params: Type.Object({
    ClientToken,
    InstanceId: Type.String(),
    InstanceName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    HostName: Type.Optional(Type.String()),
    DeletionProtection: Type.Optional(Type.Boolean()),
    SecurityGroupIds: Type.Optional(RepeatList(Type.String(), 16)),
  }),
  result: Obj({}),
  errors: [
    EniErrors.instanceNotFound,
    InstanceErrors.nameMalformed,
    EniErrors.descriptionMalformed,
    InstanceErrors.hostNameMalformed,
    InstanceErrors.incorrectStatus,
    EniErrors.securityGroupNotFound,
    EniErrors.securityGroupRepeated,
    EniErrors.multiGroupType,
    InstanceErrors.securityGroupMismatch,
    InstanceErrors.joinedGroupLimit,
    EniErrors.securityGroupIpQuota,
  ],
  async handler(p, ctx) {
    await modifyInstance(ctx, p.InstanceId, {
      name: p.InstanceName,
      description: p.Description,
      hostName: p.HostName,
      deletionProtection: p.DeletionProtection,
      securityGroupIds: p.SecurityGroupIds,
    });
    return {};
  },
});
