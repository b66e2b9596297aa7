import { Type } from '@sinclair/typebox';
import { findRegion, localName } from '../../domain/regions.ts';
import { defineAction } from '../define-action.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';

export const describeZones = defineAction({
  product: 'Vpc',
  name: 'DescribeZones',
  summary: 'List the zones of a region (VPC flavour).',
  readOnly: true,
  pure: true,
  params: Type.Object({ RegionId: Type.String(), ZoneType: Type.Optional(Type.String()), AcceptLanguage: Type.Optional(Type.String()) }),
  result: Obj({ Zones: Wrap('Zone', Obj({ ZoneId: S, LocalName: S, ZoneType: S })) }),
  errors: [],
  async handler(p, ctx) {
    const zones = p.ZoneType && p.ZoneType !== 'AvailabilityZone' ? [] : (findRegion(ctx.regionId)?.zones ?? []);
    return { Zones: { Zone: zones.map((z) => ({ ZoneId: z.zoneId, LocalName: localName(z.localName, p.AcceptLanguage), ZoneType: 'AvailabilityZone' })) } };
  },
});
