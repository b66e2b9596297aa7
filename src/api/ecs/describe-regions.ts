import { Type } from '@sinclair/typebox';
import { regions, type Region } from '../../domain/regions.ts';
import { defineErrors } from '../../errors/api-error.ts';
import { defineAction } from '../define-action.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';

/**
 * ECS DescribeRegions / DescribeZones codes ([DOCS-ECS] "Regions/DescribeRegions.md",
 * "Regions/DescribeZones.md" error tables). Where a value is valid on the cloud but names
 * something eniplane does not model, the same code is answered with a message saying so.
 */
export const EcsRegionErrors = defineErrors({
  acceptLanguageNotFound: {
    code: 'InvalidAcceptLanguage.NotFound',
    status: 404,
    message: 'Only Chinese (zh-CN), English (en-US), and Japanese (ja) are allowed.',
  },
  languageNotInCatalog: {
    code: 'InvalidAcceptLanguage.NotFound',
    status: 404,
    message: (lang: string, have: string) =>
      `AcceptLanguage "${lang}" is valid on the cloud, but eniplane's region catalog (src/catalog/regions.json) has names in ${have} only.`,
    description: "A language the cloud offers but eniplane's region catalog has no names in.",
  },
  resourceTypeNotFound: {
    code: 'InvalidResourceType.NotFound',
    status: 404,
    message: 'The ResourceType provided does not exist in our records.',
  },
  resourceTypeNotModeled: {
    code: 'InvalidResourceType.NotFound',
    status: 404,
    message: (type: string) => `The ResourceType "${type}" exists on the cloud, but eniplane does not model it; only instance is supported.`,
    description: 'DescribeRegions ResourceType disk, reservedinstance or scu: resources eniplane does not model.',
  },
  chargeTypeNotFound: {
    code: 'InvalidInstanceChargeType.NotFound',
    status: 404,
    message: 'The InstanceChargeType does not exist in our records.',
  },
  chargeTypeNotModeled: {
    code: 'InvalidInstanceChargeType.NotFound',
    status: 404,
    message: (type: string) => `The InstanceChargeType "${type}" exists on the cloud, but eniplane does not model spot instances.`,
    description: 'DescribeRegions InstanceChargeType SpotWithPriceLimit or SpotAsPriceGo: eniplane has no spot instances.',
  },
  spotStrategyInvalid: { code: 'InvalidSpotStrategy', status: 400, message: 'The specified SpotStrategy is not valid.' },
  spotStrategyNotModeled: {
    code: 'InvalidSpotStrategy',
    status: 400,
    message: (strategy: string) => `The SpotStrategy "${strategy}" exists on the cloud, but eniplane does not model spot instances; only NoSpot is supported.`,
    description: 'DescribeZones SpotStrategy other than NoSpot: eniplane has no spot instances.',
  },
});

/** AcceptLanguage values the cloud accepts ([ECS-SDK] DescribeRegionsRequest.acceptLanguage); zh-CN is the default. */
const CLOUD_LANGUAGES = ['zh-CN', 'zh-TW', 'en-US', 'ja', 'fr', 'de', 'ko'];

/**
 * The language names are answered in: one the cloud accepts (compared without case) and that
 * every name in `names` has. Never another language in its place.
 */
export function pickLanguage(acceptLanguage: string | undefined, names: readonly Record<string, string>[]): string {
  const lang = acceptLanguage === undefined ? 'zh-CN' : CLOUD_LANGUAGES.find((l) => l.toLowerCase() === acceptLanguage.toLowerCase());
  if (!lang) throw EcsRegionErrors.acceptLanguageNotFound();
  if (!names.every((n) => typeof n[lang] === 'string')) {
    const have = CLOUD_LANGUAGES.filter((l) => names.every((n) => typeof n[l] === 'string'));
    throw EcsRegionErrors.languageNotInCatalog(lang, have.join(' and '));
  }
  return lang;
}

/** ECS answers on its central endpoint for some regions and on a regional one for the others. */
export function ecsEndpoint(r: Region): string {
  return r.centralEndpoint ? 'ecs.aliyuncs.com' : `ecs.${r.regionId}.aliyuncs.com`;
}

const RESOURCE_TYPES: Record<string, boolean> = { instance: true, disk: false, reservedinstance: false, scu: false };
const CHARGE_TYPES: Record<string, boolean> = { PrePaid: true, PostPaid: true, SpotWithPriceLimit: false, SpotAsPriceGo: false };

export const describeRegions = defineAction({
  product: 'Ecs',
  name: 'DescribeRegions',
  summary: 'List the regions (ECS flavour), named in zh-CN (default) or en-US; ResourceType instance only, no spot charge types.',
  readOnly: true,
  pure: true,
  params: Type.Object({
    AcceptLanguage: Type.Optional(Type.String()),
    InstanceChargeType: Type.Optional(Type.String()),
    ResourceType: Type.Optional(Type.String()),
  }),
  result: Obj({ Regions: Wrap('Region', Obj({ RegionId: S, LocalName: S, RegionEndpoint: S, Status: S })) }),
  errors: [
    EcsRegionErrors.acceptLanguageNotFound,
    EcsRegionErrors.languageNotInCatalog,
    EcsRegionErrors.resourceTypeNotFound,
    EcsRegionErrors.resourceTypeNotModeled,
    EcsRegionErrors.chargeTypeNotFound,
    EcsRegionErrors.chargeTypeNotModeled,
  ],
  async handler(p) {
    if (p.ResourceType !== undefined) {
      // The reference's own sample request writes "Instance": the value is read without case.
      const type = p.ResourceType.toLowerCase();
      if (!(type in RESOURCE_TYPES)) throw EcsRegionErrors.resourceTypeNotFound();
      if (!RESOURCE_TYPES[type]) throw EcsRegionErrors.resourceTypeNotModeled(type);
    }
    if (p.InstanceChargeType !== undefined) {
      if (!(p.InstanceChargeType in CHARGE_TYPES)) throw EcsRegionErrors.chargeTypeNotFound();
      // eniplane has no billing: subscription and pay-as-you-go are offered everywhere alike.
      if (!CHARGE_TYPES[p.InstanceChargeType]) throw EcsRegionErrors.chargeTypeNotModeled(p.InstanceChargeType);
    }
    const lang = pickLanguage(
      p.AcceptLanguage,
      regions.map((r) => r.localName),
    );
    return {
      Regions: {
        Region: regions.map((r) => ({ RegionId: r.regionId, LocalName: r.localName[lang]!, RegionEndpoint: ecsEndpoint(r), Status: 'available' })),
      },
    };
  },
});
