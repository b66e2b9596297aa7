import { Type } from '@sinclair/typebox';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { deleteVSwitch as remove } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { DryRun, OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const deleteVSwitch = defineAction({
  product: 'Vpc',
  name: 'DeleteVSwitch',
  summary: 'Delete an Available vSwitch that no ENI or instance uses.',
  params: Type.Object({ RegionId: OptionalRegionId, VSwitchId: Type.String(), DryRun }),
  result: Obj({}),
  errors: [VpcErrors.vswitchNotFound, VpcErrors.incorrectVSwitchStatus, VpcErrors.vswitchInUse],
  async handler(p, ctx) {
    await remove(ctx, p.VSwitchId);
    return {};
  },
});
