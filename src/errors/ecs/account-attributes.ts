import { defineErrors } from '../api-error.ts';

/** DescribeAccountAttributes refusals (eniplane's wording; the cloud documents no codes for them). */
export const AccountAttributeErrors = defineErrors({
  attributeNotModelled: {
    code: 'InvalidParameter',
    status: 400,
    message: (name: string, answered: string) =>
      `The specified parameter "AttributeName.N" is not valid. "${name}" is not an attribute eniplane answers (it models no vCPU, disk, dedicated host or Cloud Assistant quotas); it answers ${answered}.`,
    description: 'AttributeName.N names an attribute eniplane does not model, or none at all.',
  },
  zoneNotFound: {
    code: 'InvalidZoneId.NotFound',
    status: 404,
    message: (zone: string) => `The specified zone "${zone}" does not exist in this region.`,
    description: 'ZoneId is not a zone of the region.',
  },
});
