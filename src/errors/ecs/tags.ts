import { defineErrors } from '../api-error.ts';

/**
 * ECS TagResources / UntagResources / ListTagResources. Codes, statuses and messages are the
 * ones the ECS API reference lists for these actions ([DOCS-ECS] "Tags/TagResources.md",
 * "UntagResources.md", "ListTagResources.md", and the current ListTagResources page). The
 * tag service answers missing parameters itself, with 404 and its own codes.
 */
export const EcsTagErrors = defineErrors({
  missingRegionId: {
    code: 'MissingParameter.RegionId',
    status: 404,
    message: 'The parameter - RegionId should not be null.',
  },
  missingResourceType: {
    code: 'MissingParameter.ResourceType',
    status: 404,
    message: 'The parameter - ResourceType should not be null.',
  },
  missingResourceIds: {
    code: 'MissingParameter.ResourceIds',
    status: 404,
    message: 'The parameter - ResourceIds.N should not be null.',
  },
  missingTags: {
    code: 'MissingParameter.Tags',
    status: 404,
    message: (what: string) => `The parameter - ${what} should not be null.`,
    description: 'TagResources without Tag.N, or UntagResources with neither TagKey.N nor All=true.',
  },
  tooManyResourceIds: {
    code: 'NumberExceed.ResourceIds',
    status: 400,
    message: "The ResourceIds parameter's number is exceed , Valid : 50",
  },
  tooManyTags: {
    code: 'NumberExceed.Tags',
    status: 400,
    message: "The Tags parameter's number is exceed , Valid : 20",
  },
  resourceTypeNotFound: {
    code: 'InvalidResourceType.NotFound',
    status: 404,
    message: 'The ResourceType provided does not exist in our records.',
  },
  resourceTypeNotModeled: {
    code: 'InvalidResourceType.NotFound',
    status: 404,
    message: (type: string, supported: string) =>
      `The ResourceType "${type}" exists on the cloud, but eniplane does not model ${type} resources, so they cannot be tagged here. Supported: ${supported}.`,
    description: 'A real ECS resource type that eniplane does not model (disk, image, snapshot, ...).',
  },
  resourceNotFound: {
    code: 'InvalidResourceId.NotFound',
    status: 404,
    message: 'The specified ResourceIds are not found in our records.',
    description: 'A ResourceId is unknown, of another type, in another region, or owned by another account.',
  },
  resourceQuota: {
    code: 'OperationDenied.QuotaExceed',
    status: 400,
    message: 'The quota of tags on resource is beyond permitted range.',
    description: 'A resource would carry more than 20 tags after the call.',
  },
  bothEmpty: {
    code: 'BothEmpty.TagsAndResources',
    status: 403,
    message: 'The specified Tags and ResourcesIds are not allow to both empty.',
  },
  tagValueWithoutKey: {
    code: 'InvalidParameter.TagValue',
    status: 400,
    message: 'Tag.N.Value is given without Tag.N.Key.',
  },
  invalidNextToken: { code: 'Invalid.NextToken', status: 403, message: 'The specified NextToken is not valid.' },
});
