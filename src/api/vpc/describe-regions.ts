import { Type } from '@sinclair/typebox';
import { localName, regions } from '../../domain/regions.ts';
import { defineAction } from '../define-action.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';

export const describeRegions = defineAction({
  product: 'Vpc',
  name: 'DescribeRegions',
  summary: 'List the regions (VPC flavour).',
  readOnly: true,
  pure: true,
  params: Type.Object({ AcceptLanguage: Type.Optional(Type.String()), ProductType: Type.Optional(Type.String()) }),
  result: Obj({ Regions: Wrap('Region', Obj({ RegionId: S, LocalName: S, RegionEndpoint: S })) }),
  errors: [],
  async handler(p) {
    return {
      Regions: {
        Region: regions.map((r) => ({
          RegionId: r.regionId,
          LocalName: localName(r.localName, p.AcceptLanguage),
          RegionEndpoint: r.centralEndpoint ? 'vpc.aliyuncs.com' : `vpc.${r.regionId}.aliyuncs.com`,
        })),
      },
    };
  },
});
