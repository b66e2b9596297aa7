/** A security group as the store keeps it. */
export interface SecurityGroup {
  id: string;
  accountId: string;
  regionId: string;
  vpcId: string;
  name: string;
  description: string;
  /** normal (basic) | enterprise (advanced). */
  type: string;
  /** Accept | Drop: whether members of a basic group reach each other. */
  innerAccessPolicy: string;
  resourceGroupId: string;
  createdAt: number;
}

/** One stored rule of a group. Fields that do not apply are '' (as the cloud lists them). */
export interface SecurityGroupRule {
  id: string;
  securityGroupId: string;
  direction: string;
  ipProtocol: string;
  portRange: string;
  sourcePortRange: string;
  sourceCidrIp: string;
  sourceGroupId: string;
  sourceGroupOwnerAccount: string;
  destCidrIp: string;
  destGroupId: string;
  destGroupOwnerAccount: string;
  ipv6SourceCidrIp: string;
  ipv6DestCidrIp: string;
  sourcePrefixListId: string;
  destPrefixListId: string;
  policy: string;
  priority: number;
  nicType: string;
  description: string;
  createdAt: number;
}
