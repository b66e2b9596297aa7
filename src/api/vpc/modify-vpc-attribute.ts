import { Type } from '@sinclair/typebox';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { modifyVpc } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const modifyVpcAttribute = defineAction({
  product: 'Vpc',
  name: 'ModifyVpcAttribute',
  summary: 'Rename a VPC or change its description.',
  params: Type.Object({
    RegionId: OptionalRegionId,
    VpcId: Type.String(),
    VpcName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
  }),
  result: Obj({}),
  errors: [VpcErrors.vpcNotFound, VpcErrors.vpcNameMalformed, VpcErrors.vpcDescriptionMalformed],
  async handler(p, ctx) {
    await modifyVpc(ctx, p.VpcId, { name: p.VpcName, description: p.Description });
    return {};
  },
});
