import { Type } from '@sinclair/typebox';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { describeVSwitches } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { DryRun, OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { VSwitchFields, vswitchItem } from './views.ts';

export const describeVSwitchAttributes = defineAction({
  product: 'Vpc',
  name: 'DescribeVSwitchAttributes',
  summary: 'One vSwitch, its fields at the top level of the response.',
  readOnly: true,
  params: Type.Object({ RegionId: OptionalRegionId, VSwitchId: Type.String(), DryRun }),
  result: Obj(VSwitchFields),
  errors: [VpcErrors.vswitchNotFound],
  async handler(p, ctx) {
    const { views } = await describeVSwitches(ctx, { regionId: ctx.regionId, id: p.VSwitchId }, { offset: 0, limit: 1 });
    const view = views[0];
    if (!view) throw VpcErrors.vswitchNotFound();
    return vswitchItem(view);
  },
});
