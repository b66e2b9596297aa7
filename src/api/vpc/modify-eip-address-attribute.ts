import { Type } from '@sinclair/typebox';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { modifyEip } from '../../services/eips.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const modifyEipAddressAttribute = defineAction({
  product: 'Vpc',
  name: 'ModifyEipAddressAttribute',
  summary:
    'Rename an EIP, change its description (empty clears either) or its Bandwidth (1-500 Mbit/s PayByBandwidth, 1-200 PayByTraffic, as at allocation); an EIP Associating, Unassociating or Releasing is refused.',
  params: Type.Object({
    RegionId: OptionalRegionId,
    AllocationId: Type.String(),
    Bandwidth: Type.Optional(Type.String()),
    Name: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
  }),
  result: Obj({}),
  errors: [EipErrors.allocationNotFound, EipErrors.incorrectEipStatus, EipErrors.bandwidthInvalid, EipErrors.nameMalformed, EipErrors.descriptionMalformed],
  async handler(p, ctx) {
    await modifyEip(ctx, p.AllocationId, { bandwidth: p.Bandwidth, name: p.Name, description: p.Description });
    return {};
  },
});
