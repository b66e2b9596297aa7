import { Type } from '@sinclair/typebox';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { deleteVpc as remove } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, DryRun, OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const deleteVpc = defineAction({
  product: 'Vpc',
  name: 'DeleteVpc',
  summary: 'Delete an Available VPC that holds no vSwitches or security groups.',
  idempotent: true,
  params: Type.Object({ RegionId: OptionalRegionId, VpcId: Type.String(), ClientToken, DryRun }),
  result: Obj({}),
  errors: [VpcErrors.vpcNotFound, VpcErrors.incorrectVpcStatus, VpcErrors.vpcHasVSwitches, VpcErrors.vpcHasSecurityGroups],
  async handler(p, ctx) {
    await remove(ctx, p.VpcId);
    return {};
  },
});
