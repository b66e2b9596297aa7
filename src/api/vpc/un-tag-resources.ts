import { Type } from '@sinclair/typebox';
import { VpcTagErrors } from '../../errors/vpc/tags.ts';
import { VPC_TAGS, untagResources as untag, supportedTypes } from '../../services/tags.ts';
import { defineAction } from '../define-action.ts';
import { RegionId, RequestOnly } from '../params.ts';

export const unTagResources = defineAction({
  product: 'Vpc',
  name: 'UnTagResources',
  summary: `Remove tags by key (TagKey.N, up to 20), or all of them (All=true), from up to 50 resources of one type (${supportedTypes(VPC_TAGS).join(', ')}).`,
  params: Type.Object({
    RegionId,
    ResourceType: Type.String(),
    ResourceId: Type.Array(Type.String()),
    TagKey: Type.Optional(Type.Array(Type.String())),
    All: Type.Optional(Type.Boolean()),
  }),
  result: RequestOnly,
  errors: [
    VpcTagErrors.tooManyResourceIds,
    VpcTagErrors.tooManyTags,
    VpcTagErrors.resourceTypeNotFound,
    VpcTagErrors.resourceTypeNotModeled,
    VpcTagErrors.keyMalformed,
    VpcTagErrors.resourceNotFound,
  ],
  async handler(p, ctx) {
    await untag(ctx, VPC_TAGS, { regionGiven: true, resourceType: p.ResourceType, resourceIds: p.ResourceId, tagKeys: p.TagKey, all: p.All });
    return {};
  },
});
