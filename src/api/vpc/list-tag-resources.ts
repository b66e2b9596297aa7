import { Type } from '@sinclair/typebox';
import { VpcTagErrors } from '../../errors/vpc/tags.ts';
import { VPC_TAGS, listTagResources as list, supportedTypes } from '../../services/tags.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';

export const listTagResources = defineAction({
  product: 'Vpc',
  name: 'ListTagResources',
  summary: `List the tags of resources of one type (${supportedTypes(VPC_TAGS).join(', ')}) by ResourceId.N and/or Tag.N (every pair must match; only matching tags are listed); MaxResults 1 to 50 (default 50), NextToken paging.`,
  readOnly: true,
  params: Type.Object({
    RegionId,
    ResourceType: Type.String(),
    ResourceId: Type.Optional(Type.Array(Type.String())),
    Tag: Type.Optional(Type.Array(Type.Object({ Key: Type.Optional(Type.String()), Value: Type.Optional(Type.String()) }))),
    NextToken: Type.Optional(Type.String()),
    MaxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  }),
  result: Obj({ NextToken: S, TagResources: Wrap('TagResource', Obj({ ResourceId: S, ResourceType: S, TagKey: S, TagValue: S })) }),
  errors: [
    VpcTagErrors.bothEmpty,
    VpcTagErrors.tooManyResourceIds,
    VpcTagErrors.tooManyTags,
    VpcTagErrors.resourceTypeNotFound,
    VpcTagErrors.resourceTypeNotModeled,
    VpcTagErrors.keyMalformed,
    VpcTagErrors.valueMalformed,
  ],
  async handler(p, ctx) {
    const { rows, nextToken } = await list(ctx, VPC_TAGS, {
      regionGiven: true,
      resourceType: p.ResourceType,
      resourceIds: p.ResourceId,
      tags: p.Tag,
      nextToken: p.NextToken,
      maxResults: p.MaxResults,
    });
    return {
      NextToken: nextToken,
      TagResources: { TagResource: rows.map((r) => ({ ResourceId: r.resourceId, ResourceType: r.resourceType, TagKey: r.key, TagValue: r.value })) },
    };
  },
});
