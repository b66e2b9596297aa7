import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { modifyEni } from '../../services/enis.ts';
import { defineAction } from '../define-action.ts';
import { RegionId, RepeatList } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const modifyNetworkInterfaceAttribute = defineAction({
  product: 'Ecs',
  name: 'ModifyNetworkInterfaceAttribute',
  summary:
    "Rename an ENI, change its description, DeleteOnRelease or SourceDestCheck, its QueueNumber (Available, or InUse on a Stopped instance), or replace a secondary ENI's security groups (SecurityGroupId.N); not while Deleting.",
  params: Type.Object({
    RegionId,
    NetworkInterfaceId: Type.String(),
    NetworkInterfaceName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    SecurityGroupId: Type.Optional(RepeatList(Type.String(), 16)),
    DeleteOnRelease: Type.Optional(Type.Boolean()),
    SourceDestCheck: Type.Optional(Type.Boolean()),
    QueueNumber: Type.Optional(Type.Integer()),
  }),
  result: Obj({}),
  errors: [
    EniErrors.eniNotFound,
    EniErrors.securityGroupNotFound,
    EniErrors.securityGroupCount,
    EniErrors.securityGroupRepeated,
    EniErrors.multiGroupType,
    EniErrors.invalidEniState,
    EniErrors.invalidEcsState,
    EniErrors.vpcMismatch,
    EniErrors.eniTypeNotAllowed,
    EniErrors.securityGroupIpQuota,
    EniErrors.nameMalformed,
    EniErrors.descriptionMalformed,
    EniErrors.queueNumberInvalid,
    EniErrors.queueNumberExceeded,
  ],
  async handler(p, ctx) {
    await modifyEni(ctx, p.NetworkInterfaceId, {
      name: p.NetworkInterfaceName,
      description: p.Description,
      securityGroupIds: p.SecurityGroupId,
      deleteOnRelease: p.DeleteOnRelease,
      sourceDestCheck: p.SourceDestCheck,
      queueNumber: p.QueueNumber,
    });
    return {};
  },
});
