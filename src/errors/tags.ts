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
