import { defineErrors } from '../api-error.ts';

/**
 * Resource group codes. ECS answers a ResourceGroupId that names no group of the caller with
 * InvalidResourceGroup.NotFound (404; CreateNetworkInterface, CreateSecurityGroup, RunInstances
 * error tables); VPC with InvalidResourceGroupId (400; AllocateEipAddress, DescribeEipAddresses
 * error tables). ResourceManager's own codes are those the Terraform provider handles
 * (resource_alicloud_resource_manager_resource_group.go: EntityNotExists.ResourceGroup,
 * DeleteConflict.ResourceGroup.Resource).
 */
export const EcsResourceGroupErrors = defineErrors({
  notFound: {
    code: 'InvalidResourceGroup.NotFound',
    status: 404,
    message: 'The ResourceGroup provided does not exist in our records.',
    description: 'ResourceGroupId is not the ID of a resource group of the account (malformed IDs included).',
  },
});

export const VpcResourceGroupErrors = defineErrors({
  invalid: {
    code: 'InvalidResourceGroupId',
    status: 400,
    message: 'The specified ResourceGroupId is invalid.',
    description: 'ResourceGroupId is not the ID of a resource group of the account (malformed IDs included).',
  },
});

export const ResourceManagerErrors = defineErrors({
  notFound: { code: 'EntityNotExists.ResourceGroup', status: 404, message: 'The resource group does not exist.' },
  nameExists: { code: 'EntityAlreadyExists.ResourceGroup', status: 409, message: 'A resource group with this name already exists in the account.' },
  nameMalformed: {
    code: 'InvalidParameter.Name',
    status: 400,
    message: 'The Name is invalid: 3 to 50 characters of lower-case letters, digits and hyphens, starting with a letter or digit.',
  },
  displayNameMalformed: { code: 'InvalidParameter.DisplayName', status: 400, message: 'The DisplayName is invalid: 1 to 50 characters.' },
  hasResources: {
    code: 'DeleteConflict.ResourceGroup.Resource',
    status: 409,
    message: 'The resource group still holds resources; move or delete them first.',
  },
  defaultGroup: {
    code: 'NotSupport.DefaultResourceGroup',
    status: 400,
    message: 'The default resource group cannot be deleted.',
  },
});
