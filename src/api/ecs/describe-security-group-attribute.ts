import { Type } from '@sinclair/typebox';
import { nextTokenFor, tokenWindow } from '../../domain/paging.ts';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { describeSecurityGroupRules } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { Enum, RegionId } from '../params.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';
import { PermissionItem, permissionItem } from './security-group-views.ts';

export const describeSecurityGroupAttribute = defineAction({
  product: 'Ecs',
  name: 'DescribeSecurityGroupAttribute',
  summary: 'One security group with its rules (inbound, outbound or both), NextToken/MaxResults (10 to 1000, default 500).',
  readOnly: true,
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    Direction: Type.Optional(Enum(['all', 'ingress', 'egress'])),
    NicType: Type.Optional(Type.String()),
    Attribute: Type.Optional(Type.String()),
    NextToken: Type.Optional(Type.String()),
    MaxResults: Type.Optional(Type.Integer({ minimum: 10, maximum: 1000 })),
  }),
  result: Obj({
    RegionId: S,
    SecurityGroupId: S,
    SecurityGroupName: S,
    Description: S,
    VpcId: S,
    InnerAccessPolicy: S,
    NextToken: S,
    Permissions: Wrap('Permission', PermissionItem),
    SnapshotPolicyIds: Type.Optional(Wrap('SnapshotPolicyId', S)),
  }),
  errors: [SecurityGroupErrors.securityGroupNotFound, SecurityGroupErrors.nicTypeInvalid, SecurityGroupErrors.attributeNotSupported],
  async handler(p, ctx) {
    // "For security groups in a VPC, the only valid value is intranet. If you set this parameter
    // to internet or leave it empty, the value is automatically set to intranet" (SDK remarks).
    const nic = (p.NicType ?? '').toLowerCase();
    if (nic !== '' && nic !== 'intranet' && nic !== 'internet') throw SecurityGroupErrors.nicTypeInvalid('NicType');
    if (p.Attribute !== undefined && p.Attribute !== '' && p.Attribute !== 'snapshotPolicyIds') throw SecurityGroupErrors.attributeNotSupported();
    const window = tokenWindow(p.NextToken, p.MaxResults, { min: 10, max: 1000, def: 500 });
    const { group, rules, total } = await describeSecurityGroupRules(ctx, p.SecurityGroupId, p.Direction ?? 'all', window);
    return {
      RegionId: group.regionId,
      SecurityGroupId: group.id,
      SecurityGroupName: group.name,
      Description: group.description,
      VpcId: group.vpcId,
      InnerAccessPolicy: group.innerAccessPolicy,
      NextToken: nextTokenFor(window.offset, window.limit, rules.length, total),
      Permissions: { Permission: rules.map(permissionItem) },
      // No snapshot policy is ever associated with a group here.
      ...(p.Attribute === 'snapshotPolicyIds' && { SnapshotPolicyIds: { SnapshotPolicyId: [] } }),
    };
  },
});
