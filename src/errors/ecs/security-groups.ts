import { defineErrors } from '../api-error.ts';

/**
 * ECS product codes (Version 2014-05-26), with the cloud's spellings, typos included
 * ("Discription", "Paramter"). Sources, by entry: [CSG] CreateSecurityGroup API page error table
 * (2021 doc sources and the current page), [MSG] ModifySecurityGroupAttribute page, [DSG]
 * DeleteSecurityGroup page, [DSGA] DescribeSecurityGroupAttribute page, [ASG]
 * AuthorizeSecurityGroup page (2021), [ASGE] AuthorizeSecurityGroupEgress page (2025), [RSG]
 * RevokeSecurityGroup page (2025), [MSGR] ModifySecurityGroupRule page (2025-04 error table; the
 * ModifySecurityGroupEgressRule page's current table was not found: its 2019 table has the same
 * codes with Dest in place of Source), [SDK] @alicloud/ecs20140526 operation notes.
 */
export const SecurityGroupErrors = defineErrors({
  // ---- security groups ----
  securityGroupNotFound: {
    code: 'InvalidSecurityGroupId.NotFound',
    status: 404,
    message: 'The specified SecurityGroupId does not exist.',
    description: 'No security group with this ID in the account and region.', // ASG, DSGA, MSG
  },
  vpcIdMissing: {
    code: 'InvalidVpcId.NotFound',
    status: 403,
    message: 'The VpcId must not empty when only support vpc vm.',
    description: 'CreateSecurityGroup without VpcId: only VPC security groups exist (classic network is retired).', // CSG
  },
  securityGroupNameMalformed: {
    code: 'InvalidSecurityGroupName.Malformed',
    status: 400,
    message:
      'Specified security group name is not valid: 2 to 128 characters, starting with a letter or a Chinese character, made of letters, digits, ":", "_", ".", "-", and not starting with http:// or https://.',
    description: 'Bad SecurityGroupName.', // CSG, MSG
  },
  descriptionMalformed: {
    code: 'InvalidDescription.Malformed',
    status: 400,
    message: 'The specified parameter "Description" is not valid: 2 to 256 characters, not starting with http:// or https://.',
    description: 'CreateSecurityGroup: bad Description.', // CSG
  },
  securityGroupDescriptionMalformed: {
    code: 'InvalidSecurityGroupDiscription.Malformed',
    status: 400,
    message: 'Specified security group description is not valid: 2 to 256 characters, not starting with http:// or https://.',
    description: 'ModifySecurityGroupAttribute: bad Description (the cloud spells the code "Discription").', // MSG
  },
  groupTypeInvalid: {
    code: 'InvalidParams.GroupType',
    status: 400,
    message: (value: string) => `The specified security group type "${value}" is not valid; use normal or enterprise.`,
    description: 'SecurityGroupType is neither normal nor enterprise.', // CSG
  },
  securityGroupQuota: {
    code: 'QuotaExceed.SecurityGroup',
    status: 403,
    message: (n: number) => `The maximum number of security groups is reached: at most ${n} per region.`,
    description: 'The account already has 100 security groups in the region.', // CSG; SDK CreateSecurityGroup note
  },
  securityGroupInUse: {
    code: 'DependencyViolation',
    status: 403,
    message: 'There is still instance(s) in the specified security group.',
    description: 'DeleteSecurityGroup while instances or ENIs are in the group.', // DSG
  },
  securityGroupReferenced: {
    code: 'DependencyViolation',
    status: 403,
    message: 'The specified security group has been authorized in another one.',
    description: "DeleteSecurityGroup while another group's rule references it (SourceGroupId/DestGroupId).", // DSG
  },
  innerAccessPolicyInvalid: {
    code: 'InvalidPolicy.Malformed',
    status: 400,
    message: 'The InnerAccessPolicy is invalid. Only Accept and Drop are supported.',
    description: 'ModifySecurityGroupPolicy: InnerAccessPolicy is neither Accept nor Drop (any case).', // MSGP
  },
  // DIVERGENCE: the cloud documents that an advanced group's policy cannot be changed, not its code.
  innerAccessPolicyFixed: {
    code: 'InvalidSecurityGroupType.NotSupported',
    status: 400,
    message: 'The internal access control policy of an advanced (enterprise) security group cannot be modified.',
    description: 'ModifySecurityGroupPolicy on an advanced security group (always Drop).', // MSGP
  },
  attributeNotSupported: {
    code: 'InvalidParameter.AttributeNotSupported',
    status: 400,
    message: 'The specified value for parameter Attribute is not supported. Valid values: snapshotPolicyIds.',
    description: 'DescribeSecurityGroupAttribute: Attribute other than snapshotPolicyIds.', // DSGA
  },

  // ---- security group rules: shape of one rule ----
  ipProtocolInvalid: {
    code: 'InvalidIpProtocol.ValueNotSupported',
    status: 400,
    message: (name: string) => `The parameter ${name} must be specified with case insensitive TCP, UDP, ICMP, GRE or All.`,
    description: 'IpProtocol is not TCP, UDP, ICMP, GRE or ALL (IANA protocol numbers are not supported).', // ASG, RSG
  },
  portRangeMissing: {
    code: 'InvalidPortRange.Malformed',
    status: 400,
    message: (name: string) => `The specified parameter ${name} must set.`,
    description: 'PortRange absent.', // ASGE, RSG
  },
  portRangeInvalid: {
    code: 'InvalidParam.PortRange',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is not valid. It should be two integers from 1 to 65535 in start/end format.`,
    description: 'PortRange is not start/end with 1 <= start <= end <= 65535 for TCP/UDP.', // ASGE, RSG
  },
  protocolPortMismatch: {
    code: 'OperationDenied',
    status: 400,
    message: (name: string) =>
      `The specified IpProtocol does not exist or IpProtocol and PortRange do not match (${name}): ICMP, GRE and ALL take -1/-1, TCP and UDP a range within 1/65535.`,
    description: 'PortRange does not suit the protocol (-1/-1 with TCP/UDP, a port range with ICMP/GRE/ALL).', // ASG
  },
  sourcePortRangeInvalid: {
    code: 'InvalidSourcePortRange.Malformed',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is not valid.`,
    description: 'SourcePortRange malformed or not suiting the protocol.', // ASG, RSG
  },
  policyInvalid: {
    code: 'InvalidPolicy.Malformed',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is not valid: use accept or drop.`,
    description: 'Policy is neither accept nor drop.', // ASG, RSG
  },
  priorityMalformed: {
    code: 'InvalidPriority.Malformed',
    status: 400,
    message: (name: string) => `The parameter ${name} is invalid: an integer from 1 to 100 is expected.`,
    description: 'Priority is not an integer.', // ASG, RSG
  },
  priorityOutOfRange: {
    code: 'InvalidPriority.ValueNotSupported',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is invalid: it must be from 1 to 100.`,
    description: 'Priority outside 1..100.', // ASG, RSG
  },
  nicTypeInvalid: {
    code: 'InvalidNicType.ValueNotSupported',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is not valid: VPC security groups support only intranet.`,
    description: 'NicType other than intranet (the only value for VPC security groups).', // ASG; SDK NicType remarks
  },
  ruleDescriptionMalformed: {
    code: 'InvalidSecurityGroupDiscription.Malformed',
    status: 400,
    message: (name: string) => `The specified security group rule description parameter ${name} is not valid: 1 to 512 characters.`,
    description: 'A rule Description longer than 512 characters.', // ASG, ASGE
  },
  sourceMissing: {
    code: 'MissingParameter.Source',
    status: 400,
    message: (where: string) => `One of the parameters SourceCidrIp, Ipv6SourceCidrIp or SourceGroupId in ${where} must be specified.`,
    description: 'Inbound rule without a source.', // ASG, RSG
  },
  destMissing: {
    code: 'MissingParameter.Dest',
    status: 400,
    message: (where: string) => `One of the parameters DestCidrIp, Ipv6DestCidrIp or DestGroupId in ${where} must be specified.`,
    description: 'Outbound rule without a destination.', // ASGE
  },
  sourceCidrMalformed: {
    code: 'InvalidSourceCidrIp.Malformed',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is not valid: an IPv4 address or CIDR block (network address, prefix 0-32) is expected.`,
    description: 'SourceCidrIp is not an IPv4 address or CIDR block.', // ASG, RSG
  },
  destCidrMalformed: {
    code: 'InvalidDestCidrIp.Malformed',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is not valid: an IPv4 address or CIDR block (network address, prefix 0-32) is expected.`,
    description: 'DestCidrIp is not an IPv4 address or CIDR block.', // ASG, ASGE
  },
  ipv6SourceCidrMalformed: {
    code: 'InvalidParam.Ipv6SourceCidrIp',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is not valid: an IPv6 address or CIDR block is expected.`,
    description: 'Ipv6SourceCidrIp is not an IPv6 address or CIDR block.', // ASG, RSG
  },
  ipv6DestCidrMalformed: {
    code: 'InvalidParam.Ipv6DestCidrIp',
    status: 400,
    message: (name: string) => `The specified parameter ${name} is not valid: an IPv6 address or CIDR block is expected.`,
    description: 'Ipv6DestCidrIp is not an IPv6 address or CIDR block.', // ASG, RSG
  },
  sourceIpConflict: {
    code: 'InvalidParam.SourceIp',
    status: 400,
    message: (where: string) => `The Parameters SourceCidrIp and Ipv6SourceCidrIp in ${where} cannot be set at the same time.`,
    description: 'Both SourceCidrIp and Ipv6SourceCidrIp in one rule.', // ASG, RSG
  },
  destIpConflict: {
    code: 'InvalidParam.DestIp',
    status: 400,
    message: (where: string) => `The Parameters DestCidrIp and Ipv6DestCidrIp in ${where} cannot be set at the same time.`,
    description: 'Both DestCidrIp and Ipv6DestCidrIp in one rule.', // ASG, RSG
  },
  addressFamilyConflict: {
    code: 'InvalidParameter.Conflict',
    status: 400,
    message: (where: string) => `IPv6 and IPv4 addresses cannot exist at the same time (${where}).`,
    description: 'A quintuple rule mixing an IPv4 and an IPv6 address.', // ASGE, RSG
  },
  icmpWithIpv6: {
    code: 'InvalidParam.Ipv4ProtocolConflictWithIpv6Address',
    status: 400,
    message: 'IPv6 address cannot be specified for IPv4-specific protocol.',
    description: 'ICMP (IPv4 only) with an IPv6 address.', // ASG, RSG
  },
  sameSourceAndDestCidr: {
    code: 'InvalidParamter.Conflict',
    status: 400,
    message: 'The specified SourceCidrIp should be different from the DestCidrIp.',
    description: 'A quintuple rule whose source and destination CIDR are equal (the cloud spells the code "Paramter").', // ASG, ASGE
  },

  // ---- security group rules: the request as a whole ----
  permissionsConflict: {
    code: 'InvalidParam.Permissions',
    status: 400,
    message: (other: string) => `The specified parameter Permissions cannot coexist with other parameters (${other}).`,
    description: 'Permissions.N together with the deprecated top-level rule parameters, or SecurityGroupRuleId.N together with either.', // ASGE, RSG
  },
  duplicatePermissions: {
    code: 'InvalidParam.DuplicatePermissions',
    status: 400,
    message: 'There are duplicate permissions in the specified parameter Permissions.',
    description: 'The same rule twice in one request.', // ASGE, RSG
  },
  ruleIdRepeated: {
    code: 'InvalidParam.SecurityGroupRuleIdRepeated',
    status: 400,
    message: 'The specified parameter SecurityGroupRuleId is repeated.',
    description: 'The same SecurityGroupRuleId twice in one request.', // RSG
  },
  ruleIdInvalid: {
    code: 'InvalidParam.SecurityGroupRuleId',
    status: 400,
    message: (id: string) => `The specified parameter SecurityGroupRuleId is not valid: "${id}" is not an inbound rule of this security group.`,
    description: 'RevokeSecurityGroup: a SecurityGroupRuleId that is not an inbound rule of the group.', // RSG; SDK RevokeSecurityGroup note
  },
  egressRuleNotExist: {
    code: 'InvalidSecurityGroupRule.RuleNotExist',
    status: 400,
    message: (id: string) => `The specified rule does not exist: "${id}" is not an outbound rule of this security group.`,
    description: 'RevokeSecurityGroupEgress: a SecurityGroupRuleId that is not an outbound rule of the group.', // SDK RevokeSecurityGroupEgress note; RSG
  },
  // ---- ModifySecurityGroupRule / ModifySecurityGroupEgressRule ----
  ruleIdNotFound: {
    code: 'InvalidSecurityGroupRuleId.NotFound',
    status: 404,
    message: (id: string, direction: string) =>
      `The specified SecurityGroupRuleId is not exists: "${id}" is not an ${direction === 'ingress' ? 'inbound' : 'outbound'} rule of this security group.`,
    description: 'Modify by SecurityGroupRuleId: no rule with this ID in the group, in the direction of the action.', // MSGR
  },
  ruleNotFound: {
    code: 'SecurityGroupRule.NotFound',
    status: 404,
    message: 'The target security group rule not exist.',
    description: 'Modify by the rule itself (no SecurityGroupRuleId): the group has no such rule in the direction of the action.', // MSGR
  },
  ruleEntityTypeFixed: {
    code: 'InvalidOperation.ModifySgRuleEntityType',
    status: 400,
    message: (from: string, to: string) =>
      `The source or destination type of the rules cannot be modified: the rule's authorization object is ${from}, the request gives ${to}. Add a new rule and delete this one instead.`,
    description: 'Modify by SecurityGroupRuleId: the authorization object would change kind (IPv4 CIDR, IPv6 CIDR, security group).', // MSGR; SDK note
  },
  nicTypeFixed: {
    code: 'InvalidOperation.ModifyNicType',
    status: 400,
    message: 'NicType is not allowed to modify.',
    description: 'Modify by SecurityGroupRuleId: NicType internet on a rule that is intranet (the only NicType of VPC groups).', // MSGR; SDK NicType remarks
  },
  ruleDuplicate: {
    code: 'InvalidOperation.RuleDuplicate',
    status: 400,
    message: (other: string) => `The rule being modified would be the same as the existing rule ${other}.`,
    description: 'Modify by SecurityGroupRuleId: the changed rule would be "the same rule" as another rule of the group.', // MSGR
  },
  rulesLimit: {
    code: 'AuthorizationLimitExceed',
    status: 403,
    message: (n: number) => `The limit of authorization records in the security group reaches: at most ${n} rules (inbound and outbound).`,
    description: 'The group would hold more than 200 rules.', // ASG; limits-and-rules.md §4
  },
  groupRulesLimit: {
    code: 'AuthorizedGroupRule.LimitExceed',
    status: 400,
    message: (n: number) =>
      `You have reached the limit on the number of group authorization rules that you can add to a security group. When authorization object of rule is security group, the limit is ${n}.`,
    description: 'A basic group would hold more than 20 rules that reference security groups.', // ASGE; SDK AuthorizeSecurityGroup note
  },
  enterpriseGroupReference: {
    code: 'InvalidGroupAuthParameter.OperationDenied',
    status: 400,
    message: 'The security group can not authorize to enterprise level security group.',
    description: 'An advanced (enterprise) group cannot have rules that reference security groups.', // ASGE, RSG; SDK note
  },
  enterpriseGroupPolicy: {
    code: 'InvalidGroupParameter.OperationDenied',
    status: 400,
    message:
      'The attributes Policy, SourceGroupId, DestGroupId of enterprise level security groups are not allowed to be set or modified: advanced security groups take accept rules only.',
    description: 'A drop rule in an advanced (enterprise) group.', // ASGE, RSG
  },
  sourceGroupNotFound: {
    code: 'InvalidSourceGroupId.NotFound',
    status: 404,
    message: 'The SourceGroupId provided does not exist in our records.',
    description: 'SourceGroupId names no security group of the account in the region.', // ASG
  },
  destGroupNotFound: {
    code: 'InvalidDestGroupId.NotFound',
    status: 404,
    message: 'The DestGroupId provided does not exist in our records.',
    description: 'DestGroupId names no security group of the account in the region.', // ASGE
  },
  sourceGroupVpcMismatch: {
    code: 'InvalidSourceGroupId.Mismatch',
    status: 400,
    message: 'Specified security group and source group are not in the same VPC.',
    description: 'SourceGroupId names a group of another VPC.', // ASG
  },
  destGroupVpcMismatch: {
    code: 'InvalidDestGroupId.Mismatch',
    status: 400,
    message: 'Specified security group and destination group are not in the same VPC.',
    description: 'DestGroupId names a group of another VPC.', // ASGE
  },
  sourceGroupNicMismatch: {
    code: 'InvalidSourceGroupId.Mismatch',
    status: 403,
    message: 'NicType is required or NicType expects intranet.',
    description: 'A rule referencing SourceGroupId with NicType internet.', // ASG
  },
  destGroupNicMismatch: {
    code: 'InvalidDestGroupId.Mismatch',
    status: 403,
    message: 'NicType is required or NicType expects intranet.',
    description: 'A rule referencing DestGroupId with NicType internet.', // ASGE
  },
  sourceGroupIsSelf: {
    code: 'InvalidParamter.Conflict',
    status: 403,
    message: 'The specified SecurityGroupId should be different from the SourceGroupId.',
    description: 'An inbound rule whose SourceGroupId is the group itself (the cloud spells the code "Paramter").', // ASG
  },
  destGroupIsSelf: {
    code: 'InvalidSecurityGroup.IsSame',
    status: 403,
    message: 'The authorized SecurityGroupId should be different from the DestGroupId.',
    description: 'An outbound rule whose DestGroupId is the group itself.', // ASGE
  },
});
