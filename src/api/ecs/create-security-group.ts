import { Type } from '@sinclair/typebox';
import { validateTags } from '../../domain/tags.ts';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { EcsResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { TagErrors } from '../../errors/tags.ts';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { createSecurityGroup as create } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId, TagParams } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';

export const createSecurityGroup = defineAction({
  product: 'Ecs',
  name: 'CreateSecurityGroup',
  summary:
    'Create a VPC security group, basic (normal: members reach each other) or advanced (enterprise: members isolated); at most max-security-groups (default 100) per region.',
  idempotent: true,
  params: Type.Object({
    RegionId,
    VpcId: Type.Optional(Type.String()),
    SecurityGroupName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    SecurityGroupType: Type.Optional(Type.String()),
    ResourceGroupId: Type.Optional(Type.String()),
    Tag: TagParams,
    ClientToken,
  }),
  result: Obj({ SecurityGroupId: S }),
  errors: [
    SecurityGroupErrors.vpcIdMissing,
    VpcErrors.vpcNotFound,
    VpcErrors.incorrectVpcStatus,
    SecurityGroupErrors.securityGroupNameMalformed,
    SecurityGroupErrors.descriptionMalformed,
    SecurityGroupErrors.groupTypeInvalid,
    SecurityGroupErrors.securityGroupQuota,
    EcsResourceGroupErrors.notFound,
    TagErrors.keyMalformed,
    TagErrors.valueMalformed,
    TagErrors.duplicateKey,
  ],
  async handler(p, ctx) {
    const tags = validateTags(p.Tag);
    const group = await create(ctx, {
      vpcId: p.VpcId,
      name: p.SecurityGroupName,
      description: p.Description,
      type: p.SecurityGroupType,
      tags,
      resourceGroupId: p.ResourceGroupId,
    });
    return { SecurityGroupId: group.id };
  },
});
