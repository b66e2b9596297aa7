import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { isoMinutes } from '../../lib/clock.ts';
import { describeInstances } from '../../services/instances.ts';
import type { Instance } from '../../domain/models/instance.ts';
import { defineAction } from '../define-action.ts';
import { Enum, JsonList, RegionId } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

/**
 * The disks eniplane models: one system disk per instance, created and released with it, of the
 * category and size RunInstances / CreateInstance were given (SystemDisk.*). RunInstances takes
 * no data disks here (DataDisk.N is refused), so DiskType=data lists none. The disk ID is the
 * instance's with the `d-` prefix: stable, unique, and needing no row of its own.
 */
export function systemDiskIdOf(instanceId: string): string {
  return `d-${instanceId.slice(instanceId.indexOf('-') + 1)}`;
}

function instanceIdOfDisk(diskId: string): string | null {
  return diskId.startsWith('d-') ? `i-${diskId.slice(2)}` : null;
}

const DiskItem = Obj({
  DiskId: S,
  DiskName: S,
  Description: S,
  Type: S,
  Category: S,
  Size: N,
  Status: S,
  InstanceId: S,
  RegionId: S,
  ZoneId: S,
  Device: S,
  ImageId: S,
  DiskChargeType: S,
  DeleteWithInstance: B,
  DeleteAutoSnapshot: B,
  EnableAutoSnapshot: B,
  Encrypted: B,
  KMSKeyId: S,
  Portable: B,
  PerformanceLevel: S,
  BurstingEnabled: B,
  ProvisionedIops: N,
  AutoSnapshotPolicyId: S,
  StorageClusterId: S,
  MultiAttach: S,
  CreationTime: S,
  AttachedTime: S,
  Attachments: Wrap('Attachment', Obj({ InstanceId: S, Device: S, AttachedTime: S })),
  OperationLocks: Wrap('OperationLock', Obj({ LockReason: S })),
  Tags: Wrap('Tag', Obj({ TagKey: S, TagValue: S })),
});

function systemDisk(r: Instance) {
  const attrs = r.attributes;
  const category = attrs.SystemDiskCategory ?? 'cloud_efficiency';
  const created = isoMinutes(r.createdAt);
  return {
    DiskId: systemDiskIdOf(r.id),
    DiskName: '',
    Description: '',
    Type: 'system',
    Category: category,
    Size: attrs.SystemDiskSize ?? 40,
    Status: 'In_use',
    InstanceId: r.id,
    RegionId: r.regionId,
    ZoneId: r.zoneId,
    Device: '/dev/xvda',
    ImageId: r.imageId,
    DiskChargeType: 'PostPaid',
    DeleteWithInstance: true,
    DeleteAutoSnapshot: true,
    EnableAutoSnapshot: false,
    Encrypted: false,
    KMSKeyId: '',
    Portable: false,
    // ESSDs default to performance level PL1; other categories have none.
    PerformanceLevel: category === 'cloud_essd' ? 'PL1' : '',
    BurstingEnabled: false,
    ProvisionedIops: 0,
    AutoSnapshotPolicyId: '',
    StorageClusterId: '',
    MultiAttach: 'Disabled',
    CreationTime: created,
    AttachedTime: created,
    Attachments: { Attachment: [{ InstanceId: r.id, Device: '/dev/xvda', AttachedTime: created }] },
    OperationLocks: { OperationLock: [] },
    Tags: { Tag: [] },
  };
}

export const describeDisks = defineAction({
  product: 'Ecs',
  name: 'DescribeDisks',
  summary:
    "The instances' system disks (one per instance, SystemDisk.* of RunInstances), by InstanceId, DiskIds (JSON array), zone, DiskType or Category; PageNumber/PageSize.",
  readOnly: true,
  params: Type.Object({
    RegionId,
    ZoneId: Type.Optional(Type.String()),
    InstanceId: Type.Optional(Type.String()),
    DiskIds: Type.Optional(JsonList(Type.String(), 100)),
    DiskType: Type.Optional(Enum(['all', 'system', 'data'])),
    Category: Type.Optional(
      Enum([
        'all',
        'cloud',
        'cloud_efficiency',
        'cloud_ssd',
        'cloud_essd',
        'cloud_auto',
        'cloud_essd_entry',
        'local_ssd_pro',
        'local_hdd_pro',
        'ephemeral',
        'ephemeral_ssd',
        'elastic_ephemeral_disk_standard',
        'elastic_ephemeral_disk_premium',
      ]),
    ),
    PageNumber: Type.Optional(Type.Integer({ minimum: 1 })),
    PageSize: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, NextToken: S, Disks: Wrap('Disk', DiskItem) }),
  errors: [],
  async handler(p, ctx) {
    const window = pageWindow(p.PageNumber, p.PageSize, 100);
    const empty = { TotalCount: 0, PageNumber: window.pageNumber, PageSize: window.pageSize, NextToken: '', Disks: { Disk: [] } };
    if (p.DiskType === 'data') return empty;
    let ids: string[] | undefined;
    if (p.DiskIds?.length) ids = p.DiskIds.map(instanceIdOfDisk).filter((id): id is string => id !== null);
    if (p.InstanceId) ids = ids ? ids.filter((id) => id === p.InstanceId) : [p.InstanceId];
    if (ids?.length === 0) return empty;
    const { views, total } = await describeInstances(ctx, { ids, zoneId: p.ZoneId || undefined }, window);
    const category = p.Category && p.Category !== 'all' ? p.Category : undefined;
    const disks = views.map((v) => systemDisk(v.instance)).filter((d) => !category || d.Category === category);
    // A category filter is applied to the page (every instance has one disk, so pages stay aligned without it).
    return { TotalCount: category ? disks.length : total, PageNumber: window.pageNumber, PageSize: window.pageSize, NextToken: '', Disks: { Disk: disks } };
  },
});
