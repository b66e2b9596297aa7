import { Type } from '@sinclair/typebox';
import { EcsTagErrors } from '../../errors/ecs/tags.ts';
import { TagErrors } from '../../errors/tags.ts';
import { ECS_TAGS, listTagResources as list, supportedTypes } from '../../services/tags.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId } from '../params.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';

const TagResourceItem = Obj({ ResourceId: S, ResourceType: S, TagKey: S, TagValue: S });

export const listTagResources = defineAction({
  product: 'Ecs',
  name: 'ListTagResources',
  summary: `List the tags of resources of one type (${supportedTypes(ECS_TAGS).join(', ')}) by ResourceId.N and/or Tag.N (every pair must match; only matching tags are listed), 50 rows a page, NextToken paging. TagFilter.N is not supported. RegionId and ResourceType are required.`,
  readOnly: true,
  // TagFilter.N (fuzzy search, "invitational preview") is deliberately not declared: strict mode refuses it by name.
  params: Type.Object({
    RegionId: OptionalRegionId,
    ResourceType: Type.Optional(Type.String()),
    ResourceId: Type.Optional(Type.Array(Type.String())),
    Tag: Type.Optional(Type.Array(Type.Object({ Key: Type.Optional(Type.String()), Value: Type.Optional(Type.String()) }))),
    NextToken: Type.Optional(Type.String()),
  }),
  result: Obj({ NextToken: S, TagResources: Wrap('TagResource', TagResourceItem) }),
  errors: [
    EcsTagErrors.missingRegionId,
    EcsTagErrors.missingResourceType,
    EcsTagErrors.bothEmpty,
    EcsTagErrors.tooManyResourceIds,
    EcsTagErrors.tooManyTags,
    EcsTagErrors.resourceTypeNotFound,
    EcsTagErrors.resourceTypeNotModeled,
    EcsTagErrors.tagValueWithoutKey,
    TagErrors.keyMalformed,
    TagErrors.valueMalformed,
    EcsTagErrors.invalidNextToken,
  ],
  async handler(p, ctx) {
    const { rows, nextToken } = await list(ctx, ECS_TAGS, {
      regionGiven: p.RegionId !== undefined,
      resourceType: p.ResourceType,
      resourceIds: p.ResourceId,
      tags: p.Tag,
      nextToken: p.NextToken,
    });
    return {
      NextToken: nextToken,
      TagResources: { TagResource: rows.map((r) => ({ ResourceId: r.resourceId, ResourceType: r.resourceType, TagKey: r.key, TagValue: r.value })) },
    };
  },
});
