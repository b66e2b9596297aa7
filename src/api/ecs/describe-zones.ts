import { Type } from '@sinclair/typebox';
import { SYSTEM_DISK_CATEGORIES } from '../../domain/instance-inputs.ts';
import { instanceTypes } from '../../domain/instance-types.ts';
import { findRegion } from '../../domain/regions.ts';
import { defineAction } from '../define-action.ts';
import { B, Obj, S, Wrap } from '../schema-helpers.ts';
import { EcsRegionErrors, pickLanguage } from './describe-regions.ts';

/**
 * AvailableInstanceTypes of a zone: every type of eniplane's catalog (src/catalog/instance-types.json),
 * which can run in any zone. The cloud's per-zone stock is not modelled.
 */
export function zoneInstanceTypes(_regionId: string, _zoneId: string): string[] {
  return instanceTypes.map((t) => t.instanceTypeId);
}

/**
 * AvailableResourceCreation: the resources eniplane can create in every zone. The cloud also
 * lists Disk and DedicatedHost; eniplane models neither, so it does not claim them.
 */
const RESOURCE_CREATION = ['VSwitch', 'IoOptimized', 'Instance'];

const ResourcesInfo = Obj({
  IoOptimized: B,
  InstanceGenerations: Wrap('supportedInstanceGeneration', S),
  InstanceTypeFamilies: Wrap('supportedInstanceTypeFamily', S),
  InstanceTypes: Wrap('supportedInstanceType', S),
  NetworkTypes: Wrap('supportedNetworkCategory', S),
  SystemDiskCategories: Wrap('supportedSystemDiskCategory', S),
  DataDiskCategories: Wrap('supportedDataDiskCategory', S),
});

/** [ECS-SDK] DescribeZonesResponseBodyZonesZone; the detail lists are left out when Verbose=false. */
const ZoneItem = Obj({
  ZoneId: S,
  LocalName: S,
  ZoneType: S,
  AvailableResourceCreation: Type.Optional(Wrap('ResourceTypes', S)),
  AvailableInstanceTypes: Type.Optional(Wrap('InstanceTypes', S)),
  AvailableDiskCategories: Type.Optional(Wrap('DiskCategories', S)),
  AvailableVolumeCategories: Type.Optional(Wrap('VolumeCategories', S)),
  AvailableDedicatedHostTypes: Type.Optional(Wrap('DedicatedHostType', S)),
  DedicatedHostGenerations: Type.Optional(Wrap('DedicatedHostGeneration', S)),
  AvailableResources: Type.Optional(Wrap('ResourcesInfo', ResourcesInfo)),
});

export const describeZones = defineAction({
  product: 'Ecs',
  name: 'DescribeZones',
  summary: 'List the zones of a region (ECS flavour) with what can be created there; Verbose=false gives IDs and names only. No spot strategies.',
  readOnly: true,
  pure: true,
  params: Type.Object({
    RegionId: Type.String(),
    Verbose: Type.Optional(Type.Boolean()),
    AcceptLanguage: Type.Optional(Type.String()),
    InstanceChargeType: Type.Optional(Type.String()),
    SpotStrategy: Type.Optional(Type.String()),
  }),
  result: Obj({ Zones: Wrap('Zone', ZoneItem) }),
  errors: [
    EcsRegionErrors.acceptLanguageNotFound,
    EcsRegionErrors.languageNotInCatalog,
    EcsRegionErrors.chargeTypeNotFound,
    EcsRegionErrors.spotStrategyInvalid,
    EcsRegionErrors.spotStrategyNotModeled,
  ],
  async handler(p, ctx) {
    // [ECS-SDK] DescribeZonesRequest: InstanceChargeType PrePaid | PostPaid; SpotStrategy NoSpot | SpotWithPriceLimit | SpotAsPriceGo.
    if (p.InstanceChargeType !== undefined && p.InstanceChargeType !== 'PrePaid' && p.InstanceChargeType !== 'PostPaid') {
      throw EcsRegionErrors.chargeTypeNotFound();
    }
    if (p.SpotStrategy !== undefined && p.SpotStrategy !== 'NoSpot') {
      if (p.SpotStrategy === 'SpotWithPriceLimit' || p.SpotStrategy === 'SpotAsPriceGo') throw EcsRegionErrors.spotStrategyNotModeled(p.SpotStrategy);
      throw EcsRegionErrors.spotStrategyInvalid();
    }
    const zones = findRegion(ctx.regionId)?.zones ?? [];
    const lang = pickLanguage(
      p.AcceptLanguage,
      zones.map((z) => z.localName),
    );
    const verbose = p.Verbose ?? true;
    return {
      Zones: {
        Zone: zones.map((z) => ({
          ZoneId: z.zoneId,
          LocalName: z.localName[lang]!,
          ZoneType: 'AvailabilityZone',
          ...(verbose && {
            AvailableResourceCreation: { ResourceTypes: [...RESOURCE_CREATION] },
            AvailableInstanceTypes: { InstanceTypes: zoneInstanceTypes(ctx.regionId, z.zoneId) },
            // DIVERGENCE: the cloud lists the categories CreateDisk can make here; eniplane makes
            // only system disks (RunInstances), so it lists those. Empty would hide every zone from
            // Terraform's data.alicloud_zones, which drops zones without disk categories.
            AvailableDiskCategories: { DiskCategories: [...SYSTEM_DISK_CATEGORIES] },
            AvailableVolumeCategories: { VolumeCategories: [] },
            AvailableDedicatedHostTypes: { DedicatedHostType: [] },
            DedicatedHostGenerations: { DedicatedHostGeneration: [] },
            AvailableResources: { ResourcesInfo: [] },
          }),
        })),
      },
    };
  },
});
