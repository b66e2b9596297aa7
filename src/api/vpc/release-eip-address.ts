import { Type } from '@sinclair/typebox';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { releaseEip } from '../../services/eips.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const releaseEipAddress = defineAction({
  product: 'Vpc',
  name: 'ReleaseEipAddress',
  summary: 'Release an Available EIP: it shows Releasing, then disappears (at once with zero delays).',
  params: Type.Object({ RegionId: OptionalRegionId, AllocationId: Type.String() }),
  result: Obj({}),
  errors: [EipErrors.allocationNotFound, EipErrors.incorrectEipStatus],
  async handler(p, ctx) {
    await releaseEip(ctx, p.AllocationId);
    return {};
  },
});
