import { Type } from '@sinclair/typebox';
import { SYSTEM_DISK_CATEGORIES, SYSTEM_DISK_MAX_GIB, SYSTEM_DISK_MIN_GIB } from '../../domain/instance-inputs.ts';
import { instanceTypes } from '../../domain/instance-types.ts';
import { findRegion } from '../../domain/regions.ts';
import { AvailableResourceErrors as E } from '../../errors/ecs/available-resource.ts';
import { defineAction } from '../define-action.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';
import { zoneInstanceTypes } from './describe-zones.ts';

/** [ECS-SDK] DescribeAvailableResourceResponseBody...SupportedResource; Min, Max and Unit only for disks, as the cloud documents. */
const SupportedResource = Obj({
  Value: S,
  Status: S,
  StatusCategory: S,
  Min: Type.Optional(N),
  Max: Type.Optional(N),
  Unit: Type.Optional(S),
});
const AvailableZone = Obj({
  ZoneId: S,
  RegionId: S,
  Status: S,
  StatusCategory: S,
  AvailableResources: Wrap('AvailableResource', Obj({ Type: S, SupportedResources: Wrap('SupportedResource', SupportedResource) })),
});

/** The DestinationResource values the cloud accepts; `ddh` (dedicated hosts) is not modelled. */
const DESTINATIONS = ['Zone', 'IoOptimized', 'InstanceType', 'SystemDisk', 'DataDisk', 'Network'] as const;
type Destination = (typeof DESTINATIONS)[number];

type Supported = { Value: string; Min?: number; Max?: number; Unit?: string };

/** eniplane has no stock: whatever it can create is Available WithStock, always. */
const inStock = (r: Supported) => ({ ...r, Status: 'Available', StatusCategory: 'WithStock' });

export const describeAvailableResource = defineAction({
  product: 'Ecs',
  name: 'DescribeAvailableResource',
  summary:
    'What can be created in each zone (Zone, IoOptimized, InstanceType, SystemDisk, DataDisk, Network), from the instance-type and zone catalogs and the disk categories RunInstances accepts; filters ZoneId, InstanceType, Cores, Memory, IoOptimized, NetworkCategory, SystemDiskCategory, DataDiskCategory. No subscription, spot, dedicated hosts or standalone disks.',
  readOnly: true,
  pure: true,
  params: Type.Object({
    RegionId: Type.String(),
    DestinationResource: Type.Optional(Type.String()),
    ZoneId: Type.Optional(Type.String()),
    IoOptimized: Type.Optional(Type.String()),
    InstanceType: Type.Optional(Type.String()),
    Cores: Type.Optional(Type.Integer()),
    Memory: Type.Optional(Type.Number()),
    InstanceChargeType: Type.Optional(Type.String()),
    SpotStrategy: Type.Optional(Type.String()),
    NetworkCategory: Type.Optional(Type.String()),
    SystemDiskCategory: Type.Optional(Type.String()),
    DataDiskCategory: Type.Optional(Type.String()),
    ResourceType: Type.Optional(Type.String()),
  }),
  result: Obj({ AvailableZones: Wrap('AvailableZone', AvailableZone) }),
  errors: [
    E.destinationMissing,
    E.destinationInvalid,
    E.ioOptimizedInvalid,
    E.networkCategoryInvalid,
    E.resourceTypeInvalid,
    E.chargeTypeInvalid,
    E.spotStrategyInvalid,
    E.coresNotForDestination,
    E.memoryNotForDestination,
    E.typeAndCpuMemConflict,
    E.valueNotModelled,
  ],
  async handler(p, ctx) {
    const destination = checkParams(p);
    // Every filter narrows what could be created with RunInstances; the destination picks which
    // facet of it is listed. A zone where nothing matches is left out, as on the cloud.
    const types = instanceTypes.filter(
      (t) =>
        (p.InstanceType === undefined || t.instanceTypeId === p.InstanceType) &&
        (p.Cores === undefined || t.cpuCoreCount === p.Cores) &&
        (p.Memory === undefined || t.memorySize === p.Memory),
    );
    const systemDisks = SYSTEM_DISK_CATEGORIES.filter((c) => p.SystemDiskCategory === undefined || c === p.SystemDiskCategory);
    // Every catalog type is I/O optimized and eniplane has VPC networking only, so `none` and
    // `classic` are valid questions whose answer is "nothing". RunInstances refuses DataDisk.N, so
    // no instance can be created with a data disk: a DataDiskCategory matches nothing.
    const creatable =
      (p.IoOptimized ?? 'optimized') === 'optimized' &&
      (p.NetworkCategory === undefined || p.NetworkCategory === 'vpc') &&
      p.DataDiskCategory === undefined &&
      systemDisks.length > 0;
    const zones = (findRegion(ctx.regionId)?.zones ?? []).filter((z) => p.ZoneId === undefined || z.zoneId === p.ZoneId);
    const available = zones.flatMap((zone) => {
      if (!creatable) return [];
      const inZone = new Set(zoneInstanceTypes(ctx.regionId, zone.zoneId));
      const zoneTypes = types.filter((t) => inZone.has(t.instanceTypeId));
      if (zoneTypes.length === 0) return [];
      const supported = supportedIn(
        destination,
        zone.zoneId,
        zoneTypes.map((t) => t.instanceTypeId),
        systemDisks,
      );
      if (supported.length === 0) return [];
      return [
        {
          ZoneId: zone.zoneId,
          RegionId: ctx.regionId,
          Status: 'Available',
          StatusCategory: 'WithStock',
          AvailableResources: { AvailableResource: [{ Type: destination, SupportedResources: { SupportedResource: supported.map(inStock) } }] },
        },
      ];
    });
    return { AvailableZones: { AvailableZone: available } };
  },
});

function supportedIn(destination: Destination, zoneId: string, typeIds: string[], systemDisks: readonly string[]): Supported[] {
  switch (destination) {
    case 'Zone':
      return [{ Value: zoneId }];
    case 'IoOptimized':
      return [{ Value: 'optimized' }];
    case 'InstanceType':
      return typeIds.map((id) => ({ Value: id }));
    case 'Network':
      return [{ Value: 'vpc' }];
    case 'SystemDisk':
      // RunInstances' system disk bounds, whatever the category (src/domain/instance-inputs.ts).
      return systemDisks.map((c) => ({ Value: c, Min: SYSTEM_DISK_MIN_GIB, Max: SYSTEM_DISK_MAX_GIB, Unit: 'GiB' }));
    case 'DataDisk':
      // DIVERGENCE: RunInstances refuses DataDisk.N and eniplane has no CreateDisk, so no data disk
      // category is available anywhere; the cloud lists cloud_efficiency, cloud_ssd, cloud_essd...
      return [];
  }
}

interface Params {
  DestinationResource?: string;
  IoOptimized?: string;
  InstanceType?: string;
  Cores?: number;
  Memory?: number;
  InstanceChargeType?: string;
  SpotStrategy?: string;
  NetworkCategory?: string;
  ResourceType?: string;
}

/** The cloud's value checks, in its documented order of parameters; returns the destination. */
function checkParams(p: Params): Destination {
  const dest = p.DestinationResource;
  if (dest === undefined || dest === '') throw E.destinationMissing();
  if (dest === 'ddh') throw E.valueNotModelled('DestinationResource', dest, 'eniplane has no dedicated hosts');
  if (!(DESTINATIONS as readonly string[]).includes(dest)) throw E.destinationInvalid();
  if (p.InstanceChargeType !== undefined && p.InstanceChargeType !== 'PostPaid') {
    if (p.InstanceChargeType === 'PrePaid') throw E.valueNotModelled('InstanceChargeType', 'PrePaid', 'subscription instances need orders and payment');
    throw E.chargeTypeInvalid();
  }
  if (p.SpotStrategy !== undefined && p.SpotStrategy !== 'NoSpot') {
    if (p.SpotStrategy === 'SpotWithPriceLimit' || p.SpotStrategy === 'SpotAsPriceGo')
      throw E.valueNotModelled('SpotStrategy', p.SpotStrategy, 'eniplane has no spot instances');
    throw E.spotStrategyInvalid();
  }
  if (p.IoOptimized !== undefined && p.IoOptimized !== 'optimized' && p.IoOptimized !== 'none') throw E.ioOptimizedInvalid();
  if (p.NetworkCategory !== undefined && p.NetworkCategory !== 'vpc' && p.NetworkCategory !== 'classic') throw E.networkCategoryInvalid();
  if (p.ResourceType !== undefined && p.ResourceType !== 'instance') {
    if (['disk', 'reservedinstance', 'ddh'].includes(p.ResourceType)) {
      throw E.valueNotModelled('ResourceType', p.ResourceType, 'only instances, with their system disk, are created');
    }
    throw E.resourceTypeInvalid();
  }
  // Cores and Memory describe an instance type: only with DestinationResource=InstanceType, and not with InstanceType itself.
  if (p.Cores !== undefined && dest !== 'InstanceType') throw E.coresNotForDestination();
  if (p.Memory !== undefined && dest !== 'InstanceType') throw E.memoryNotForDestination();
  if ((p.Cores !== undefined || p.Memory !== undefined) && p.InstanceType !== undefined) throw E.typeAndCpuMemConflict();
  return dest as Destination;
}
