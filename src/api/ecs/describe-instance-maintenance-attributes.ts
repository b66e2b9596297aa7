import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { describeInstanceStatuses } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { RegionId, RepeatList } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

/**
 * Every instance has the cloud's default maintenance attributes: no maintenance window, the
 * AutoRecover action, no notification. eniplane has no maintenance events and does not implement
 * ModifyInstanceMaintenanceAttributes, so these are what the cloud shows an untouched instance.
 */
const ACTIONS_ON_MAINTENANCE = ['Stop', 'AutoRecover', 'AutoRedeploy'];

export const describeInstanceMaintenanceAttributes = defineAction({
  product: 'Ecs',
  name: 'DescribeInstanceMaintenanceAttributes',
  summary: 'The maintenance attributes of instances (InstanceId.N, or all of the region): the defaults, no window, AutoRecover, no notification.',
  readOnly: true,
  params: Type.Object({
    RegionId,
    InstanceId: Type.Optional(RepeatList(Type.String(), 100)),
    PageNumber: Type.Optional(Type.Integer({ minimum: 1 })),
    PageSize: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  result: Obj({
    TotalCount: N,
    PageNumber: N,
    PageSize: N,
    MaintenanceAttributes: Wrap(
      'MaintenanceAttribute',
      Obj({
        InstanceId: S,
        NotifyOnMaintenance: B,
        ActionOnMaintenance: Obj({ DefaultValue: S, Value: S, SupportedValues: Wrap('SupportedValue', S) }),
        MaintenanceWindows: Wrap('MaintenanceWindow', Obj({ StartTime: S, EndTime: S })),
      }),
    ),
  }),
  errors: [],
  async handler(p, ctx) {
    const window = pageWindow(p.PageNumber, p.PageSize, 100);
    const { statuses, total } = await describeInstanceStatuses(ctx, { ids: p.InstanceId?.length ? p.InstanceId : undefined }, window);
    return {
      TotalCount: total,
      PageNumber: window.pageNumber,
      PageSize: window.pageSize,
      MaintenanceAttributes: {
        MaintenanceAttribute: statuses.map((s) => ({
          InstanceId: s.id,
          NotifyOnMaintenance: false,
          ActionOnMaintenance: { DefaultValue: 'AutoRecover', Value: 'AutoRecover', SupportedValues: { SupportedValue: ACTIONS_ON_MAINTENANCE } },
          MaintenanceWindows: { MaintenanceWindow: [] },
        })),
      },
    };
  },
});
