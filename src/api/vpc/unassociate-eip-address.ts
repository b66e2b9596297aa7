import { Type } from '@sinclair/typebox';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { unassociateEip } from '../../services/eips.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const unassociateEipAddress = defineAction({
  product: 'Vpc',
  name: 'UnassociateEipAddress',
  summary: 'Unassociate an InUse EIP (InstanceId, InstanceType and PrivateIpAddress, when given, must name its binding). Unassociating, then Available.',
  idempotent: true,
  params: Type.Object({
    RegionId: OptionalRegionId,
    AllocationId: Type.String(),
    InstanceId: Type.Optional(Type.String()),
    InstanceType: Type.Optional(Type.String()),
    PrivateIpAddress: Type.Optional(Type.String()),
    // [VPC-SDK]: only acts on NAT gateways with DNAT/SNAT entries, which eniplane does not model.
    Force: Type.Optional(Type.Boolean()),
    ClientToken,
  }),
  result: Obj({}),
  errors: [
    EipErrors.allocationNotFound,
    EipErrors.incorrectEipStatus,
    EipErrors.bindingStatus,
    EipErrors.incorrectInstanceStatus,
    EipErrors.instanceTypeNotSupported,
    EipErrors.instanceTypeNotModelled,
  ],
  async handler(p, ctx) {
    await unassociateEip(ctx, { allocationId: p.AllocationId, instanceId: p.InstanceId, instanceType: p.InstanceType, privateIp: p.PrivateIpAddress });
    return {};
  },
});
