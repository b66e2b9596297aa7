import { Type } from '@sinclair/typebox';
import { VpcTagErrors } from '../../errors/vpc/tags.ts';
import { VPC_TAGS, tagResources as tag, supportedTypes } from '../../services/tags.ts';
import { defineAction } from '../define-action.ts';
import { RegionId, RequestOnly } from '../params.ts';

export const tagResources = defineAction({
  product: 'Vpc',
  name: 'TagResources',
  summary: `Add tags (up to 20, overwriting an existing key) to up to 50 resources of one type (${supportedTypes(VPC_TAGS).join(', ')}; case-insensitive); a resource holds at most 20 tags.`,
  // List lengths are checked by the handler, which answers with the VPC tag service's SizeLimitExceeded.* codes.
  params: Type.Object({
    RegionId,
    ResourceType: Type.String(),
    ResourceId: Type.Array(Type.String()),
    Tag: Type.Array(Type.Object({ Key: Type.Optional(Type.String()), Value: Type.Optional(Type.String()) })),
  }),
  result: RequestOnly,
  errors: [
    VpcTagErrors.tooManyResourceIds,
    VpcTagErrors.tooManyTags,
    VpcTagErrors.resourceTypeNotFound,
    VpcTagErrors.resourceTypeNotModeled,
    VpcTagErrors.keyMalformed,
    VpcTagErrors.valueMalformed,
    VpcTagErrors.duplicateKey,
    VpcTagErrors.resourceNotFound,
    VpcTagErrors.resourceQuota,
  ],
  async handler(p, ctx) {
    await tag(ctx, VPC_TAGS, { regionGiven: true, resourceType: p.ResourceType, resourceIds: p.ResourceId, tags: p.Tag });
    return {};
  },
});
