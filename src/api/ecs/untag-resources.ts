import { Type } from '@sinclair/typebox';
import { EcsTagErrors } from '../../errors/ecs/tags.ts';
import { TagErrors } from '../../errors/tags.ts';
import { ECS_TAGS, untagResources as untag, supportedTypes } from '../../services/tags.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId, RequestOnly } from '../params.ts';

export const untagResources = defineAction({
  product: 'Ecs',
  name: 'UntagResources',
  summary: `Remove tags by key (TagKey.N, up to 20), or all of them (All=true), from up to 50 resources of one type (${supportedTypes(ECS_TAGS).join(', ')}). RegionId, ResourceType and ResourceId.N are required.`,
  params: Type.Object({
    RegionId: OptionalRegionId,
    ResourceType: Type.Optional(Type.String()),
    ResourceId: Type.Optional(Type.Array(Type.String())),
    TagKey: Type.Optional(Type.Array(Type.String())),
    All: Type.Optional(Type.Boolean()),
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
    EcsTagErrors.resourceNotFound,
  ],
  async handler(p, ctx) {
    await untag(ctx, ECS_TAGS, {
      regionGiven: p.RegionId !== undefined,
      resourceType: p.ResourceType,
      resourceIds: p.ResourceId,
      tagKeys: p.TagKey,
      all: p.All,
    });
    return {};
  },
});
