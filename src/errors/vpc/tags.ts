import { defineErrors } from '../api-error.ts';

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
    description: "ResourceType is not one of the VPC product's resource types (the VPC tag service calls it the instance type).",
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
