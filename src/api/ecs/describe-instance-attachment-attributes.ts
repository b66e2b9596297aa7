import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { describeInstanceStatuses } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { JsonList, RegionId } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';

/**
 * Which private pool (capacity reservation, elasticity assurance) each instance draws from.
 * eniplane has no private pools: every instance matches none explicitly, which the cloud shows
 * as MatchCriteria "Open" (the default of RunInstances' PrivatePoolOptions.MatchCriteria) and no
 * pool ID.
 */
export const describeInstanceAttachmentAttributes = defineAction({
  product: 'Ecs',
  name: 'DescribeInstanceAttachmentAttributes',
  summary: 'The private pool each instance (InstanceIds, a JSON array) draws from: none in eniplane, MatchCriteria Open.',
  readOnly: true,
  params: Type.Object({
    RegionId,
    InstanceIds: JsonList(Type.String(), 100),
    PageNumber: Type.Optional(Type.Integer({ minimum: 1 })),
    PageSize: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  result: Obj({
    TotalCount: N,
    PageNumber: N,
    PageSize: N,
    Instances: Wrap('Instance', Obj({ InstanceId: S, PrivatePoolOptionsId: S, PrivatePoolOptionsMatchCriteria: S })),
  }),
  errors: [],
  async handler(p, ctx) {
    const window = pageWindow(p.PageNumber, p.PageSize, 100);
    const { statuses, total } = await describeInstanceStatuses(ctx, { ids: p.InstanceIds }, window);
    return {
      TotalCount: total,
      PageNumber: window.pageNumber,
      PageSize: window.pageSize,
      Instances: { Instance: statuses.map((s) => ({ InstanceId: s.id, PrivatePoolOptionsId: '', PrivatePoolOptionsMatchCriteria: 'Open' })) },
    };
  },
});
