import { Type } from '@sinclair/typebox';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { modifyVSwitch } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const modifyVSwitchAttribute = defineAction({
  product: 'Vpc',
  name: 'ModifyVSwitchAttribute',
  summary: 'Rename a vSwitch or change its description.',
  params: Type.Object({
    RegionId: OptionalRegionId,
    VSwitchId: Type.String(),
    VSwitchName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
  }),
  result: Obj({}),
  errors: [VpcErrors.vswitchNotFound, VpcErrors.vswitchNameMalformed, VpcErrors.vswitchDescriptionMalformed],
  async handler(p, ctx) {
    await modifyVSwitch(ctx, p.VSwitchId, { name: p.VSwitchName, description: p.Description });
    return {};
  },
});
