import { Type } from '@sinclair/typebox';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { associateEip } from '../../services/eips.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const associateEipAddress = defineAction({
  product: 'Vpc',
  name: 'AssociateEipAddress',
  summary:
    'Associate an Available EIP with an ECS instance (its primary private address; one EIP per instance) or, in NAT mode, with a private address of an ENI (its primary one by default; one EIP per address). Associating, then InUse.',
  idempotent: true,
  params: Type.Object({
    RegionId: OptionalRegionId,
    AllocationId: Type.String(),
    InstanceId: Type.String(),
    InstanceType: Type.Optional(Type.String()),
    PrivateIpAddress: Type.Optional(Type.String()),
    Mode: Type.Optional(Type.String()),
    ClientToken,
  }),
  result: Obj({}),
  errors: [
    EipErrors.allocationNotFound,
    EipErrors.incorrectEipStatus,
    EipErrors.instanceNotFound,
    EipErrors.regionMismatch,
    EipErrors.incorrectInstanceStatus,
    EipErrors.associationDuplicated,
    EipErrors.instanceTypeNotSupported,
    EipErrors.instanceTypeNotModelled,
    EipErrors.modeInvalid,
    EipErrors.modeNotModelled,
    EipErrors.privateIpNotOnTarget,
  ],
  async handler(p, ctx) {
    await associateEip(ctx, {
      allocationId: p.AllocationId,
      instanceId: p.InstanceId,
      instanceType: p.InstanceType,
      privateIp: p.PrivateIpAddress,
      mode: p.Mode,
    });
    return {};
  },
});
