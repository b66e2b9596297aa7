import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/eni.ts';
import { describeEnis } from '../../services/enis.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { EniFields, eniItem } from './eni-views.ts';

export const describeNetworkInterfaceAttribute = defineAction({
  product: 'Ecs',
  name: 'DescribeNetworkInterfaceAttribute',
  summary: 'One ENI, its fields at the top level of the response.',
  readOnly: true,
  params: Type.Object({ RegionId, NetworkInterfaceId: Type.String() }),
  result: Obj(EniFields),
  errors: [EniErrors.eniNotFound],
  async handler(p, ctx) {
    const page = await describeEnis(ctx, { ids: [p.NetworkInterfaceId] }, { style: 'page', limit: 1, offset: 0 });
    const item = page.items[0];
    if (!item) throw EniErrors.eniNotFound(p.NetworkInterfaceId);
    return eniItem(item.details, item.eips, item.tags);
  },
});
