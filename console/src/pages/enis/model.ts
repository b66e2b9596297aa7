import type { ActionDeclaration } from '../../api/client.ts';

/** One ENI as DescribeNetworkInterfaces answers it (the fields the page shows). */
export interface Eni {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  Description: string;
  Status: string;
  Type: string;
  VpcId: string;
  VSwitchId: string;
  ZoneId: string;
  InstanceId: string;
  MacAddress: string;
  PrivateIpAddress: string;
  AssociatedPublicIp: { PublicIpAddress: string; AllocationId: string };
  SecurityGroupIds: { SecurityGroupId: string[] };
  PrivateIpSets: { PrivateIpSet: { PrivateIpAddress: string; Primary: boolean; AssociatedPublicIp: { PublicIpAddress: string; AllocationId: string } }[] };
  Tags: { Tag: { TagKey: string; TagValue: string }[] };
}

export interface EniPage {
  TotalCount: number;
  PageNumber: number;
  PageSize: number;
  NetworkInterfaceSets: { NetworkInterfaceSet: Eni[] };
}

/** The actions whose declarations the page reads its filters' values and its limits from. */
export const ENI_DECLARATIONS = [
  'Ecs:DescribeNetworkInterfaces',
  'Ecs:CreateNetworkInterface',
  'Ecs:AssignPrivateIpAddresses',
  'Ecs:ModifyNetworkInterfaceAttribute',
] as const;

/** The values of an enumerated parameter (TypeBox: a union of literals), as the server declares them. */
export function enumValues(declaration: ActionDeclaration | undefined, name: string): string[] {
  const schema = declaration?.Params.properties?.[name] as { anyOf?: { const?: unknown }[]; enum?: unknown[] } | undefined;
  if (!schema) return [];
  if (schema.enum) return schema.enum.map(String);
  return (schema.anyOf ?? []).flatMap((s) => (typeof s.const === 'string' ? [s.const] : []));
}

export function secondaryIps(eni: Eni): string[] {
  return eni.PrivateIpSets.PrivateIpSet.filter((ip) => !ip.Primary).map((ip) => ip.PrivateIpAddress);
}

/** The EIPs bound to the ENI's addresses (NAT mode: one per address), the primary address's first. */
export function eipsOf(eni: Eni): { PublicIpAddress: string; AllocationId: string; PrivateIpAddress: string }[] {
  return eni.PrivateIpSets.PrivateIpSet.filter((ip) => ip.AssociatedPublicIp.AllocationId !== '')
    .sort((a, b) => Number(b.Primary) - Number(a.Primary))
    .map((ip) => ({ ...ip.AssociatedPublicIp, PrivateIpAddress: ip.PrivateIpAddress }));
}
