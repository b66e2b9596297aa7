import { defineErrors } from './api-error.ts';

/** Tag rules shared by ECS and VPC (limits-and-rules.md §7). */
export const TagErrors = defineErrors({
  keyMalformed: {
    code: 'InvalidTagKey.Malformed',
    status: 400,
    message: 'A tag key must be 1 to 128 characters long and cannot start with aliyun or acs:, or contain http:// or https://.',
  },
  valueMalformed: {
    code: 'InvalidTagValue.Malformed',
    status: 400,
    message: 'A tag value must be at most 128 characters long and cannot contain http:// or https://.',
  },
  duplicateKey: {
    code: 'Duplicate.TagKey',
    status: 400,
    message: (key: string) => `The tag key "${key}" is given more than once.`,
    description: 'The same tag key is given twice in Tag.N.',
  },
  quota: { code: 'QuotaExceed.Tags', status: 403, message: 'A resource can have at most 20 tags.' },
  resourceNotFound: {
    code: 'InvalidResourceId.NotFound',
    status: 404,
    message: (id: string) => `The specified resource "${id}" is not found.`,
  },
});

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

/**
 * VPC TagResources / UnTagResources / ListTagResources. The VPC product's tag actions answer
 * with the codes its sibling tag actions document (Vpc 2016-04-28 TagResourcesForExpressConnect,
 * UntagResourcesForExpressConnect, ListTagResourcesForExpressConnect error tables), which
 * share the VPC tag service; missing parameters get the gateway's MissingParameter.
 */
export const VpcTagErrors = defineErrors({
  keyMalformed: { code: 'InvalidTagKey', status: 400, message: 'The tag keys are not valid.' },
  valueMalformed: { code: 'InvalidTagValue', status: 400, message: 'The tag values are not valid.' },
  duplicateKey: {
    code: 'Forbidden.TagKey.Duplicated',
    status: 400,
    message: (key: string) => `The specified tag key already exists: "${key}" is given more than once.`,
    description: 'The same tag key is given twice in Tag.N.',
  },
  tooManyTags: { code: 'SizeLimitExceeded.TagNum', status: 400, message: 'The maximum number of tags is exceeded.' },
  tooManyResourceIds: { code: 'SizeLimitExceeded.ResourceId', status: 400, message: 'The maximum number of resource IDs is exceeded.' },
  resourceTypeNotFound: {
    code: 'InvalidInstanceType.NotFound',
    status: 400,
    message: 'The instance type is not found.',
    description: 'ResourceType is not one of the VPC product\'s resource types (the VPC tag service calls it the instance type).',
  },
  resourceTypeNotModeled: {
    code: 'InvalidInstanceType.NotFound',
    status: 400,
    message: (type: string, supported: string) =>
      `The ResourceType "${type}" exists on the cloud, but eniplane does not model ${type} resources, so they cannot be tagged here. Supported: ${supported}.`,
    description: 'A real VPC resource type that eniplane does not model (ROUTETABLE, NATGATEWAY, ...).',
  },
  resourceNotFound: {
    code: 'InvalidInstanceIds.NotFound',
    status: 400,
    message: 'The instanceIds are not found.',
    description: 'A ResourceId is unknown, of another type, in another region, or owned by another account.',
  },
  resourceQuota: {
    code: 'QuotaExceeded.TagNum',
    status: 400,
    message: 'Custom Tags quota exceeded: a resource can have at most 20 tags.',
    description: 'A resource would carry more than 20 tags after the call.',
  },
  bothEmpty: {
    code: 'BothEmpty.TagsAndResources',
    status: 403,
    message: 'The specified Tags and ResourcesIds are not allow to both empty.',
  },
});
