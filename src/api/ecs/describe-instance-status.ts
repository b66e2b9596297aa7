import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { describeInstanceStatuses } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { RegionId, RepeatList } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';

export const describeInstanceStatus = defineAction({
  product: 'Ecs',
  name: 'DescribeInstanceStatus',
  summary: 'The status of every instance of the region, or of the given IDs (InstanceId.N, up to 100) or zone; PageNumber/PageSize (at most 50).',
  readOnly: true,
  params: Type.Object({
    RegionId,
    InstanceId: Type.Optional(RepeatList(Type.String(), 100)),
    ZoneId: Type.Optional(Type.String()),
    PageNumber: Type.Optional(Type.Integer({ minimum: 1 })),
    PageSize: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, InstanceStatuses: Wrap('InstanceStatus', Obj({ InstanceId: S, Status: S })) }),
  errors: [],
  async handler(p, ctx) {
    const window = pageWindow(p.PageNumber, p.PageSize, 50);
    const { statuses, total } = await describeInstanceStatuses(
      ctx,
      { ids: p.InstanceId?.length ? p.InstanceId : undefined, zoneId: p.ZoneId || undefined },
      window,
    );
    return {
      TotalCount: total,
      PageNumber: window.pageNumber,
      PageSize: window.pageSize,
      InstanceStatuses: { InstanceStatus: statuses.map((s) => ({ InstanceId: s.id, Status: s.status })) },
    };
  },
});
