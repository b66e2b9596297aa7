import { Type } from '@sinclair/typebox';
import { EcsTagErrors } from '../../errors/ecs/tags.ts';
import { TagErrors } from '../../errors/tags.ts';
import { ECS_TAGS, tagResources as tag, supportedTypes } from '../../services/tags.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId, RequestOnly } from '../params.ts';

export const tagResources = defineAction({
  product: 'Ecs',
  name: 'TagResources',
  summary: `Add tags (up to 20, overwriting an existing key) to up to 50 resources of one type (${supportedTypes(ECS_TAGS).join(', ')}); a resource holds at most 20 tags. RegionId, ResourceType, ResourceId.N and Tag.N are required.`,
  // RegionId, ResourceType, ResourceId.N and Tag.N are required; the ECS tag service reports a
  // missing one with its own 404 codes, and too many IDs or tags with NumberExceed.*, so the
  // schema leaves presence and list lengths to the handler.
  params: Type.Object({
    RegionId: OptionalRegionId,
    ResourceType: Type.Optional(Type.String()),
    ResourceId: Type.Optional(Type.Array(Type.String())),
    Tag: Type.Optional(Type.Array(Type.Object({ Key: Type.Optional(Type.String()), Value: Type.Optional(Type.String()) }))),
  }),
  result: RequestOnly,
  errors: [
    EcsTagErrors.missingRegionId,
    EcsTagErrors.missingResourceType,
    EcsTagErrors.missingResourceIds,
    EcsTagErrors.missingTags,
    EcsTagErrors.tooManyResourceIds,
    EcsTagErrors.tooManyTags,
    EcsTagErrors.resourceTypeNotFound,
    EcsTagErrors.resourceTypeNotModeled,
    TagErrors.keyMalformed,
    TagErrors.valueMalformed,
    TagErrors.duplicateKey,
    EcsTagErrors.resourceNotFound,
    EcsTagErrors.resourceQuota,
  ],
  async handler(p, ctx) {
    await tag(ctx, ECS_TAGS, { regionGiven: p.RegionId !== undefined, resourceType: p.ResourceType, resourceIds: p.ResourceId, tags: p.Tag });
    return {};
  },
});
